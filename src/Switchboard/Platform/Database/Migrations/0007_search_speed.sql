-- Search and the lead list at 1,000,000 leads (ADR 0011).
--
-- Prefix keys: what a user types first ("john smi", "smith", "acme plum", "michael.rossi", "acme.example") is a prefix of one
-- of these lower-case, C-collated generated columns. A b-tree on (tenant_id, key) finds the first few matches
-- with `key ^@ $q order by key limit n` and stops there, however many rows match. starts_with (^@) and the C
-- collation's comparisons are LEAKPROOF in PostgreSQL, so this works under row-level security without any
-- superuser step (ADR 0009). Trigram similarity (migration 0005) remains the fallback for typos.
alter table leads
  add column search_name text collate "C" generated always as (lower(first_name || ' ' || last_name)) stored,
  add column search_surname text collate "C" generated always as (lower(last_name || ' ' || first_name)) stored,
  add column search_company text collate "C" generated always as (lower(company)) stored,
  add column search_email text collate "C" generated always as (lower(email)) stored,
  add column search_domain text collate "C" generated always as (nullif(split_part(lower(email), '@', 2), '')) stored;
create index leads_search_name_idx on leads (tenant_id, search_name);
create index leads_search_surname_idx on leads (tenant_id, search_surname);
create index leads_search_company_idx on leads (tenant_id, search_company) where search_company is not null;
create index leads_search_email_idx on leads (tenant_id, search_email) where search_email is not null;
create index leads_search_domain_idx on leads (tenant_id, search_domain) where search_domain is not null;

alter table contacts
  add column search_name text collate "C" generated always as (lower(first_name || ' ' || last_name)) stored,
  add column search_surname text collate "C" generated always as (lower(last_name || ' ' || first_name)) stored,
  add column search_email text collate "C" generated always as (lower(emails[1])) stored,
  add column search_domain text collate "C" generated always as (nullif(split_part(lower(emails[1]), '@', 2), '')) stored;
create index contacts_search_name_idx on contacts (tenant_id, search_name);
create index contacts_search_surname_idx on contacts (tenant_id, search_surname);
create index contacts_search_email_idx on contacts (tenant_id, search_email) where search_email is not null;
create index contacts_search_domain_idx on contacts (tenant_id, search_domain) where search_domain is not null;

alter table accounts
  add column search_name text collate "C" generated always as (lower(name)) stored,
  add column search_domain text collate "C" generated always as (lower(domain)) stored;
create index accounts_search_name_idx on accounts (tenant_id, search_name);
create index accounts_search_domain_idx on accounts (tenant_id, search_domain) where search_domain is not null;

alter table opportunities
  add column search_name text collate "C" generated always as (lower(name)) stored;
create index opportunities_search_name_idx on opportunities (tenant_id, search_name);

-- The lead list's filters and sorts (LeadService.Sort): each index returns a page in order and stops.
-- (tenant_id, status, created_at, id) also serves every lookup by status, so the plain status index goes.
create index leads_tenant_status_created_idx on leads (tenant_id, status, created_at desc, id desc);
drop index leads_tenant_status_idx;
create index leads_tenant_name_sort_idx on leads (tenant_id, last_name, first_name, id);
create index leads_tenant_company_sort_idx on leads (tenant_id, company, id);
create index leads_tenant_updated_idx on leads (tenant_id, updated_at desc, id);

-- Search terms: the distinct words of names and companies per tenant (a few tens of thousands at a million
-- leads), so a misspelt word is corrected against this small table ("kowalsky" -> "kowalski") and the corrected
-- query goes through the prefix keys again, instead of ranking trigram matches over every record (ADR 0011).
-- Filled by triggers; never pruned: a word whose records are gone costs one wasted prefix probe, nothing more.
create table search_terms (
  tenant_id uuid not null references tenants (id),
  term      text collate "C" not null,
  primary key (tenant_id, term)
);
create index search_terms_trgm_idx on search_terms using gin (term gin_trgm_ops);
select app_enable_tenant_rls('search_terms');

-- The words of a text worth correcting: lower case, split on anything but letters and digits, 3 characters or more.
create function search_words(body text) returns setof text
  language sql immutable parallel safe
  as $$ select w from regexp_split_to_table(lower(body), '[^[:alnum:]]+') w where length(w) >= 3 $$;

-- One statement-level trigger per table and event: a bulk insert or import adds its words in one statement.
create function search_terms_from_leads() returns trigger language plpgsql as $$
begin
  insert into search_terms (tenant_id, term)
  select distinct r.tenant_id, w from new_rows r, search_words(r.first_name || ' ' || r.last_name || ' ' || coalesce(r.company, '')) w
  on conflict do nothing;
  return null;
end $$;
create function search_terms_from_contacts() returns trigger language plpgsql as $$
begin
  insert into search_terms (tenant_id, term)
  select distinct r.tenant_id, w from new_rows r, search_words(r.first_name || ' ' || r.last_name) w
  on conflict do nothing;
  return null;
end $$;
create function search_terms_from_names() returns trigger language plpgsql as $$
begin
  insert into search_terms (tenant_id, term)
  select distinct r.tenant_id, w from new_rows r, search_words(r.name) w
  on conflict do nothing;
  return null;
end $$;
create trigger leads_search_terms_insert after insert on leads referencing new table as new_rows for each statement execute function search_terms_from_leads();
create trigger leads_search_terms_update after update on leads referencing new table as new_rows for each statement execute function search_terms_from_leads();
create trigger contacts_search_terms_insert after insert on contacts referencing new table as new_rows for each statement execute function search_terms_from_contacts();
create trigger contacts_search_terms_update after update on contacts referencing new table as new_rows for each statement execute function search_terms_from_contacts();
create trigger accounts_search_terms_insert after insert on accounts referencing new table as new_rows for each statement execute function search_terms_from_names();
create trigger accounts_search_terms_update after update on accounts referencing new table as new_rows for each statement execute function search_terms_from_names();
create trigger opportunities_search_terms_insert after insert on opportunities referencing new table as new_rows for each statement execute function search_terms_from_names();
create trigger opportunities_search_terms_update after update on opportunities referencing new table as new_rows for each statement execute function search_terms_from_names();

-- The words of the records that exist already, tenant by tenant: row-level security is forced, so the migration
-- sees a tenant's rows only while that tenant is set, like the application.
do $$
declare t uuid;
begin
  for t in select id from tenants loop
    perform set_config('app.tenant_id', t::text, true);
    insert into search_terms (tenant_id, term)
    select distinct tenant_id, w from leads, search_words(first_name || ' ' || last_name || ' ' || coalesce(company, '')) w
    union select distinct tenant_id, w from contacts, search_words(first_name || ' ' || last_name) w
    union select distinct tenant_id, w from accounts, search_words(name) w
    union select distinct tenant_id, w from opportunities, search_words(name) w
    on conflict do nothing;
  end loop;
  perform set_config('app.tenant_id', '', true);
end $$;
