-- Session activity and why a session ended (issue 12 §6, ADR 0044).
-- last_seen_at: the last request of the session, written at most once a minute by the per-request session check
-- (SessionLookup) and by refresh; the tenant's idle timeout counts from it. Existing sessions start from sign-in.
alter table user_sessions add column last_seen_at timestamptz;
update user_sessions set last_seen_at = created_at;
alter table user_sessions alter column last_seen_at set not null;

-- Why revoked_at was set: the user signed out or ended it, an admin ended it, the tenant's idle timeout or lifetime
-- ran out, the password changed, the membership was removed... Sessions revoked before this migration have none.
alter table user_sessions
  add column revoked_reason text,
  add constraint user_sessions_revoked_reason check (
    revoked_reason is null
    or (revoked_at is not null and revoked_reason in (
      'signed-out', 'switched-tenant', 'ended-by-user', 'ended-by-admin', 'idle', 'expired',
      'password-changed', 'password-reset', 'refresh-token-reused', 'membership-removed')));
