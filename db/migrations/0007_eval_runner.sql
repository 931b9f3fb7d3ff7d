-- What the eval runner needs beyond 0002: exact text for hostile outputs, a response cache so
-- re-scoring a suite costs no generation, and the online-eval roll-up.

-- Postgres text cannot hold U+0000 and UTF-8 cannot hold a lone UTF-16 surrogate. When an output
-- or error contains either, it is stored escaped (backslash as \\, NUL as \0, a lone surrogate
-- as \uXXXX) and `escaped` is true, so the exact string round-trips; otherwise it is stored as is.
alter table ai_eval_samples add column escaped boolean not null default false;

-- One entry per (target, parameters, input, repeat): cache_key is the SHA-256 of their canonical
-- JSON. A cached sample is recorded with cached = true and cost 0.
create table ai_eval_response_cache (
    cache_key     text primary key check (cache_key ~ '^[0-9a-f]{64}$'),
    use_case      text not null,
    provider      text not null,
    model         text not null,
    output        text not null,
    escaped       boolean not null default false,
    finish_reason text,
    latency_ms    double precision check (latency_ms >= 0),
    cost_usd      numeric(14, 8) check (cost_usd >= 0),
    input_tokens  int check (input_tokens >= 0),
    output_tokens int check (output_tokens >= 0),
    created_at    timestamptz not null default now()
);

create index ai_eval_response_cache_created_at_idx on ai_eval_response_cache (created_at);

-- Samples of a run in the order the runner reads them to resume.
create index ai_eval_samples_run_id_created_at_idx on ai_eval_samples (run_id, created_at);

-- Runs the workers pick up: any replica takes a pending or interrupted run.
create index ai_eval_runs_open_idx on ai_eval_runs (created_at) where status in ('pending', 'running');

-- Online eval scores per day, use case and assertion: how production output fares on the
-- use case's reference-free assertions.
create view ai_eval_online_summary as
select
    day,
    use_case,
    name,
    score_count,
    avg_value
from ai_generation_score_summary
where source = 'online-eval';
