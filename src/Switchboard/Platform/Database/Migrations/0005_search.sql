-- Global search across leads, contacts, accounts and opportunities: typo-tolerant through trigrams.
-- pg_trgm ships with PostgreSQL (contrib) and is a trusted extension since PostgreSQL 13, so the database
-- owner may create it without a superuser.
create extension if not exists pg_trgm;

-- One immutable function per entity computes its searchable text; the trigram index and the search query
-- call the same function, so the planner matches them. Phones are indexed on their own (E.164 digits).
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

create index leads_search_idx on leads using gin (lead_search_text(first_name, last_name, company, email) gin_trgm_ops);
create index leads_phone_trgm_idx on leads using gin (phone gin_trgm_ops);
create index contacts_search_idx on contacts using gin (contact_search_text(first_name, last_name, emails) gin_trgm_ops);
create index contacts_phones_trgm_idx on contacts using gin (phones_text(phones) gin_trgm_ops);
create index accounts_search_idx on accounts using gin (account_search_text(name, domain) gin_trgm_ops);
create index accounts_phone_trgm_idx on accounts using gin (phone gin_trgm_ops);
create index opportunities_search_idx on opportunities using gin (lower(name) gin_trgm_ops);
