-- Support tickets (issue 14 §3, ADR 0058): shared mailboxes marked as support inboxes, the tickets their new threads
-- become, a per-tenant counter for the human ticket number, and the messages of each ticket.

-- A shared mailbox that is a support inbox. Mail dated before "since" is history the first sync imports, not a ticket.
create table support_inboxes (
  tenant_id   uuid not null,
  mailbox_id  uuid not null,
  since       timestamptz not null,
  created_at  timestamptz not null,
  updated_at  timestamptz not null,
  primary key (tenant_id, mailbox_id),
  constraint support_inboxes_mailbox_fk foreign key (tenant_id, mailbox_id) references mailboxes (tenant_id, id) on delete cascade
);
select app_enable_tenant_rls('support_inboxes');

-- The last ticket number handed out per tenant (numbers may have gaps: a rolled-back intake burns one).
create table ticket_counters (
  tenant_id    uuid not null references tenants (id),
  last_number  integer not null check (last_number > 0),
  primary key (tenant_id)
);
select app_enable_tenant_rls('ticket_counters');

create table tickets (
  tenant_id               uuid not null,
  id                      uuid not null,
  number                  integer not null check (number > 0),
  mailbox_id              uuid not null,
  subject                 text not null check (length(subject) <= 1000),
  requester_address       text not null check (length(requester_address) between 3 and 320),
  requester_name          text check (length(requester_name) <= 200),
  requester_contact_id    uuid,
  status                  text not null check (status in ('open', 'pending', 'solved')),
  assignee_id             uuid references users (id),
  priority                text not null check (priority in ('urgent', 'high', 'normal', 'low')),
  category                text not null check (length(category) between 1 and 40),
  sentiment               text not null check (length(sentiment) between 1 and 20),
  suggested_reply         text not null default '' check (length(suggested_reply) <= 4000),
  triage_engine           text not null check (triage_engine in ('rules', 'llm')),
  triage_model            text,
  triage_fallback         text,
  triage_reasons          jsonb not null default '[]',
  triage_notes            jsonb not null default '[]',
  first_response_due_at   timestamptz not null,
  resolution_due_at       timestamptz not null,
  first_responded_at      timestamptz,
  solved_at               timestamptz,
  created_at              timestamptz not null,
  updated_at              timestamptz not null,
  version                 integer not null default 1,
  primary key (tenant_id, id),
  constraint tickets_mailbox_fk foreign key (tenant_id, mailbox_id) references mailboxes (tenant_id, id) on delete cascade,
  constraint tickets_contact_fk foreign key (tenant_id, requester_contact_id) references contacts (tenant_id, id) on delete set null (requester_contact_id)
);
create unique index tickets_number_idx on tickets (tenant_id, number);
create index tickets_status_idx on tickets (tenant_id, status, created_at desc);
select app_enable_tenant_rls('tickets');

-- The messages of a ticket, inbound and outbound; an email belongs to at most one ticket, which makes the intake
-- idempotent (the inbound-email job may run twice).
create table ticket_messages (
  tenant_id   uuid not null,
  email_id    uuid not null,
  ticket_id   uuid not null,
  primary key (tenant_id, email_id),
  constraint ticket_messages_ticket_fk foreign key (tenant_id, ticket_id) references tickets (tenant_id, id) on delete cascade,
  constraint ticket_messages_email_fk foreign key (tenant_id, email_id) references email_messages (tenant_id, id) on delete cascade
);
create index ticket_messages_ticket_idx on ticket_messages (tenant_id, ticket_id);
select app_enable_tenant_rls('ticket_messages');
