-- Global search across leads, contacts, accounts and opportunities: typo-tolerant through trigrams.
-- pg_trgm ships with PostgreSQL (contrib) and is a trusted extension since PostgreSQL 13, so the database
-- owner may create it without a superuser.
create extension if not exists pg_trgm;

-- One immutable function per entity computes its searchable text (lower case: names, company, emails, domain).
-- Phones are indexed on their own (E.164 digits).
create function lead_search_text(first_name text, last_name text, company text, email text) returns text
  language sql immutable parallel safe
  return lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(company, '') || ' ' || coalesce(email, ''));

create function contact_search_text(first_name text, last_name text, emails text[]) returns text
  language sql immutable parallel safe
  return lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || array_to_string(emails, ' '));

create function account_search_text(name text, domain text) returns text
  language sql immutable parallel safe
  return lower(name || ' ' || coalesce(domain, ''));

create function phones_text(phones text[]) returns text
  language sql immutable parallel safe
  return array_to_string(phones, ' ');

-- The searchable text is a stored generated column, so the search condition is the trigram operator on a
-- plain column: under row-level security only then can it use the index (see SuperuserPreparation / ADR 0009).
alter table leads add column search_text text generated always as (lead_search_text(first_name, last_name, company, email)) stored;
alter table contacts add column search_text text generated always as (contact_search_text(first_name, last_name, emails)) stored,
                     add column search_phones text generated always as (phones_text(phones)) stored;
alter table accounts add column search_text text generated always as (account_search_text(name, domain)) stored;
alter table opportunities add column search_text text generated always as (lower(name)) stored;

create index leads_search_idx on leads using gin (search_text gin_trgm_ops);
create index leads_phone_trgm_idx on leads using gin (phone gin_trgm_ops);
create index contacts_search_idx on contacts using gin (search_text gin_trgm_ops);
create index contacts_phones_trgm_idx on contacts using gin (search_phones gin_trgm_ops);
create index accounts_search_idx on accounts using gin (search_text gin_trgm_ops);
create index accounts_phone_trgm_idx on accounts using gin (phone gin_trgm_ops);
create index opportunities_search_idx on opportunities using gin (search_text gin_trgm_ops);
