-- Development: every use case routes to the local model, which needs no key and no network.
-- The hosted providers are configured too, so a developer with a key can pin them in evals.
-- Upserts that never overwrite: a row that already exists was put there on purpose.
-- Providers and models (with prices) come from overlays/common, applied first.

-- api_key_setting names the configuration key holding the key (user secrets in development).
insert into ai_provider_settings (environment, provider, base_url, api_key_setting) values
    ('development', 'sitecraft-local', null, null),
    ('development', 'openai', 'https://api.openai.com/v1', 'Providers:openai:ApiKey'),
    ('development', 'anthropic', 'https://api.anthropic.com', 'Providers:anthropic:ApiKey')
on conflict (environment, provider) do nothing;

-- Version 1 of each use case's policy. policy_id comes from the identity column and is looked
-- up through (environment, use_case, version) below, never written down.
insert into ai_routing_policies (environment, use_case, version, salt, arms, fallback, settings, comment, created_by)
select
    'development',
    u.use_case,
    1,
    'development:' || u.use_case,
    '[{"provider": "sitecraft-local", "model": "sitecraft-base@1", "weight": 100, "role": "stable"}]',
    '[]',
    '{}',
    'initial policy from overlay',
    'overlay'
from (values ('site.page.json'), ('site.section.copy'), ('site.seo.meta')) as u (use_case)
on conflict (environment, use_case, version) do nothing;

insert into ai_routing_active (environment, use_case, policy_id, updated_by)
select p.environment, p.use_case, p.policy_id, 'overlay'
from ai_routing_policies p
where p.environment = 'development'
  and p.version = 1
  and p.use_case in ('site.page.json', 'site.section.copy', 'site.seo.meta')
on conflict (environment, use_case) do nothing;

insert into ai_routing_events (environment, use_case, event_type, from_policy_id, to_policy_id, actor, reason, details)
select p.environment, p.use_case, 'publish', null, p.policy_id, 'overlay', 'initial policy',
       jsonb_build_object('version', p.version, 'overlay', 'development/0001_providers_and_routing.sql')
from ai_routing_policies p
where p.environment = 'development'
  and p.version = 1
  and p.use_case in ('site.page.json', 'site.section.copy', 'site.seo.meta')
  and not exists (
      select 1 from ai_routing_events e
      where e.event_type = 'publish' and e.to_policy_id = p.policy_id
  );
