-- Passkeys (WebAuthn) as a second factor and as passwordless sign-in (issue 12 §4, ADR 0050). Like the other
-- two-factor tables (0029) these are platform rows of a person, who has one account across tenants: no tenant_id and
-- no row-level security.
--
-- A passkey is a user_second_factors row of method 'webauthn': the credential id the authenticator chose (unique across
-- everyone: a passwordless sign-in finds the account by it), its COSE public key, the signature counter it last
-- reported (a counter that goes back means a cloned authenticator: refused), the name its owner gave it, the
-- authenticator model (aaguid) and how the browser reaches it (transports). It is confirmed when it is created: the
-- attestation the browser returned is the proof of possession.
alter table user_second_factors
  add column credential_id bytea,
  add column public_key    bytea,
  add column sign_count    bigint,
  add column name          text,
  add column aaguid        uuid,
  add column transports    text[],
  add constraint user_second_factors_webauthn_credential check (
    method <> 'webauthn' or (credential_id is not null and public_key is not null and sign_count is not null and sign_count >= 0
                             and name is not null and length(name) between 1 and 100 and confirmed_at is not null));
create unique index user_second_factors_credential_id_key on user_second_factors (credential_id) where credential_id is not null;

-- The WebAuthn user handle of a person: 32 random bytes given to their authenticators when a passkey is created and
-- returned by a passwordless sign-in, never the email or the account id (the handle is readable by the authenticator).
create table webauthn_user_handles (
  user_id     uuid primary key references users (id) on delete cascade,
  handle      bytea not null check (length(handle) = 32),
  created_at  timestamptz not null
);
create unique index webauthn_user_handles_handle_key on webauthn_user_handles (handle);

-- A ceremony between its options and the browser's answer: the options as sent (their challenge is 32 random bytes
-- from the server, looked up by its SHA-256), what they are for, the user when one is known (enrolment, second
-- factor; null for a passwordless sign-in, where the passkey names the user), valid five minutes, used once.
create table webauthn_ceremonies (
  id              uuid primary key,
  challenge_hash  bytea not null,
  purpose         text not null check (purpose in ('register', 'second-factor', 'passwordless')),
  user_id         uuid references users (id) on delete cascade,
  options         text not null,
  created_at      timestamptz not null,
  expires_at      timestamptz not null,
  used_at         timestamptz,
  constraint webauthn_ceremonies_user check (purpose = 'passwordless' or user_id is not null)
);
create unique index webauthn_ceremonies_challenge_hash_key on webauthn_ceremonies (challenge_hash);
create index webauthn_ceremonies_expires_idx on webauthn_ceremonies (expires_at);

-- A session opened with a passkey alone (user verification made it multi-factor) says so.
alter table user_sessions drop constraint user_sessions_sign_in_method_check;
alter table user_sessions add constraint user_sessions_sign_in_method_check check (sign_in_method in ('password', 'ldap', 'sso', 'passkey'));
