-- List sorts break ties by id in the sort's own direction, and each index a sort uses carries that direction, so
-- the index returns a page in order and stops. Before, "newest first" was (created_at desc, id desc) over an index
-- on (created_at desc, id): harmless while every record has its own instant, but an import gives all its records
-- one created_at, and the default lead list then sorted the whole group (985,000 rows: 1.1 s instead of 10 ms).
drop index leads_tenant_created_idx;
create index leads_tenant_created_idx on leads (tenant_id, created_at desc, id desc);
drop index leads_tenant_updated_idx;
create index leads_tenant_updated_idx on leads (tenant_id, updated_at desc, id desc);
-- Sorting by email includes the leads without one (last), so the index is no longer partial; it still serves the
-- import's matching by email.
drop index leads_tenant_email_idx;
create index leads_tenant_email_idx on leads (tenant_id, email, id);

drop index accounts_tenant_created_idx;
create index accounts_tenant_created_idx on accounts (tenant_id, created_at desc, id desc);
drop index contacts_tenant_created_idx;
create index contacts_tenant_created_idx on contacts (tenant_id, created_at desc, id desc);
drop index opportunities_tenant_created_idx;
create index opportunities_tenant_created_idx on opportunities (tenant_id, created_at desc, id desc);
