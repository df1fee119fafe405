-- API keys (issue 12 §7, ADR 0043): per tenant, created by administrators, for integrations that call /api/v1 with an
-- X-Api-Key header. A key is sb_live_<prefix>_<secret>; only its SHA-256 is stored (a 256-bit random secret needs no
-- slow hash), with the prefix in plain text to name it in lists. A key carries either a role or a list of scopes,
-- acts for the administrator who created it (created_by: owner of what it creates, "created by" of its rows) and
-- stops working when that person is no longer an active administrator of the tenant, when it expires, or when revoked.
create table api_keys (
  tenant_id    uuid not null references tenants (id) on delete cascade,
  id           uuid not null,
  name         text not null,
  prefix       text not null,
  key_hash     bytea not null,
  role         text check (role in ('admin', 'manager', 'agent', 'readonly')),
  scopes       text[],
  allowed_ips  text[],
  expires_at   timestamptz,
  created_by   uuid not null,
  created_at   timestamptz not null,
  last_used_at timestamptz,
  last_used_ip text,
  revoked_at   timestamptz,
  revoked_by   uuid references users (id) on delete set null,
  primary key (tenant_id, id),
  constraint api_keys_role_or_scopes check ((role is null) <> (scopes is null)),
  constraint api_keys_creator_fk foreign key (tenant_id, created_by) references tenant_memberships (tenant_id, user_id) on delete cascade
);
create unique index api_keys_prefix_key on api_keys (prefix);
create unique index api_keys_key_hash_key on api_keys (key_hash);
create index api_keys_tenant_created_idx on api_keys (tenant_id, created_at desc);
select app_enable_tenant_rls('api_keys');

-- A request with a key names no tenant: it may read the one key whose SHA-256 it holds (the app sets app.api_key,
-- session-local and only for the lookup, to the hex of it), and nothing else — the same shape as invitations_by_token.
create function app_api_key() returns bytea
  language sql stable
  as $$ select decode(nullif(current_setting('app.api_key', true), ''), 'hex') $$;
create policy api_keys_by_key on api_keys for select using (key_hash = app_api_key());

-- Keys are revoked, never deleted by the app: the runtime role needs no delete on them.
do $$
begin
  if exists (select from pg_roles where rolname = 'switchboard_runtime') then
    execute 'revoke delete on api_keys from switchboard_runtime';
  end if;
end $$;

-- A bulk action started with a key runs in the background as that key (its role, and audited as the key), and stops
-- if the key is revoked before it runs.
alter table bulk_operations add column api_key_id uuid;
alter table bulk_operations add constraint bulk_operations_api_key_fk foreign key (tenant_id, api_key_id) references api_keys (tenant_id, id);
