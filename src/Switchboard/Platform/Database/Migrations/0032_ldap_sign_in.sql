-- Per-tenant LDAP / Active Directory sign-in (issue 12 §5, ADR 0048): at most one directory per tenant. While it is
-- enabled, the password sign-in of the tenant's members binds to the directory with their own credentials (LDAPS or
-- StartTLS only), except the one break-glass administrator who keeps the local password. The service account's
-- password is encrypted with Data Protection (bind_password_protected) and never returned by the API.
create table tenant_ldap_settings (
  tenant_id               uuid not null references tenants (id) on delete cascade,
  is_enabled              boolean not null,
  host                    text not null,
  port                    integer not null check (port between 1 and 65535),
  security                text not null check (security in ('ldaps', 'starttls')),
  ca_certificate          text,
  user_dn_template        text,
  search_base             text,
  search_filter           text,
  bind_dn                 text,
  bind_password_protected text,
  group_source            text not null check (group_source in ('none', 'member-of', 'group-search')),
  group_search_base       text,
  group_roles             jsonb not null,
  jit_provisioning        boolean not null,
  default_role            text not null check (default_role in ('admin', 'manager', 'agent', 'readonly')),
  break_glass_user_id     uuid,
  updated_at              timestamptz not null,
  primary key (tenant_id),
  constraint tenant_ldap_settings_locate_user check ((user_dn_template is null) <> (search_base is null)),
  constraint tenant_ldap_settings_break_glass_fk foreign key (tenant_id, break_glass_user_id)
    references tenant_memberships (tenant_id, user_id) on delete set null (break_glass_user_id)
);
select app_enable_tenant_rls('tenant_ldap_settings');
