-- Foundation: tenants, users and memberships, sessions, leads, audit log, data protection keys.
-- Tenant-owned tables carry tenant_id first in their primary key, have row-level security ENABLED
-- and FORCED (so even the owning role is held to the policies), and policies on app.tenant_id.
-- An unset app.tenant_id means "no tenant": nullif(..., '') turns it into NULL and nothing matches.

-- When the installation uses a separate runtime role (group role switchboard_runtime), it gets
-- data privileges on everything this owner creates from here on. In the single-role setup the
-- group does not exist and the owner's own privileges apply.
do $$
begin
  if exists (select from pg_roles where rolname = 'switchboard_runtime') then
    execute 'alter default privileges in schema public grant select, insert, update, delete on tables to switchboard_runtime';
    execute 'alter default privileges in schema public grant usage, select on sequences to switchboard_runtime';
    execute 'grant usage on schema public to switchboard_runtime';
    execute 'grant select on schema_migrations to switchboard_runtime';
  end if;
end $$;

create function app_current_tenant() returns uuid
  language sql stable
  as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;

create function app_current_user() returns uuid
  language sql stable
  as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;

create table tenants (
  id              uuid primary key,
  name            text not null,
  slug            text not null,
  is_active       boolean not null default true,
  time_zone       text not null,
  currency        char(3) not null,
  date_format     text not null,
  default_country char(2) not null,
  created_at      timestamptz not null,
  updated_at      timestamptz not null,
  constraint tenants_slug_format check (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$')
);
create unique index tenants_slug_key on tenants (slug);

create table users (
  id                     uuid primary key,
  user_name              varchar(256),
  normalized_user_name   varchar(256),
  email                  varchar(256),
  normalized_email       varchar(256),
  email_confirmed        boolean not null,
  password_hash          text,
  security_stamp         text,
  concurrency_stamp      text,
  phone_number           text,
  phone_number_confirmed boolean not null,
  two_factor_enabled     boolean not null,
  lockout_end            timestamptz,
  lockout_enabled        boolean not null,
  access_failed_count    integer not null,
  first_name             text not null,
  last_name              text not null,
  is_superadmin          boolean not null default false,
  is_active              boolean not null default true,
  last_tenant_id         uuid references tenants (id) on delete set null,
  created_at             timestamptz not null
);
create unique index users_normalized_user_name_key on users (normalized_user_name);
create index users_normalized_email_idx on users (normalized_email);

create table user_claims (
  id          serial primary key,
  user_id     uuid not null references users (id) on delete cascade,
  claim_type  text,
  claim_value text
);
create index user_claims_user_id_idx on user_claims (user_id);

create table user_logins (
  login_provider        text not null,
  provider_key          text not null,
  provider_display_name text,
  user_id               uuid not null references users (id) on delete cascade,
  primary key (login_provider, provider_key)
);
create index user_logins_user_id_idx on user_logins (user_id);

create table user_tokens (
  user_id        uuid not null references users (id) on delete cascade,
  login_provider text not null,
  name           text not null,
  value          text,
  primary key (user_id, login_provider, name)
);

create table tenant_memberships (
  tenant_id  uuid not null references tenants (id) on delete cascade,
  user_id    uuid not null references users (id) on delete cascade,
  role       text not null check (role in ('admin', 'manager', 'agent', 'readonly')),
  is_active  boolean not null default true,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  primary key (tenant_id, user_id)
);
create index tenant_memberships_user_id_idx on tenant_memberships (user_id);
alter table tenant_memberships enable row level security;
alter table tenant_memberships force row level security;
-- A member of the current tenant sees its members; a signed-in user also sees their own memberships
-- in every tenant (to choose and switch tenants), but only reads those.
create policy tenant_memberships_tenant on tenant_memberships
  using (tenant_id = app_current_tenant())
  with check (tenant_id = app_current_tenant());
create policy tenant_memberships_own_read on tenant_memberships for select
  using (user_id = app_current_user());

-- One row per signed-in session (web or API). Revoking it ends the session's access tokens at once.
create table user_sessions (
  id          uuid primary key,
  user_id     uuid not null references users (id) on delete cascade,
  tenant_id   uuid references tenants (id) on delete cascade, -- null only for a superadmin outside any tenant
  kind        text not null check (kind in ('web', 'api')),
  created_at  timestamptz not null,
  revoked_at  timestamptz,
  ip          text,
  user_agent  text
);
create index user_sessions_user_id_idx on user_sessions (user_id);

create table refresh_tokens (
  id          uuid primary key,
  session_id  uuid not null references user_sessions (id) on delete cascade,
  token_hash  bytea not null,
  created_at  timestamptz not null,
  expires_at  timestamptz not null,
  used_at     timestamptz
);
create unique index refresh_tokens_token_hash_key on refresh_tokens (token_hash);
create index refresh_tokens_session_id_idx on refresh_tokens (session_id);

create table leads (
  tenant_id   uuid not null references tenants (id),
  id          uuid not null,
  first_name  text not null,
  last_name   text not null,
  company     text,
  title       text,
  email       text,
  phone       text,
  status      text not null check (status in ('new', 'contacted', 'qualified', 'unqualified', 'converted')),
  source      text,
  owner_id    uuid,
  notes       text,
  created_at  timestamptz not null,
  updated_at  timestamptz not null,
  version     integer not null default 1,
  primary key (tenant_id, id),
  constraint leads_owner_fk foreign key (tenant_id, owner_id) references tenant_memberships (tenant_id, user_id),
  constraint leads_phone_e164 check (phone is null or phone ~ '^\+[1-9][0-9]{6,14}$')
);
create index leads_tenant_owner_idx on leads (tenant_id, owner_id);
create index leads_tenant_status_idx on leads (tenant_id, status);
create index leads_tenant_created_idx on leads (tenant_id, created_at desc, id);
alter table leads enable row level security;
alter table leads force row level security;
create policy leads_tenant on leads
  using (tenant_id = app_current_tenant())
  with check (tenant_id = app_current_tenant());

-- Append-only: the application may insert and read audit rows, never change or remove them.
-- Rows without a tenant are platform events (superadmin actions, sign-ins with an unknown email);
-- they are readable only on the platform path (app.platform = 'on', set by superadmin code).
create table audit_log (
  id           uuid primary key,
  tenant_id    uuid references tenants (id),
  occurred_at  timestamptz not null,
  actor_type   text not null check (actor_type in ('user', 'api-key', 'system', 'anonymous')),
  actor_id     uuid,
  actor_name   text,
  action       text not null,
  entity_type  text,
  entity_id    text,
  changes      jsonb,
  ip           text,
  user_agent   text
);
create index audit_log_tenant_entity_idx on audit_log (tenant_id, entity_type, entity_id, occurred_at desc);
create index audit_log_tenant_time_idx on audit_log (tenant_id, occurred_at desc);
alter table audit_log enable row level security;
alter table audit_log force row level security;
create policy audit_log_read on audit_log for select
  using (tenant_id = app_current_tenant()
         or (tenant_id is null and current_setting('app.platform', true) = 'on'));
create policy audit_log_append on audit_log for insert
  with check (tenant_id = app_current_tenant() or tenant_id is null);
revoke update, delete, truncate on audit_log from current_user;
do $$
begin
  if exists (select from pg_roles where rolname = 'switchboard_runtime') then
    execute 'revoke update, delete, truncate on audit_log from switchboard_runtime';
  end if;
end $$;

-- ASP.NET Core Data Protection key ring, shared by every instance.
create table data_protection_keys (
  id            serial primary key,
  friendly_name text,
  xml           text not null
);

-- One-off markers, e.g. whether the demo data was seeded.
create table platform_settings (
  key   text primary key,
  value text not null
);
