-- Providers, models and prices, and routing: immutable policy versions per environment x use case,
-- one active pointer per environment x use case, and an audit trail of every routing change.

-- Global: a provider means the same thing in every environment; per-environment config is below.
create table ai_providers (
    provider     text primary key check (provider ~ '^[a-z0-9][a-z0-9._-]*$'),
    kind         text not null check (kind in ('local', 'openai-compatible', 'anthropic')),
    display_name text,
    created_at   timestamptz not null default now()
);

create table ai_provider_settings (
    environment     text not null,
    provider        text not null references ai_providers (provider),
    base_url        text,
    -- the NAME of the configuration key or secret holding the API key, never the key itself;
    -- the prefix check catches the commonest mistake (pasting an sk-... key)
    api_key_setting text check (api_key_setting !~* '^sk-'),
    enabled         boolean not null default true,
    -- timeouts, concurrency limits
    settings        jsonb not null default '{}' check (jsonb_typeof(settings) = 'object'),
    updated_at      timestamptz not null default now(),
    primary key (environment, provider)
);

create table ai_models (
    provider            text not null references ai_providers (provider),
    model               text not null,
    display_name        text,
    input_usd_per_mtok  numeric(12, 6) not null default 0 check (input_usd_per_mtok >= 0),
    output_usd_per_mtok numeric(12, 6) not null default 0 check (output_usd_per_mtok >= 0),
    context_window      int check (context_window > 0),
    max_output_tokens   int check (max_output_tokens > 0),
    created_at          timestamptz not null default now(),
    primary key (provider, model)
);

-- A policy version is never changed: publish a new version and move the active pointer,
-- so every generation event's (policy_id, policy_version) still says exactly how it was routed.
create table ai_routing_policies (
    policy_id   bigint generated always as identity primary key,
    environment text not null,
    use_case    text not null,
    version     int not null check (version >= 1),
    -- sticky assignment hashes salt + subject; a new salt reshuffles who lands on the canary
    salt        text not null,
    -- [{provider, model, weight, role: stable|canary}], at least one arm with weight > 0
    arms        jsonb not null,
    -- ordered [{provider, model}] tried after the chosen arm fails
    fallback    jsonb not null default '[]',
    -- per-attempt timeout, circuit breaker, canary guardrails
    settings    jsonb not null default '{}' check (jsonb_typeof(settings) = 'object'),
    comment     text,
    created_by  text,
    created_at  timestamptz not null default now(),
    unique (environment, use_case, version),
    -- target of the active pointer's foreign key, which pins environment and use case
    unique (policy_id, environment, use_case),
    constraint ai_routing_policies_arms_shape_check check (
        jsonb_typeof(arms) = 'array'
        and jsonb_path_exists(arms, '$[*] ? (@.weight > 0)')
        and not jsonb_path_exists(arms, '$[*] ? (!(@.type() == "object" && @.provider.type() == "string" && @.model.type() == "string" && @.weight.type() == "number" && @.weight >= 0 && @.role.type() == "string" && (@.role == "stable" || @.role == "canary")))')
    ),
    constraint ai_routing_policies_fallback_shape_check check (
        jsonb_typeof(fallback) = 'array'
        and not jsonb_path_exists(fallback, '$[*] ? (!(@.type() == "object" && @.provider.type() == "string" && @.model.type() == "string"))')
    )
);

create function ai_routing_policies_immutable() returns trigger
language plpgsql as $$
begin
    raise exception 'ai_routing_policies rows are immutable: % of policy_id % (environment %, use_case %, version %) refused',
        lower(tg_op), old.policy_id, old.environment, old.use_case, old.version
        using errcode = 'restrict_violation',
              hint = 'Publish a new version and move ai_routing_active to it instead.';
end;
$$;

create trigger ai_routing_policies_immutable
    before update or delete on ai_routing_policies
    for each row execute function ai_routing_policies_immutable();

create table ai_routing_active (
    environment        text not null,
    use_case           text not null,
    policy_id          bigint not null,
    -- what a rollback returns to
    previous_policy_id bigint,
    updated_at         timestamptz not null default now(),
    updated_by         text,
    primary key (environment, use_case),
    -- composite keys: the pointer can only name policies of its own environment and use case
    foreign key (policy_id, environment, use_case)
        references ai_routing_policies (policy_id, environment, use_case),
    foreign key (previous_policy_id, environment, use_case)
        references ai_routing_policies (policy_id, environment, use_case)
);

-- Replicas LISTEN on ai_routing_changed and reload the pointer; the notification is sent at
-- commit, so a listener never sees a change that rolls back. On delete policy_id is null.
create function ai_routing_active_notify() returns trigger
language plpgsql as $$
declare
    r ai_routing_active;
begin
    if tg_op = 'DELETE' then
        r := old;
        r.policy_id := null;
    else
        r := new;
    end if;
    perform pg_notify('ai_routing_changed', json_build_object(
        'environment', r.environment,
        'use_case', r.use_case,
        'policy_id', r.policy_id)::text);
    return null;
end;
$$;

create trigger ai_routing_active_notify
    after insert or update or delete on ai_routing_active
    for each row execute function ai_routing_active_notify();

create table ai_routing_events (
    id             bigint generated always as identity primary key,
    environment    text not null,
    use_case       text not null,
    event_type     text not null
                   check (event_type in ('publish', 'activate', 'canary_change', 'promote', 'rollback', 'auto_rollback')),
    from_policy_id bigint references ai_routing_policies (policy_id),
    to_policy_id   bigint references ai_routing_policies (policy_id),
    actor          text not null,
    reason         text,
    details        jsonb not null default '{}' check (jsonb_typeof(details) = 'object'),
    created_at     timestamptz not null default now()
);

create index ai_routing_events_scope_created_at_idx on ai_routing_events (environment, use_case, created_at desc);
