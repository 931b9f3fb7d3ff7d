-- Offline evaluation: suites and cases as synced from the repo, runs, per-sample results,
-- gate decisions, and the summary views the CLI, dashboards and promotion logic read.

-- A suite is keyed by its content hash too, so a run always points at the exact cases it used.
create table ai_eval_suites (
    suite_id     text not null,
    content_hash text not null,
    use_case     text not null,
    name         text,
    definition   jsonb not null default '{}' check (jsonb_typeof(definition) = 'object'),
    source_path  text,
    synced_at    timestamptz not null default now(),
    primary key (suite_id, content_hash)
);

create table ai_eval_cases (
    suite_id     text not null,
    content_hash text not null,
    case_id      text not null,
    input        jsonb not null,
    expected     text,
    tags         text[] not null default '{}',
    cluster_id   text,
    primary key (suite_id, content_hash, case_id),
    foreign key (suite_id, content_hash) references ai_eval_suites (suite_id, content_hash) on delete cascade
);

create table ai_eval_runs (
    run_id                uuid primary key default gen_random_uuid(),
    suite_id              text,
    suite_hash            text,
    use_case              text not null,
    target_provider       text,
    target_model          text,
    target_policy_version int,
    environment           text,
    status                text not null default 'pending'
                          check (status in ('pending', 'running', 'completed', 'failed', 'cancelled')),
    repeats               int not null default 1 check (repeats >= 1),
    params                jsonb not null default '{}' check (jsonb_typeof(params) = 'object'),
    baseline_run_id       uuid references ai_eval_runs (run_id) on delete set null,
    error_rate            double precision check (error_rate between 0 and 1),
    aggregates            jsonb not null default '{}' check (jsonb_typeof(aggregates) = 'object'),
    metadata              jsonb not null default '{}' check (jsonb_typeof(metadata) = 'object'),
    git_sha               text,
    started_at            timestamptz,
    completed_at          timestamptz,
    created_at            timestamptz not null default now(),
    constraint ai_eval_runs_baseline_not_self_check check (baseline_run_id <> run_id),
    constraint ai_eval_runs_completed_after_started_check check (completed_at is null or started_at is null or completed_at >= started_at),
    -- MATCH SIMPLE: runs without a synced suite (ad-hoc, online) leave both null
    constraint ai_eval_runs_suite_pair_check check ((suite_id is null) = (suite_hash is null)),
    foreign key (suite_id, suite_hash) references ai_eval_suites (suite_id, content_hash)
);

create index ai_eval_runs_use_case_created_at_idx on ai_eval_runs (use_case, created_at desc);
create index ai_eval_runs_baseline_run_id_idx on ai_eval_runs (baseline_run_id) where baseline_run_id is not null;

create table ai_eval_samples (
    run_id        uuid not null references ai_eval_runs (run_id) on delete cascade,
    case_id       text not null,
    repeat        int not null check (repeat >= 0),
    output        text,
    -- null when the sample errored: an error is neither a pass nor a fail
    passed        boolean,
    score         double precision,
    -- one entry per assertion
    scores        jsonb not null default '{}' check (jsonb_typeof(scores) = 'object'),
    error         text,
    latency_ms    double precision check (latency_ms >= 0),
    cost_usd      numeric(14, 8) check (cost_usd >= 0),
    input_tokens  int check (input_tokens >= 0),
    output_tokens int check (output_tokens >= 0),
    cached        boolean not null default false,
    created_at    timestamptz not null default now(),
    primary key (run_id, case_id, repeat),
    constraint ai_eval_samples_error_not_judged_check check (error is null or passed is null)
);

create table ai_eval_gates (
    id              bigint generated always as identity primary key,
    use_case        text not null,
    environment     text not null,
    provider        text not null,
    model           text not null,
    run_id          uuid not null references ai_eval_runs (run_id),
    baseline_run_id uuid references ai_eval_runs (run_id),
    -- the gate policy as applied, so a decision can be explained after the policy changes
    policy          jsonb not null default '{}' check (jsonb_typeof(policy) = 'object'),
    passed          boolean not null,
    reasons         jsonb not null default '[]' check (jsonb_typeof(reasons) = 'array'),
    metrics         jsonb not null default '{}' check (jsonb_typeof(metrics) = 'object'),
    decided_at      timestamptz not null default now()
);

create index ai_eval_gates_target_decided_at_idx on ai_eval_gates (use_case, provider, model, decided_at desc);
create index ai_eval_gates_run_id_idx on ai_eval_gates (run_id);

-- One row per run. pass_rate counts only samples that did not error (errored samples have
-- passed = null); latency percentiles skip cached samples, whose latency is a cache lookup.
create view ai_eval_run_summary as
select
    r.run_id,
    r.suite_id,
    r.suite_hash,
    r.use_case,
    r.target_provider,
    r.target_model,
    r.target_policy_version,
    r.environment,
    r.status,
    s.sample_count,
    s.error_count,
    s.pass_count,
    s.cached_count,
    s.pass_count::double precision / nullif(s.judged_count, 0) as pass_rate,
    s.mean_score,
    coalesce(r.error_rate, s.error_count::double precision / nullif(s.sample_count, 0)) as error_rate,
    s.p50_latency_ms,
    s.p95_latency_ms,
    s.total_cost_usd,
    s.input_tokens,
    s.output_tokens,
    r.started_at,
    r.completed_at
from ai_eval_runs r
cross join lateral (
    select
        count(*) as sample_count,
        count(*) filter (where x.error is not null) as error_count,
        count(*) filter (where x.passed) as pass_count,
        count(x.passed) as judged_count,
        count(*) filter (where x.cached) as cached_count,
        avg(x.score) filter (where x.error is null) as mean_score,
        percentile_cont(0.5) within group (order by x.latency_ms) filter (where not x.cached) as p50_latency_ms,
        percentile_cont(0.95) within group (order by x.latency_ms) filter (where not x.cached) as p95_latency_ms,
        coalesce(sum(x.cost_usd), 0) as total_cost_usd,
        sum(x.input_tokens) as input_tokens,
        sum(x.output_tokens) as output_tokens
    from ai_eval_samples x
    where x.run_id = r.run_id
) s;

-- The gate decision that currently stands for each target; ties on decided_at go to the later row.
create view ai_eval_latest_gates as
select distinct on (g.environment, g.use_case, g.provider, g.model)
    g.id as gate_id,
    g.environment,
    g.use_case,
    g.provider,
    g.model,
    g.run_id,
    r.suite_id,
    r.suite_hash,
    g.baseline_run_id,
    g.passed,
    g.reasons,
    g.metrics,
    g.policy,
    g.decided_at
from ai_eval_gates g
join ai_eval_runs r on r.run_id = g.run_id
order by g.environment, g.use_case, g.provider, g.model, g.decided_at desc, g.id desc;
