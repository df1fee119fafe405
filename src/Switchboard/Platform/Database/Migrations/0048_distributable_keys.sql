-- Issue 15 §4, ADR 0065: every tenant table's keys include tenant_id, so the schema can be distributed by tenant_id
-- (a sharded PostgreSQL such as Citus requires it) and one tenant's rows can be moved with their ids unchanged.
-- DistributableSchemaTests enforces the rule from the catalog. Before this migration three unique indexes were
-- global and one table had no primary key; every other primary key, unique index and foreign key between tenant
-- tables already carried tenant_id (and every SET NULL foreign key already names its column, so tenant_id is never nulled).

-- API keys: unique within their tenant. The sign-in lookup by prefix and hash runs before the tenant is known, so it
-- keeps a plain index; the hash is SHA-256 of 32 random bytes, so two tenants never share one in practice.
drop index api_keys_prefix_key;
drop index api_keys_key_hash_key;
create unique index api_keys_prefix_key on api_keys (tenant_id, prefix);
create unique index api_keys_key_hash_key on api_keys (tenant_id, key_hash);
create index api_keys_lookup_idx on api_keys (key_hash);

-- Invitations: the token is unique within its tenant; acceptance looks it up before the tenant is known (plain index).
drop index invitations_token_idx;
create unique index invitations_token_idx on invitations (tenant_id, token_hash);
create index invitations_token_lookup_idx on invitations (token_hash);

-- Import errors had no primary key (several errors may share an import row and column): give each an id.
alter table import_errors add column id uuid not null default gen_random_uuid();
alter table import_errors add constraint import_errors_pkey primary key (tenant_id, id);
