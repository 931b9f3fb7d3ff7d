-- From-scratch model artifacts: what was trained, from which data, with which results,
-- and which one the local provider serves.

create table ai_model_artifacts (
    artifact_id         bigint generated always as identity primary key,
    name                text not null,
    version             text not null,
    provider            text not null default 'sitecraft-local' references ai_providers (provider),
    path                text not null,
    -- [{name, sha256, bytes}]: the loader verifies every file against its hash before serving
    files               jsonb not null check (jsonb_typeof(files) = 'array' and jsonb_array_length(files) > 0),
    config              jsonb not null default '{}' check (jsonb_typeof(config) = 'object'),
    metrics             jsonb not null default '{}' check (jsonb_typeof(metrics) = 'object'),
    -- no foreign key: a corpus generator may produce training data outside any snapshot
    dataset_snapshot_id text,
    status              text not null default 'candidate' check (status in ('candidate', 'active', 'retired')),
    created_at          timestamptz not null default now(),
    activated_at        timestamptz,
    unique (name, version),
    constraint ai_model_artifacts_active_has_activated_at_check check (status <> 'active' or activated_at is not null)
);

-- At most one served artifact per provider: to activate another, retire the current one first,
-- in the same transaction (the index is checked per statement).
create unique index ai_model_artifacts_one_active_per_provider_idx on ai_model_artifacts (provider) where status = 'active';
