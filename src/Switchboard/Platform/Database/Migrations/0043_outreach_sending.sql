-- Outreach sending (issue 14 §2, ADR 0059): the sender worker's lease on outreach_emails, bounce bookkeeping, the
-- per-mailbox caps and auto-pause, and the cross-tenant function that tells the workers which tenants have work.

-- A row being sent carries its worker's lease: a row found 'sending' after locked_until is in doubt (its worker died
-- between committing 'sending' and committing 'sent') and is resolved by looking for its Message-ID in the mailbox.
-- smtp_accepted_at: committed right after the SMTP server accepted the message, so a row in doubt that has it went out.
-- bounce_kind/bounce_status: the last delivery status notification naming this email (hard sets bounced_at too).
alter table outreach_emails
  add column locked_by      text,
  add column locked_until   timestamptz,
  add column smtp_accepted_at timestamptz,
  add column bounce_kind    text check (bounce_kind in ('hard', 'soft')),
  add column bounce_status  text check (length(bounce_status) <= 100);
create index outreach_emails_due_idx on outreach_emails (tenant_id, not_before) where status in ('queued', 'sending');
create index outreach_emails_mailbox_sent_idx on outreach_emails (tenant_id, mailbox_id, sent_at) where status = 'sent';
create index outreach_emails_message_id_idx on outreach_emails (tenant_id, message_id);

-- Per mailbox: how much outreach it may send (per minute, per rolling 24 hours) and whether outreach sending is paused
-- (by the hard-bounce auto-pause, until an administrator resumes it). A mailbox without a row has the defaults.
create table outreach_mailbox_settings (
  tenant_id      uuid not null references tenants (id),
  mailbox_id     uuid not null,
  per_minute     integer not null default 10 check (per_minute between 1 and 1000),
  per_day        integer not null default 500 check (per_day between 1 and 100000),
  paused_at      timestamptz,
  paused_reason  text check (length(paused_reason) <= 500),
  updated_at     timestamptz not null,
  primary key (tenant_id, mailbox_id),
  foreign key (tenant_id, mailbox_id) references mailboxes (tenant_id, id) on delete cascade
);
select app_enable_tenant_rls('outreach_mailbox_settings');

-- The workers of every instance ask which tenants have outbound email due (queued and due, or 'sending' with an
-- expired lease) in a mailbox that is not paused; they then enter each tenant and claim rows there with FOR UPDATE
-- SKIP LOCKED under the policies. The function runs as the schema owner, to whom FORCE ROW LEVEL SECURITY applies
-- too: the policies below let only that role, and only while the function has set app.outreach_scan, see every
-- tenant's rows. It returns tenant ids, nothing of the emails.
create policy outreach_emails_scan on outreach_emails to current_user
  using (current_setting('app.outreach_scan', true) = 'on');
create policy outreach_mailbox_settings_scan on outreach_mailbox_settings to current_user
  using (current_setting('app.outreach_scan', true) = 'on');

create function outreach_due_tenants(p_now timestamptz)
  returns table (tenant_id uuid)
  language plpgsql security definer set search_path = public, pg_temp
  as $$
begin
  perform set_config('app.outreach_scan', 'on', true);
  return query
    select distinct o.tenant_id from outreach_emails o
    where ((o.status = 'queued' and o.not_before <= p_now) or (o.status = 'sending' and o.locked_until < p_now))
      and not exists (select from outreach_mailbox_settings s
                      where s.tenant_id = o.tenant_id and s.mailbox_id = o.mailbox_id and s.paused_at is not null);
  perform set_config('app.outreach_scan', '', true);
end $$;
revoke execute on function outreach_due_tenants(timestamptz) from public;
do $$
begin
  if exists (select from pg_roles where rolname = 'switchboard_runtime') then
    execute 'grant execute on function outreach_due_tenants(timestamptz) to switchboard_runtime';
  end if;
end $$;
