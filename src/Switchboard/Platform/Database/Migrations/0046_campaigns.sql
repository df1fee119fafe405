-- Campaigns (issue 14 §2, ADR 0061): one-off email campaigns to a saved view or a list selection, and AI call
-- campaigns through a voice-agent provider. The campaign row carries its counters (updated atomically by the workers
-- and the outcome observers); one recipient row per person, unique per campaign, so materialising twice adds nobody twice.
create table campaigns (
  tenant_id          uuid not null references tenants (id),
  id                 uuid not null,
  name               text not null,
  kind               text not null check (kind in ('email', 'call')),
  entity             text not null check (entity in ('lead', 'contact')),
  view_id            uuid,
  record_ids         uuid[],
  status             text not null default 'draft'
                       check (status in ('draft', 'running', 'paused', 'completed', 'cancelled')),
  mailbox_id         uuid,
  template_id        uuid,
  subject            text,
  text_body          text,
  html_body          text,
  provider           text check (provider in ('callfluent', 'thoughtly')),
  agent_id           text,
  prompt             text,
  concurrency        integer not null default 1 check (concurrency between 1 and 100),
  total              integer not null default 0,
  processed          integer not null default 0,
  sent               integer not null default 0,
  failed             integer not null default 0,
  skipped            integer not null default 0,
  skipped_no_address integer not null default 0,
  skipped_suppressed integer not null default 0,
  skipped_do_not_contact integer not null default 0,
  materialised       boolean not null default false,
  run                integer not null default 0,
  created_by         uuid not null,
  created_at         timestamptz not null,
  updated_at         timestamptz not null,
  version            integer not null default 1,
  started_at         timestamptz,
  finished_at        timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, mailbox_id) references mailboxes (tenant_id, id) on delete restrict
);
select app_enable_tenant_rls('campaigns');

create table campaign_recipients (
  tenant_id          uuid not null references tenants (id),
  id                 uuid not null,
  campaign_id        uuid not null,
  seq                integer not null,
  related_type       text not null check (related_type in ('lead', 'contact')),
  related_id         uuid not null,
  status             text not null default 'pending'
                       check (status in ('pending', 'queued', 'sent', 'failed', 'skipped', 'cancelled')),
  skip_reason        text check (skip_reason in ('no-address', 'suppressed', 'do-not-contact')),
  address            text,
  outbound_email_id  uuid,
  provider_call_id   text,
  call_id            uuid,
  error              text,
  created_at         timestamptz not null,
  finished_at        timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, campaign_id, related_type, related_id),
  foreign key (tenant_id, campaign_id) references campaigns (tenant_id, id) on delete cascade
);
create index campaign_recipients_status_idx on campaign_recipients (tenant_id, campaign_id, status, seq);
select app_enable_tenant_rls('campaign_recipients');

-- Outbound calls: where the provider's API is and the key it takes (encrypted), per voice-agent integration.
alter table voice_agent_integrations add column api_base_url text;
alter table voice_agent_integrations add column api_key text;
