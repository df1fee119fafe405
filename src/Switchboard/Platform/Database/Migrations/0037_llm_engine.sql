-- The LLM engine of AI call intelligence (issue 13, ADR 0052): a tenant's own model settings, its monthly token
-- budget, and a ledger of every request sent to a model, which the budget and the AI settings page read.

-- Per tenant: the LLM engine on or off; "never send transcripts to an external model" (then only a model the operator
-- runs inside the deployment may be used); the tenant's own OpenAI-compatible endpoint, model and key (the key
-- encrypted with the app's data-protection keys, never returned); the tokens it may use per calendar month (UTC).
alter table ai_settings
  add column llm_enabled           boolean not null default true,
  add column never_external        boolean not null default false,
  add column llm_endpoint          text check (length(llm_endpoint) <= 500),
  add column llm_model             text check (length(llm_model) <= 100),
  add column llm_api_key           text,
  add column monthly_token_budget  bigint not null default 1000000 check (monthly_token_budget between 0 and 1000000000),
  add constraint ai_settings_llm_endpoint_model check ((llm_endpoint is null) = (llm_model is null));

-- Why an analysis ran on the rules engine although a model was configured: the model timed out, failed, answered
-- outside the schema, or the month's budget was spent.
alter table call_analyses add column fallback text check (length(fallback) <= 300);

-- One row per request to a model (or per request the budget stopped): what for, which model from which settings, how
-- it ended, and the tokens the endpoint reported. The budget sums this month's tokens.
create table ai_usage (
  tenant_id      uuid not null references tenants (id),
  id             uuid not null,
  at             timestamptz not null,
  purpose        text not null check (purpose in ('analysis', 'call-prep')),
  source         text not null check (source in ('tenant', 'platform', 'configuration')),
  model          text not null,
  outcome        text not null check (outcome in ('ok', 'timeout', 'error', 'invalid', 'budget')),
  input_tokens   bigint not null default 0 check (input_tokens >= 0),
  output_tokens  bigint not null default 0 check (output_tokens >= 0),
  duration_ms    integer not null default 0 check (duration_ms >= 0),
  call_id        uuid,
  primary key (tenant_id, id)
);
create index ai_usage_tenant_at_idx on ai_usage (tenant_id, at);
select app_enable_tenant_rls('ai_usage');
