-- Support triage (issue 14 §3, ADR 0057): the tenant's support settings, and the model requests triage makes.

-- One row per tenant once an administrator saves them (the defaults in code until then): categories with their
-- keywords, SLA targets per priority, reply templates per category (Liquid).
create table support_settings (
  tenant_id        uuid not null references tenants (id),
  categories       jsonb not null,
  sla_targets      jsonb not null,
  reply_templates  jsonb not null,
  updated_at       timestamptz not null,
  primary key (tenant_id)
);
select app_enable_tenant_rls('support_settings');

-- Triage asks the tenant's model too, under the same budget and ledger as call analysis.
alter table ai_usage drop constraint ai_usage_purpose_check;
alter table ai_usage add constraint ai_usage_purpose_check check (purpose in ('analysis', 'call-prep', 'support-triage'));
