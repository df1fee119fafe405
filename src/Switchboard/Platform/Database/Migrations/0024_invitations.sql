-- Invitations (issue 12 §2, ADR 0040): tenant administrators invite people by email with a role; the person accepts
-- through a single-use link valid 7 days, as a new account or with the account they already have. Tenant admins
-- never create accounts nor learn whether an address has one.
create table invitations (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  id            uuid not null,
  email         text not null,
  -- Lower-cased: one pending invitation per address and tenant.
  email_key     text not null,
  role          text not null,
  department    text,
  phone         text,
  -- A name to greet the person with (from a CSV); the person chooses their own when they accept.
  greeting_name text,
  -- SHA-256 of the link's token; a resend replaces it, so an older link stops working.
  token_hash    bytea not null,
  invited_by    uuid references users (id) on delete set null,
  created_at    timestamptz not null,
  sent_at       timestamptz not null,
  expires_at    timestamptz not null,
  accepted_at   timestamptz,
  accepted_by   uuid references users (id) on delete set null,
  revoked_at    timestamptz,
  primary key (tenant_id, id)
);
create unique index invitations_token_idx on invitations (token_hash);
create unique index invitations_pending_idx on invitations (tenant_id, email_key) where accepted_at is null and revoked_at is null;
select app_enable_tenant_rls('invitations');

-- The person following a link is not signed in and no tenant is chosen: they may read the one invitation whose token
-- they hold (the app sets app.invitation_token, transaction-local, to the hex SHA-256 of it), and nothing else.
create function app_invitation_token() returns bytea
  language sql stable
  as $$ select decode(nullif(current_setting('app.invitation_token', true), ''), 'hex') $$;
create policy invitations_by_token on invitations for select using (token_hash = app_invitation_token());
