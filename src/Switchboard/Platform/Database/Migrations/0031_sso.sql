-- Per-tenant OpenID Connect single sign-on (issue 12 §5, ADR 0047). One configuration per tenant, changed by its
-- administrators through GET/PUT/DELETE /api/v1/tenants/current/sso. The client secret is an ASP.NET Core Data
-- Protection payload (never returned); group_roles maps a value of the ID token's group claim to a membership role.
create table sso_configurations (
  tenant_id        uuid not null references tenants (id) on delete cascade,
  enabled          boolean not null,
  issuer           text not null,
  client_id        text not null,
  client_secret    text,
  -- Lower-cased domains; a person signs in only with an address at one of them.
  allowed_domains  text[] not null check (cardinality(allowed_domains) > 0),
  jit_provisioning boolean not null,
  default_role     text not null check (default_role in ('admin', 'manager', 'agent', 'readonly')),
  group_claim      text,
  group_roles      jsonb not null default '{}',
  updated_at       timestamptz not null,
  primary key (tenant_id)
);
create index sso_configurations_domains_idx on sso_configurations using gin (allowed_domains);
select app_enable_tenant_rls('sso_configurations');

-- "Sign in with SSO" by email address: no tenant is known yet. The app sets app.sso_domain (transaction-local) to the
-- address's domain and may then read the enabled configurations that list it, and nothing else — the same shape as
-- invitations_by_token. The sign-in goes on only when exactly one tenant lists the domain.
create function app_sso_domain() returns text
  language sql stable
  as $$ select nullif(current_setting('app.sso_domain', true), '') $$;
create policy sso_configurations_by_domain on sso_configurations for select using (enabled and app_sso_domain() = any (allowed_domains));

-- "SSO required" sits on tenants beside the password policy (ADR 0042): password sign-in reads it with the tenant it
-- already loads. The break-glass administrator may still sign in with a password while they are an active admin.
alter table tenants
  add column sso_required            boolean not null default false,
  add column sso_break_glass_user_id uuid references users (id) on delete set null;

-- How a session was opened: a session opened by a tenant's identity provider stays in that tenant (no tenant switch),
-- because that provider vouches for the person only there.
alter table user_sessions add column sign_in_method text not null default 'password' check (sign_in_method in ('password', 'ldap', 'sso'));
