-- Single-use links in account emails (ADR 0039): "forgot password" (valid one hour) and the confirmation of a new
-- email address (24 hours, sent to that address). Only the SHA-256 hash of a token is stored. Users are global, so
-- these are platform rows: no tenant_id and no row-level security, like user_sessions and refresh_tokens.
--
-- A token ends when it is used (used_at), when it expires, or when it is superseded: a newer link of the same kind, a
-- new password or a new email address end every live token of the user by moving expires_at to that moment.
create table account_tokens (
  id          uuid primary key,
  user_id     uuid not null references users (id) on delete cascade,
  purpose     text not null check (purpose in ('password-reset', 'email-change')),
  token_hash  bytea not null,
  -- The address an email-change link confirms (it becomes the account's email and user name).
  new_email   text,
  created_at  timestamptz not null,
  expires_at  timestamptz not null,
  used_at     timestamptz,
  constraint account_tokens_new_email check ((purpose = 'email-change') = (new_email is not null))
);
create unique index account_tokens_token_hash_key on account_tokens (token_hash);
create index account_tokens_user_live_idx on account_tokens (user_id) where used_at is null;
