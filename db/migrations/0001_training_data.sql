-- Training data: data contracts, curated examples, quarantine and dataset snapshots.
-- Every candidate record ends in exactly one of ai_training_examples or ai_training_quarantine.

create table ai_data_contracts (
    contract_id text not null,
    version     text not null,
    -- hash of body, so a changed contract file under an old version is detected
    sha256      text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    body        text not null,
    status      text not null default 'active' check (status in ('draft', 'active', 'deprecated')),
    loaded_at   timestamptz not null default now(),
    primary key (contract_id, version)
);

create table ai_training_examples (
    id                uuid primary key default gen_random_uuid(),
    contract_id       text,
    contract_version  text,
    source            text not null,
    use_case          text not null,
    tenant_id         text,
    site_id           text,
    messages          jsonb not null,
    completion        text not null,
    -- exact-dedup key: lowercase hex sha256 of the normalized record
    content_sha256    text not null unique check (content_sha256 ~ '^[0-9a-f]{64}$'),
    consent           boolean not null,
    quality_signals   jsonb not null default '{}' check (jsonb_typeof(quality_signals) = 'object'),
    -- curation decisions, each with the rule version that made it, so a rule change can be replayed
    curation          jsonb not null default '{}' check (jsonb_typeof(curation) = 'object'),
    -- when the record was created at its source, not when it arrived here
    created_at        timestamptz not null,
    ingested_at       timestamptz not null default now(),
    -- a record validated against a contract names both parts, or neither
    constraint ai_training_examples_contract_pair_check check ((contract_id is null) = (contract_version is null)),
    foreign key (contract_id, contract_version) references ai_data_contracts (contract_id, version),
    constraint ai_training_examples_messages_shape_check check (
        jsonb_typeof(messages) = 'array'
        and jsonb_array_length(messages) > 0
        and not jsonb_path_exists(messages, '$[*] ? (!(@.type() == "object" && @.role.type() == "string" && (@.role == "system" || @.role == "user" || @.role == "assistant") && @.content.type() == "string"))')
    )
);

create index ai_training_examples_use_case_created_at_idx on ai_training_examples (use_case, created_at);
create index ai_training_examples_tenant_site_idx on ai_training_examples (tenant_id, site_id);

-- No foreign key to ai_data_contracts: naming an unknown contract is itself a reason to quarantine.
create table ai_training_quarantine (
    id               bigint generated always as identity primary key,
    record_id        text,
    batch_id         text,
    contract_id      text,
    contract_version text,
    -- bytes exactly as received (invalid UTF-8 and NUL included), so nothing is lost to decoding
    raw_record       bytea not null,
    raw_sha256       text not null check (raw_sha256 ~ '^[0-9a-f]{64}$'),
    -- array of violations; a record is never quarantined without a reason
    reasons          jsonb not null check (jsonb_typeof(reasons) = 'array' and jsonb_array_length(reasons) > 0),
    status           text not null default 'quarantined' check (status in ('quarantined', 'released', 'rejected')),
    created_at       timestamptz not null default now(),
    resolved_at      timestamptz,
    resolved_by      text,
    constraint ai_training_quarantine_resolution_check check ((status = 'quarantined') = (resolved_at is null))
);

create index ai_training_quarantine_status_created_at_idx on ai_training_quarantine (status, created_at);

create table ai_dataset_snapshots (
    snapshot_id      text primary key,
    contract_id      text,
    contract_version text,
    filters          jsonb not null default '{}' check (jsonb_typeof(filters) = 'object'),
    split_ratios     jsonb not null default '{}' check (jsonb_typeof(split_ratios) = 'object'),
    record_counts    jsonb not null default '{}' check (jsonb_typeof(record_counts) = 'object'),
    -- array of {name, sha256, bytes, records}, one per exported file
    files            jsonb not null default '[]' check (jsonb_typeof(files) = 'array'),
    manifest         jsonb not null,
    manifest_sha256  text check (manifest_sha256 ~ '^[0-9a-f]{64}$'),
    created_at       timestamptz not null default now(),
    constraint ai_dataset_snapshots_contract_pair_check check ((contract_id is null) = (contract_version is null)),
    foreign key (contract_id, contract_version) references ai_data_contracts (contract_id, version)
);
