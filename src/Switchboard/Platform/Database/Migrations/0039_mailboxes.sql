-- Mailboxes and two-way email (issue 14 §1, ADR 0056): a user's own mailbox or a shared team inbox connected over
-- IMAP + SMTP, the UID bookkeeping of its synced folders, the messages synced or sent, and their links to leads,
-- contacts and accounts (each link carries the thread the message belongs to for that counterparty).

create table mailboxes (
  tenant_id          uuid not null references tenants (id),
  id                 uuid not null,
  kind               text not null check (kind in ('personal', 'shared')),
  owner_id           uuid references users (id),
  name               text not null check (length(name) between 1 and 100),
  address            text not null check (length(address) between 3 and 320),
  auth_kind          text not null default 'password' check (auth_kind in ('password', 'oauth2')),
  imap_host          text not null check (length(imap_host) between 1 and 255),
  imap_port          integer not null check (imap_port between 1 and 65535),
  imap_security      text not null check (imap_security in ('none', 'starttls', 'tls')),
  imap_username      text not null check (length(imap_username) between 1 and 320),
  smtp_host          text not null check (length(smtp_host) between 1 and 255),
  smtp_port          integer not null check (smtp_port between 1 and 65535),
  smtp_security      text not null check (smtp_security in ('none', 'starttls', 'tls')),
  smtp_username      text not null check (length(smtp_username) between 1 and 320),
  secret             text not null,
  visibility         text not null default 'full' check (visibility in ('full', 'subject', 'metadata')),
  is_active          boolean not null default true,
  last_sync_at       timestamptz,
  last_error         text check (length(last_error) <= 1000),
  last_error_at      timestamptz,
  last_reconciled_at timestamptz,
  last_reconcile_missed integer not null default 0,
  watch_owner        text,
  watch_until        timestamptz,
  created_at         timestamptz not null,
  updated_at         timestamptz not null,
  primary key (tenant_id, id),
  constraint mailboxes_owner_kind check ((kind = 'personal') = (owner_id is not null))
);
create unique index mailboxes_tenant_address_idx on mailboxes (tenant_id, lower(address));
select app_enable_tenant_rls('mailboxes');

-- Who may use a shared inbox besides administrators.
create table mailbox_members (
  tenant_id   uuid not null,
  mailbox_id  uuid not null,
  user_id     uuid not null references users (id),
  primary key (tenant_id, mailbox_id, user_id),
  constraint mailbox_members_mailbox_fk foreign key (tenant_id, mailbox_id) references mailboxes (tenant_id, id) on delete cascade
);
select app_enable_tenant_rls('mailbox_members');

-- Per synced folder (INBOX, and the folder the server marks \Sent): the UIDVALIDITY seen and the highest UID stored.
create table mailbox_folders (
  tenant_id     uuid not null,
  mailbox_id    uuid not null,
  role          text not null check (role in ('inbox', 'sent')),
  name          text not null,
  uid_validity  bigint not null,
  last_uid      bigint not null default 0,
  synced_at     timestamptz,
  primary key (tenant_id, mailbox_id, role),
  constraint mailbox_folders_mailbox_fk foreign key (tenant_id, mailbox_id) references mailboxes (tenant_id, id) on delete cascade
);
select app_enable_tenant_rls('mailbox_folders');

create table email_messages (
  tenant_id      uuid not null,
  id             uuid not null,
  mailbox_id     uuid not null,
  folder         text not null check (folder in ('inbox', 'sent')),
  uid_validity   bigint,
  uid            bigint,
  message_id     text not null check (length(message_id) between 1 and 998),
  in_reply_to    text,
  "references"   text[] not null default '{}',
  direction      text not null check (direction in ('inbound', 'outbound')),
  from_address   text not null,
  from_name      text,
  to_addresses   text[] not null default '{}',
  cc_addresses   text[] not null default '{}',
  subject        text not null default '',
  text_body      text,
  html_body      text,
  sent_at        timestamptz not null,
  synced_at      timestamptz not null,
  -- present: in the folder it was synced from; moved: found in another folder (server_folder); removed: gone from
  -- the server. The CRM keeps its copy either way (ADR 0056).
  server_state   text not null default 'present' check (server_state in ('present', 'moved', 'removed')),
  server_folder  text,
  server_state_at timestamptz,
  sent_by        uuid references users (id),
  primary key (tenant_id, id),
  constraint email_messages_mailbox_fk foreign key (tenant_id, mailbox_id) references mailboxes (tenant_id, id) on delete cascade
);
create unique index email_messages_uid_idx on email_messages (tenant_id, mailbox_id, folder, uid_validity, uid) where uid is not null;
create unique index email_messages_message_id_idx on email_messages (tenant_id, mailbox_id, message_id);
create index email_messages_tenant_message_id_idx on email_messages (tenant_id, message_id);
select app_enable_tenant_rls('email_messages');

-- A message on a lead's, contact's or account's timeline; thread_id groups it with the earlier messages it answers
-- that involve the same counterparty.
create table email_links (
  tenant_id     uuid not null,
  email_id      uuid not null,
  related_type  text not null check (related_type in ('lead', 'contact', 'account')),
  related_id    uuid not null,
  thread_id     uuid not null,
  primary key (tenant_id, email_id, related_type, related_id),
  constraint email_links_email_fk foreign key (tenant_id, email_id) references email_messages (tenant_id, id) on delete cascade
);
create index email_links_related_idx on email_links (tenant_id, related_type, related_id);
select app_enable_tenant_rls('email_links');

-- A tenant's templates for composed email; merge fields in Liquid (Fluid), e.g. {{ recipient.first_name }}.
create table email_templates (
  tenant_id   uuid not null references tenants (id),
  id          uuid not null,
  name        text not null check (length(name) between 1 and 100),
  subject     text not null check (length(subject) between 1 and 500),
  text_body   text not null check (length(text_body) <= 100000),
  html_body   text check (length(html_body) <= 200000),
  created_at  timestamptz not null,
  updated_at  timestamptz not null,
  primary key (tenant_id, id)
);
select app_enable_tenant_rls('email_templates');

-- The watchers of every instance claim mailboxes to hold an IMAP IDLE connection to, one instance per mailbox: a
-- lease (watch_owner, watch_until) taken across tenants here, renewed by the holder inside the mailbox's tenant. The
-- function runs as the schema owner, to whom FORCE ROW LEVEL SECURITY applies too: the extra policy below lets only
-- that role, and only while this function has set app.mailbox_watch, see every tenant's mailboxes.
create policy mailboxes_watch_claim on mailboxes to current_user
  using (current_setting('app.mailbox_watch', true) = 'on') with check (current_setting('app.mailbox_watch', true) = 'on');

create function mailbox_watch_claim(p_owner text, p_now timestamptz, p_until timestamptz, p_max integer)
  returns table (tenant_id uuid, id uuid)
  language plpgsql security definer set search_path = public, pg_temp
  as $$
#variable_conflict use_column
begin
  perform set_config('app.mailbox_watch', 'on', true);
  return query
    update mailboxes m set watch_owner = p_owner, watch_until = p_until
    from (select c.tenant_id, c.id from mailboxes c
          where c.is_active and (c.watch_until is null or c.watch_until < p_now or c.watch_owner = p_owner)
          order by c.watch_until nulls first
          limit p_max
          for update skip locked) pick
    where m.tenant_id = pick.tenant_id and m.id = pick.id
    returning m.tenant_id, m.id;
  perform set_config('app.mailbox_watch', '', true);
end $$;
revoke execute on function mailbox_watch_claim(text, timestamptz, timestamptz, integer) from public;
do $$
begin
  if exists (select from pg_roles where rolname = 'switchboard_runtime') then
    execute 'grant execute on function mailbox_watch_claim(text, timestamptz, timestamptz, integer) to switchboard_runtime';
  end if;
end $$;
