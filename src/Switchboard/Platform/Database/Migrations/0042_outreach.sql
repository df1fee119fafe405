-- Outreach (issue 14 §2, ADR 0059): the outbound email queue that sequences and campaigns write into, and the tenant's
-- suppression list. A sender worker drains the queue (its claim machinery comes with it); here is only the contract.

-- One row per email a sequence step or a campaign recipient will send. The idempotency key (for example
-- `sequence:{enrolment}:{step}` or `campaign:{campaign}:{recipient}`) is unique per tenant, so a step written twice
-- sends once; the Message-ID is fixed when the row is written, so every attempt of the same email carries the same one.
create table outreach_emails (
  tenant_id        uuid not null references tenants (id),
  id               uuid not null,
  idempotency_key  text not null,
  source           text not null check (source in ('sequence', 'campaign')),
  source_id        uuid not null,
  mailbox_id       uuid not null,
  related_type     text check (related_type in ('lead', 'contact')),
  related_id       uuid,
  to_address       text not null,
  to_name          text,
  template_id      uuid,
  subject          text,
  text_body        text,
  html_body        text,
  status           text not null default 'queued'
                     check (status in ('queued', 'sending', 'sent', 'failed', 'suppressed', 'cancelled')),
  not_before       timestamptz not null,
  attempts         integer not null default 0,
  message_id       text not null,
  email_id         uuid,
  error            text,
  bounced_at       timestamptz,
  created_at       timestamptz not null,
  sent_at          timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, idempotency_key),
  foreign key (tenant_id, mailbox_id) references mailboxes (tenant_id, id) on delete cascade
);
create index outreach_emails_source_idx on outreach_emails (tenant_id, source, source_id);
create index outreach_emails_to_idx on outreach_emails (tenant_id, to_address);
select app_enable_tenant_rls('outreach_emails');

-- Addresses the tenant never emails from sequences or campaigns: unsubscribed, hard-bounced, complained, or added by
-- hand. Stored lower-case.
create table suppressions (
  tenant_id          uuid not null references tenants (id),
  address            text not null check (address = lower(address)),
  reason             text not null check (reason in ('unsubscribed', 'bounced', 'complaint', 'manual')),
  outbound_email_id  uuid,
  note               text,
  created_by         uuid,
  created_at         timestamptz not null,
  primary key (tenant_id, address)
);
select app_enable_tenant_rls('suppressions');
