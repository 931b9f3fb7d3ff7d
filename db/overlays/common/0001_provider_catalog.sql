-- Applied before every environment's overlay (development, staging, prod, single_db).
-- The providers and models every environment knows; prices in USD per million tokens.
-- Environment overlays add settings and routing on top. Upserts that never overwrite.
insert into ai_providers (provider, kind, display_name) values
    ('sitecraft-local', 'local', 'SiteCraft local model'),
    ('openai', 'openai-compatible', 'OpenAI'),
    ('anthropic', 'anthropic', 'Anthropic')
on conflict (provider) do nothing;

-- Prices in USD per million tokens; limits as published by each provider.
insert into ai_models (provider, model, display_name, input_usd_per_mtok, output_usd_per_mtok, context_window, max_output_tokens) values
    ('sitecraft-local', 'sitecraft-base@1', 'SiteCraft base v1', 0, 0, 512, null),
    ('openai', 'gpt-4o-mini', 'GPT-4o mini', 0.15, 0.60, 128000, 16384),
    ('openai', 'gpt-4.1-mini', 'GPT-4.1 mini', 0.40, 1.60, 1047576, 32768),
    ('anthropic', 'claude-3-5-haiku-latest', 'Claude 3.5 Haiku', 0.80, 4.00, 200000, 8192),
    ('anthropic', 'claude-sonnet-4-0', 'Claude Sonnet 4', 3.00, 15.00, 200000, 64000)
on conflict (provider, model) do nothing;
