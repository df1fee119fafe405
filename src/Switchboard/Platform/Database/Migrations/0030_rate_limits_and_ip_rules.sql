-- Rate limits and IP rules (issue 12 §8, ADR 0046).

-- A tenant's IP allowlist (CIDR blocks, canonical text as api_keys.allowed_ips): when set, its members reach the UI
-- and the API only from these addresses. Its API limits: token buckets per user, per API key and for the whole
-- tenant; null takes the platform default (RateLimits:* settings). Only superadmins change the limits.
alter table tenants
  add column ip_allowlist          text[],
  add column rate_user_per_second   integer check (rate_user_per_second between 1 and 10000),
  add column rate_user_burst        integer check (rate_user_burst between 1 and 100000),
  add column rate_key_per_second    integer check (rate_key_per_second between 1 and 10000),
  add column rate_key_burst         integer check (rate_key_burst between 1 and 100000),
  add column rate_tenant_per_second integer check (rate_tenant_per_second between 1 and 10000),
  add column rate_tenant_burst      integer check (rate_tenant_burst between 1 and 100000);

-- The platform's IP blocklist: blocks a superadmin adds and the automatic blocks of abusive clients. Platform rows like
-- users (no tenant): read by every instance to refresh its in-memory copy, changed only by superadmin code and the
-- abuse monitor. A block ends at expires_at (null: never) or when lifted; rows are kept as the blocklist's history.
create table ip_blocks (
  id          uuid primary key,
  network     text not null,
  reason      text not null check (length(reason) between 1 and 500),
  source      text not null check (source in ('manual', 'automatic')),
  created_at  timestamptz not null,
  created_by  uuid references users (id) on delete set null,
  expires_at  timestamptz,
  lifted_at   timestamptz,
  lifted_by   uuid references users (id) on delete set null,
  constraint ip_blocks_expiry check (expires_at is null or expires_at > created_at)
);
create index ip_blocks_active_idx on ip_blocks (created_at desc) where lifted_at is null;
