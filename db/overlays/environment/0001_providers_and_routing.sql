-- One environment's provider settings and version 1 of its routing policies. The migrator applies
-- this file once per environment it seeds (single_db: staging, then prod), with the environment
-- name in the transaction setting sitecraft.environment; rows are keyed by environment, so
-- several environments coexist in one database. Providers and models (with prices) come from
-- overlays/common, applied first. Upserts that never overwrite: a row that exists was put there on purpose.

-- api_key_setting names the configuration key holding the key (a secret or user secret), never the key.
insert into ai_provider_settings (environment, provider, base_url, api_key_setting)
select current_setting('sitecraft.environment'), p.provider, p.base_url, p.api_key_setting
from (values
    ('sitecraft-local', null, null),
    ('openai', 'https://api.openai.com/v1', 'Providers:openai:ApiKey'),
    ('anthropic', 'https://api.anthropic.com', 'Providers:anthropic:ApiKey')
) as p (provider, base_url, api_key_setting)
on conflict (environment, provider) do nothing;

-- Development routes every use case to the local model, which needs no key and no network.
-- Hosted environments route to OpenAI gpt-4o-mini, falling back to Anthropic and then to the
-- local model; a canary needs 200 samples before it is judged, and is rolled back when its error
-- rate exceeds stable's by more than 2 points or its p95 latency exceeds 1.5x stable's.
-- policy_id comes from the identity column and is looked up through (environment, use_case, version).
insert into ai_routing_policies (environment, use_case, version, salt, arms, fallback, settings, comment, created_by)
select
    e.environment,
    u.use_case,
    1,
    e.environment || ':' || u.use_case,
    r.arms::jsonb,
    r.fallback::jsonb,
    r.settings::jsonb,
    'initial policy from overlay',
    'overlay'
from (values
    ('development', 'local'),
    ('staging', 'hosted'),
    ('prod', 'hosted')
) as e (environment, routing)
join (values
    ('local',
     '[{"provider": "sitecraft-local", "model": "sitecraft-base@1", "weight": 100, "role": "stable"}]',
     '[]',
     '{}'),
    ('hosted',
     '[{"provider": "openai", "model": "gpt-4o-mini", "weight": 100, "role": "stable"}]',
     '[{"provider": "anthropic", "model": "claude-3-5-haiku-latest"}, {"provider": "sitecraft-local", "model": "sitecraft-base@1"}]',
     '{"attempt_timeout_ms": 20000, "guardrails": {"min_samples": 200, "max_error_rate_delta": 0.02, "max_p95_latency_ratio": 1.5}}')
) as r (routing, arms, fallback, settings) on r.routing = e.routing
cross join (values ('site.page.json'), ('site.section.copy'), ('site.seo.meta')) as u (use_case)
where e.environment = current_setting('sitecraft.environment')
on conflict (environment, use_case, version) do nothing;

insert into ai_routing_active (environment, use_case, policy_id, updated_by)
select p.environment, p.use_case, p.policy_id, 'overlay'
from ai_routing_policies p
where p.environment = current_setting('sitecraft.environment')
  and p.version = 1
  and p.created_by = 'overlay'
on conflict (environment, use_case) do nothing;

insert into ai_routing_events (environment, use_case, event_type, from_policy_id, to_policy_id, actor, reason, details)
select p.environment, p.use_case, 'publish', null, p.policy_id, 'overlay', 'initial policy',
       jsonb_build_object('version', p.version, 'overlay', 'environment/0001_providers_and_routing.sql')
from ai_routing_policies p
where p.environment = current_setting('sitecraft.environment')
  and p.version = 1
  and p.created_by = 'overlay'
  and not exists (
      select 1 from ai_routing_events e
      where e.event_type = 'publish' and e.to_policy_id = p.policy_id
  );
