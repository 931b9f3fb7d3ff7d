-- Training-data ingest: near-duplicate detection that spans ingests, and a quarantine that
-- stays idempotent when the same bad record is sent again.

-- The record's MinHash signature (one little-endian uint32 per permutation) as computed by the
-- curation rules named in `curation`; null when the text was too short to shingle. Kept so a new
-- ingest can compare against every stored record without recomputing them.
alter table ai_training_examples add column minhash bytea;

-- Order of arrival. Ingest writes under a per-contract advisory lock, so a process that has seen
-- every row up to N catches up with `ingest_seq > N` instead of reloading the table.
alter table ai_training_examples add column ingest_seq bigint generated always as identity;
create index ai_training_examples_contract_ingest_seq_idx on ai_training_examples (contract_id, ingest_seq);

-- A record quarantined and not yet resolved is held once, however often it is sent: a re-sent
-- batch adds nothing. Once released or rejected, a new copy may be quarantined again.
create unique index ai_training_quarantine_open_raw_idx
    on ai_training_quarantine (coalesce(contract_id, ''), raw_sha256)
    where status = 'quarantined';

-- The loop back from production remembers which generations it has already considered.
create table ai_training_loopback (
    generation_id uuid primary key,
    outcome       text not null check (outcome in ('accepted', 'quarantined', 'duplicate')),
    record_id     text,
    considered_at timestamptz not null default now()
);
