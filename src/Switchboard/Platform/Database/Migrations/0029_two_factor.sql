-- Two-factor sign-in (issue 12 §4, ADR 0045). A person has one account across tenants, so their second factors are
-- platform rows like user_sessions and account_tokens: no tenant_id on the factor tables and no row-level security.
--
-- user_second_factors: one row per factor. method 'totp' keeps its shared secret encrypted with ASP.NET Core Data
-- Protection (secret_protected) and the last time step a code was accepted for (a code works once). Passkeys come as
-- method 'webauthn' with their own nullable columns (credential id, public key, signature counter) in a later
-- migration: the sign-in asks "which confirmed methods has this user", which a second method joins unchanged.
-- A row with confirmed_at null is an enrolment in progress: it is never asked for at sign-in.
create table user_second_factors (
  id               uuid primary key,
  user_id          uuid not null references users (id) on delete cascade,
  method           text not null check (method in ('totp', 'webauthn')),
  secret_protected text,
  last_used_step   bigint,
  created_at       timestamptz not null,
  confirmed_at     timestamptz,
  last_used_at     timestamptz,
  constraint user_second_factors_totp_secret check (method <> 'totp' or secret_protected is not null)
);
-- One authenticator app per person (a pending enrolment and the active one are the same row: confirming flips it).
create unique index user_second_factors_one_totp on user_second_factors (user_id) where method = 'totp';

-- Ten single-use recovery codes per person: 80 random bits each, so their SHA-256 is enough (no slow hash, as for API
-- keys). Regenerating deletes the old set.
create table user_recovery_codes (
  id          uuid primary key,
  user_id     uuid not null references users (id) on delete cascade,
  code_hash   bytea not null,
  created_at  timestamptz not null,
  used_at     timestamptz
);
create unique index user_recovery_codes_hash_key on user_recovery_codes (user_id, code_hash);

-- The mfaToken between a right password and the second factor: SHA-256 of it stored, short-lived, used once, bound to
-- the user and to the tenant the password sign-in chose (tenant_id null: a superadmin outside tenants). Like
-- user_sessions it is looked up by token before any tenant is known, so it has no row-level security.
create table mfa_challenges (
  id          uuid primary key,
  user_id     uuid not null references users (id) on delete cascade,
  tenant_id   uuid references tenants (id) on delete cascade,
  token_hash  bytea not null,
  kind        text not null check (kind in ('web', 'api')),
  created_at  timestamptz not null,
  expires_at  timestamptz not null,
  used_at     timestamptz
);
create unique index mfa_challenges_token_hash_key on mfa_challenges (token_hash);
create index mfa_challenges_user_idx on mfa_challenges (user_id);

-- "Remember this device for 30 days": the browser keeps a cookie with the device's id and a random secret; only the
-- secret's SHA-256 is stored. A device counts only while it is newer than the user's last password change; resetting
-- or turning off the second factor deletes the user's devices.
create table mfa_remembered_devices (
  id          uuid primary key,
  user_id     uuid not null references users (id) on delete cascade,
  token_hash  bytea not null,
  user_agent  text,
  created_at  timestamptz not null,
  expires_at  timestamptz not null
);
create index mfa_remembered_devices_user_idx on mfa_remembered_devices (user_id);

-- Per-tenant enforcement: nobody, admins and managers, or everyone must have a second factor, after a grace period
-- counted for each member from when the requirement first applied to them (tenant_memberships.mfa_required_since).
alter table tenants
  add column mfa_requirement text not null default 'off' check (mfa_requirement in ('off', 'admins', 'everyone')),
  add column mfa_grace_days  integer not null default 7 check (mfa_grace_days between 0 and 90);
alter table tenant_memberships add column mfa_required_since timestamptz;
