-- Generation telemetry: one row per generation attempt (a fallback adds a row with the same
-- generation_id), partitioned by month of started_at so old months can be detached and dropped.
-- No foreign keys: telemetry is an append-only log written in batches, and a batch must never
-- be refused because a provider or policy row changed.

create table ai_generation_events (
    event_id          uuid not null,
    generation_id     uuid not null,
    request_id        text,
    -- 1 is the first try; each fallback attempt adds one
    attempt           smallint not null check (attempt >= 1),
    environment       text not null,
    tenant_id         text,
    site_id           text,
    user_id           text,
    session_id        text,
    use_case          text not null,
    provider          text not null,
    request_model     text,
    response_model    text,
    policy_id         bigint,
    policy_version    int,
    arm               text check (arm in ('stable', 'canary', 'fallback', 'pinned')),
    fallback_reason   text,
    status            text not null check (status in ('ok', 'error', 'cancelled')),
    error_type        text,
    finish_reason     text,
    started_at        timestamptz not null,
    first_token_at    timestamptz,
    completed_at      timestamptz,
    latency_ms        double precision check (latency_ms >= 0),
    ttft_ms           double precision check (ttft_ms >= 0),
    -- our own time around the provider call; may be slightly negative from clock rounding
    overhead_ms       double precision,
    input_tokens      int check (input_tokens >= 0),
    output_tokens     int check (output_tokens >= 0),
    cost_usd          numeric(14, 8) check (cost_usd >= 0),
    params            jsonb,
    metadata          jsonb,
    -- bodies only with consent; the hashes are kept either way for dedup and joins
    prompt            text,
    completion        text,
    prompt_sha256     text check (prompt_sha256 ~ '^[0-9a-f]{64}$'),
    completion_sha256 text check (completion_sha256 ~ '^[0-9a-f]{64}$'),
    consent           boolean not null default false,
    recorded_at       timestamptz not null default now(),
    primary key (event_id, started_at),
    constraint ai_generation_events_bodies_need_consent_check check (consent or (prompt is null and completion is null))
) partition by range (started_at);

create index ai_generation_events_environment_started_at_idx on ai_generation_events (environment, started_at);
create index ai_generation_events_tenant_started_at_idx on ai_generation_events (tenant_id, started_at);
create index ai_generation_events_generation_id_idx on ai_generation_events (generation_id);

-- Catches any month without its own partition, so no row is ever refused for lack of one.
create table ai_generation_events_default partition of ai_generation_events default;

-- Creates the monthly partitions ai_generation_events_yYYYYmMM for `months` months starting at
-- the month of from_month; existing ones are skipped. Months are UTC months. Rows for a new
-- month already sitting in the default partition are moved into it, because Postgres refuses
-- to create a partition whose rows are still in the default. Returns how many it created.
-- Run it ahead of time (e.g. monthly from a job): it locks the default partition briefly.
create function ai_ensure_generation_event_partitions(from_month date, months int) returns int
language plpgsql as $$
declare
    parent_schema name;
    month_start   date;
    month_end     date;
    part_name     text;
    lower_bound   text;
    upper_bound   text;
    created       int := 0;
begin
    if months is null or months < 0 then
        raise exception 'months must be >= 0, got %', months using errcode = 'invalid_parameter_value';
    end if;

    select n.nspname into parent_schema
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.oid = 'ai_generation_events'::regclass;

    for i in 0 .. months - 1 loop
        month_start := (date_trunc('month', from_month) + make_interval(months => i))::date;
        month_end   := (month_start + interval '1 month')::date;
        part_name   := 'ai_generation_events_' || to_char(month_start, '"y"YYYY"m"MM');
        lower_bound := to_char(month_start, 'YYYY-MM-DD') || ' 00:00:00+00';
        upper_bound := to_char(month_end, 'YYYY-MM-DD') || ' 00:00:00+00';

        continue when to_regclass(format('%I.%I', parent_schema, part_name)) is not null;

        if exists (
            select 1 from ai_generation_events_default
            where started_at >= lower_bound::timestamptz and started_at < upper_bound::timestamptz
        ) then
            execute format('create table %I.%I (like %I.ai_generation_events including defaults including constraints)',
                           parent_schema, part_name, parent_schema);
            execute format('with moved as (delete from %I.ai_generation_events_default where started_at >= %L and started_at < %L returning *) '
                           'insert into %I.%I select * from moved',
                           parent_schema, lower_bound, upper_bound, parent_schema, part_name);
            execute format('alter table %I.ai_generation_events attach partition %I.%I for values from (%L) to (%L)',
                           parent_schema, parent_schema, part_name, lower_bound, upper_bound);
        else
            execute format('create table %I.%I partition of %I.ai_generation_events for values from (%L) to (%L)',
                           parent_schema, part_name, parent_schema, lower_bound, upper_bound);
        end if;
        created := created + 1;
    end loop;

    return created;
end;
$$;

-- 2026-01 (before the first event) through 24 months past the month this runs in.
select ai_ensure_generation_event_partitions(
    date '2026-01-01',
    greatest(1, ((extract(year from current_date)::int - 2026) * 12 + extract(month from current_date)::int - 1) + 24 + 1)
);

-- Scores on generations: online evals, human review, or the public API.
-- No foreign key to ai_generation_events: generation_id is not unique there (one row per attempt),
-- and a score may arrive before the telemetry batch holding its generation is flushed.
create table ai_generation_scores (
    id                bigint generated always as identity primary key,
    generation_id     uuid not null,
    name              text not null,
    value             double precision,
    string_value      text,
    data_type         text not null check (data_type in ('numeric', 'boolean', 'categorical')),
    source            text not null check (source in ('online-eval', 'human', 'api')),
    comment           text,
    evaluator_version text,
    created_at        timestamptz not null default now(),
    unique (generation_id, name, source),
    constraint ai_generation_scores_value_matches_type_check check (
        (data_type = 'numeric' and value is not null)
        or (data_type = 'boolean' and value in (0, 1))
        or (data_type = 'categorical' and string_value is not null)
    )
);

-- Daily score trend per use case. The day is the UTC day of the generation (its first attempt),
-- so a late human score counts toward the day the content was produced; scores whose generation
-- has not reached ai_generation_events yet are left out until it does.
create view ai_generation_score_summary as
select
    (g.started_at at time zone 'UTC')::date as day,
    g.use_case,
    s.name,
    s.source,
    count(*) as score_count,
    avg(s.value) as avg_value
from ai_generation_scores s
cross join lateral (
    select e.use_case, e.started_at
    from ai_generation_events e
    where e.generation_id = s.generation_id
    order by e.attempt
    limit 1
) g
group by 1, 2, 3, 4;
