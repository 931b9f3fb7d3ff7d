-- Staging: every use case routes to OpenAI gpt-4o-mini, falling back to Anthropic and then to
-- the local model. Rows are keyed by environment, so this overlay and the prod overlay can
-- both be applied to one database (SITECRAFT_ENVIRONMENT=single_db) without conflict.
-- Upserts that never overwrite: a row that already exists was put there on purpose.
-- Providers and models (with prices) come from overlays/common, applied first.

-- api_key_setting names the configuration key (set as Providers__openai__ApiKey etc. from a secret), never the key.
insert into ai_provider_settings (environment, provider, base_url, api_key_setting) values
    ('staging', 'sitecraft-local', null, null),
    ('staging', 'openai', 'https://api.openai.com/v1', 'Providers:openai:ApiKey'),
    ('staging', 'anthropic', 'https://api.anthropic.com', 'Providers:anthropic:ApiKey')
on conflict (environment, provider) do nothing;

-- Version 1 of each use case's policy. policy_id comes from the identity column and is looked
-- up through (environment, use_case, version) below, never written down.
-- Guardrails: a canary needs 200 samples before it is judged, and is rolled back when its error
-- rate exceeds stable's by more than 2 points or its p95 latency exceeds 1.5x stable's.
insert into ai_routing_policies (environment, use_case, version, salt, arms, fallback, settings, comment, created_by)
select
    'staging',
    u.use_case,
    1,
    'staging:' || u.use_case,
    '[{"provider": "openai", "model": "gpt-4o-mini", "weight": 100, "role": "stable"}]',
    '[{"provider": "anthropic", "model": "claude-3-5-haiku-latest"}, {"provider": "sitecraft-local", "model": "sitecraft-base@1"}]',
    '{"attempt_timeout_ms": 20000, "guardrails": {"min_samples": 200, "max_error_rate_delta": 0.02, "max_p95_latency_ratio": 1.5}}',
    'initial policy from overlay',
    'overlay'
from (values ('site.page.json'), ('site.section.copy'), ('site.seo.meta')) as u (use_case)
on conflict (environment, use_case, version) do nothing;

insert into ai_routing_active (environment, use_case, policy_id, updated_by)
select p.environment, p.use_case, p.policy_id, 'overlay'
from ai_routing_policies p
where p.environment = 'staging'
  and p.version = 1
  and p.use_case in ('site.page.json', 'site.section.copy', 'site.seo.meta')
on conflict (environment, use_case) do nothing;

insert into ai_routing_events (environment, use_case, event_type, from_policy_id, to_policy_id, actor, reason, details)
select p.environment, p.use_case, 'publish', null, p.policy_id, 'overlay', 'initial policy',
       jsonb_build_object('version', p.version, 'overlay', 'staging/0001_providers_and_routing.sql')
from ai_routing_policies p
where p.environment = 'staging'
  and p.version = 1
  and p.use_case in ('site.page.json', 'site.section.copy', 'site.seo.meta')
  and not exists (
      select 1 from ai_routing_events e
      where e.event_type = 'publish' and e.to_policy_id = p.policy_id
  );
