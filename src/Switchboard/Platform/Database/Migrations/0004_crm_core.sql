-- CRM core: accounts, contacts, pipelines and stages, opportunities, products, activities, notes,
-- custom field definitions, module switches, saved views; leads gain custom fields and conversion links.
-- Every table is tenant-owned: tenant_id first in every key, RLS enabled and forced, one policy on
-- app_current_tenant(). References between tenant-owned rows are composite (tenant_id, id), so a row can
-- never point into another tenant; "set null" deletes name the column to clear (PostgreSQL 15), never tenant_id.
-- Custom field values live in a `custom` jsonb column on each entity, keyed by the field's key and
-- validated by the application against custom_fields on every write path.

-- Accounts: the companies a tenant sells to.
create table accounts (
  tenant_id    uuid not null references tenants (id),
  id           uuid not null,
  name         text not null check (length(name) between 1 and 200),
  domain       text check (domain is null or domain ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$'),
  industry     text,
  size         text check (size is null or size in ('1-10', '11-50', '51-200', '201-1000', '1001-5000', '5000+')),
  phone        text check (phone is null or phone ~ '^\+[1-9][0-9]{6,14}$'),
  street       text,
  city         text,
  region       text,
  postal_code  text,
  country      text check (country is null or country ~ '^[A-Z]{2}$'),
  owner_id     uuid,
  custom       jsonb not null default '{}' check (jsonb_typeof(custom) = 'object'),
  created_at   timestamptz not null,
  updated_at   timestamptz not null,
  version      integer not null default 1,
  primary key (tenant_id, id),
  constraint accounts_owner_fk foreign key (tenant_id, owner_id) references tenant_memberships (tenant_id, user_id)
);
create index accounts_tenant_owner_idx on accounts (tenant_id, owner_id);
create index accounts_tenant_name_idx on accounts (tenant_id, lower(name), id);
create index accounts_tenant_domain_idx on accounts (tenant_id, domain) where domain is not null;
create index accounts_tenant_created_idx on accounts (tenant_id, created_at desc, id);
alter table accounts enable row level security;
alter table accounts force row level security;
create policy accounts_tenant on accounts
  using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());

-- Contacts: people, usually at an account. Several emails and phones; the first of each is the primary.
create table contacts (
  tenant_id    uuid not null references tenants (id),
  id           uuid not null,
  first_name   text not null default '' check (length(first_name) <= 100),
  last_name    text not null check (length(last_name) between 1 and 100),
  title        text,
  emails       text[] not null default '{}',
  phones       text[] not null default '{}'
               check (array_to_string(phones, ' ') ~ '^(\+[1-9][0-9]{6,14}( \+[1-9][0-9]{6,14})*)?$'),
  account_id   uuid,
  owner_id     uuid,
  custom       jsonb not null default '{}' check (jsonb_typeof(custom) = 'object'),
  created_at   timestamptz not null,
  updated_at   timestamptz not null,
  version      integer not null default 1,
  primary key (tenant_id, id),
  constraint contacts_account_fk foreign key (tenant_id, account_id) references accounts (tenant_id, id) on delete set null (account_id),
  constraint contacts_owner_fk foreign key (tenant_id, owner_id) references tenant_memberships (tenant_id, user_id)
);
create index contacts_tenant_owner_idx on contacts (tenant_id, owner_id);
create index contacts_tenant_account_idx on contacts (tenant_id, account_id);
create index contacts_tenant_name_idx on contacts (tenant_id, lower(last_name), lower(first_name), id);
create index contacts_tenant_created_idx on contacts (tenant_id, created_at desc, id);
create index contacts_emails_idx on contacts using gin (emails);
create index contacts_phones_idx on contacts using gin (phones);
alter table contacts enable row level security;
alter table contacts force row level security;
create policy contacts_tenant on contacts
  using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());

-- Pipelines and their ordered stages. A stage is open, won or lost; each has a default probability.
create table pipelines (
  tenant_id    uuid not null references tenants (id),
  id           uuid not null,
  name         text not null check (length(name) between 1 and 100),
  position     integer not null default 0,
  is_default   boolean not null default false,
  created_at   timestamptz not null,
  updated_at   timestamptz not null,
  version      integer not null default 1,
  primary key (tenant_id, id)
);
create unique index pipelines_tenant_name_idx on pipelines (tenant_id, lower(name));
create unique index pipelines_tenant_default_idx on pipelines (tenant_id) where is_default;
alter table pipelines enable row level security;
alter table pipelines force row level security;
create policy pipelines_tenant on pipelines
  using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());

create table pipeline_stages (
  tenant_id    uuid not null references tenants (id),
  id           uuid not null,
  pipeline_id  uuid not null,
  name         text not null check (length(name) between 1 and 100),
  position     integer not null,
  probability  integer not null check (probability between 0 and 100),
  kind         text not null default 'open' check (kind in ('open', 'won', 'lost')),
  primary key (tenant_id, id),
  unique (tenant_id, pipeline_id, id),
  constraint pipeline_stages_pipeline_fk foreign key (tenant_id, pipeline_id) references pipelines (tenant_id, id) on delete cascade
);
create unique index pipeline_stages_position_idx on pipeline_stages (tenant_id, pipeline_id, position);
alter table pipeline_stages enable row level security;
alter table pipeline_stages force row level security;
create policy pipeline_stages_tenant on pipeline_stages
  using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());

-- Opportunities: a deal in a pipeline stage. The stage must belong to the pipeline (composite key).
-- closed_at is set when the stage is won or lost; lost_reason only for lost.
create table opportunities (
  tenant_id       uuid not null references tenants (id),
  id              uuid not null,
  name            text not null check (length(name) between 1 and 200),
  account_id      uuid,
  contact_id      uuid,
  amount          numeric(18, 2) check (amount is null or amount >= 0),
  currency        text not null check (currency ~ '^[A-Z]{3}$'),
  pipeline_id     uuid not null,
  stage_id        uuid not null,
  probability     integer not null check (probability between 0 and 100),
  expected_close  date,
  owner_id        uuid,
  lost_reason     text,
  closed_at       timestamptz,
  custom          jsonb not null default '{}' check (jsonb_typeof(custom) = 'object'),
  created_at      timestamptz not null,
  updated_at      timestamptz not null,
  version         integer not null default 1,
  primary key (tenant_id, id),
  constraint opportunities_account_fk foreign key (tenant_id, account_id) references accounts (tenant_id, id) on delete set null (account_id),
  constraint opportunities_contact_fk foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete set null (contact_id),
  constraint opportunities_stage_fk foreign key (tenant_id, pipeline_id, stage_id) references pipeline_stages (tenant_id, pipeline_id, id),
  constraint opportunities_owner_fk foreign key (tenant_id, owner_id) references tenant_memberships (tenant_id, user_id)
);
create index opportunities_tenant_owner_idx on opportunities (tenant_id, owner_id);
create index opportunities_tenant_stage_idx on opportunities (tenant_id, pipeline_id, stage_id);
create index opportunities_tenant_account_idx on opportunities (tenant_id, account_id);
create index opportunities_tenant_contact_idx on opportunities (tenant_id, contact_id);
create index opportunities_tenant_created_idx on opportunities (tenant_id, created_at desc, id);
alter table opportunities enable row level security;
alter table opportunities force row level security;
create policy opportunities_tenant on opportunities
  using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());

-- Products, and the products an opportunity lists (price captured when added).
create table products (
  tenant_id    uuid not null references tenants (id),
  id           uuid not null,
  name         text not null check (length(name) between 1 and 200),
  type         text not null default 'product' check (type in ('product', 'service', 'subscription')),
  price        numeric(18, 2) not null check (price >= 0),
  currency     text not null check (currency ~ '^[A-Z]{3}$'),
  is_active    boolean not null default true,
  created_at   timestamptz not null,
  updated_at   timestamptz not null,
  version      integer not null default 1,
  primary key (tenant_id, id)
);
create unique index products_tenant_name_idx on products (tenant_id, lower(name));
alter table products enable row level security;
alter table products force row level security;
create policy products_tenant on products
  using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());

create table opportunity_products (
  tenant_id       uuid not null references tenants (id),
  id              uuid not null,
  opportunity_id  uuid not null,
  product_id      uuid not null,
  quantity        numeric(12, 2) not null check (quantity > 0),
  unit_price      numeric(18, 2) not null check (unit_price >= 0),
  primary key (tenant_id, id),
  constraint opportunity_products_opportunity_fk foreign key (tenant_id, opportunity_id) references opportunities (tenant_id, id) on delete cascade,
  constraint opportunity_products_product_fk foreign key (tenant_id, product_id) references products (tenant_id, id)
);
create index opportunity_products_opportunity_idx on opportunity_products (tenant_id, opportunity_id);
alter table opportunity_products enable row level security;
alter table opportunity_products force row level security;
create policy opportunity_products_tenant on opportunity_products
  using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());

-- Activities (tasks, calls, emails, meetings) and notes hang off one related record of any CRM entity.
-- The related record is (related_type, related_id); the application checks it exists and may be seen.
create table activities (
  tenant_id     uuid not null references tenants (id),
  id            uuid not null,
  type          text not null check (type in ('task', 'call', 'email', 'meeting')),
  subject       text not null check (length(subject) between 1 and 200),
  body          text,
  due_at        timestamptz,
  priority      text not null default 'medium' check (priority in ('high', 'medium', 'low')),
  status        text not null default 'pending' check (status in ('pending', 'completed', 'canceled')),
  assignee_id   uuid,
  related_type  text check (related_type in ('lead', 'contact', 'account', 'opportunity')),
  related_id    uuid,
  completed_at  timestamptz,
  created_by    uuid,
  created_at    timestamptz not null,
  updated_at    timestamptz not null,
  version       integer not null default 1,
  primary key (tenant_id, id),
  constraint activities_related_pair check ((related_type is null) = (related_id is null)),
  constraint activities_completed check ((status = 'completed') = (completed_at is not null)),
  constraint activities_assignee_fk foreign key (tenant_id, assignee_id) references tenant_memberships (tenant_id, user_id)
);
create index activities_tenant_assignee_idx on activities (tenant_id, assignee_id, status, due_at);
create index activities_tenant_related_idx on activities (tenant_id, related_type, related_id, created_at desc);
alter table activities enable row level security;
alter table activities force row level security;
create policy activities_tenant on activities
  using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());

create table notes (
  tenant_id     uuid not null references tenants (id),
  id            uuid not null,
  body          text not null check (length(body) between 1 and 100000),
  related_type  text not null check (related_type in ('lead', 'contact', 'account', 'opportunity')),
  related_id    uuid not null,
  author_id     uuid,
  created_at    timestamptz not null,
  updated_at    timestamptz not null,
  version       integer not null default 1,
  primary key (tenant_id, id),
  constraint notes_author_fk foreign key (tenant_id, author_id) references tenant_memberships (tenant_id, user_id)
);
create index notes_tenant_related_idx on notes (tenant_id, related_type, related_id, created_at desc);
alter table notes enable row level security;
alter table notes force row level security;
create policy notes_tenant on notes
  using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());

-- Leads: custom field values, and where a conversion took them.
alter table leads
  add column custom                    jsonb not null default '{}' check (jsonb_typeof(custom) = 'object'),
  add column converted_at              timestamptz,
  add column converted_account_id      uuid,
  add column converted_contact_id      uuid,
  add column converted_opportunity_id  uuid,
  add constraint leads_converted_account_fk foreign key (tenant_id, converted_account_id) references accounts (tenant_id, id) on delete set null (converted_account_id),
  add constraint leads_converted_contact_fk foreign key (tenant_id, converted_contact_id) references contacts (tenant_id, id) on delete set null (converted_contact_id),
  add constraint leads_converted_opportunity_fk foreign key (tenant_id, converted_opportunity_id) references opportunities (tenant_id, id) on delete set null (converted_opportunity_id);
create index leads_tenant_converted_contact_idx on leads (tenant_id, converted_contact_id) where converted_contact_id is not null;
create index leads_tenant_converted_account_idx on leads (tenant_id, converted_account_id) where converted_account_id is not null;

-- Custom field definitions per tenant and entity. `key` is what the API and imports use; options are
-- the choices of single and multi selects. A field is retired (is_active = false), never dropped, so
-- stored values and history keep their meaning.
create table custom_fields (
  tenant_id    uuid not null references tenants (id),
  id           uuid not null,
  entity       text not null check (entity in ('lead', 'contact', 'account', 'opportunity')),
  key          text not null check (key ~ '^[a-z][a-zA-Z0-9]{0,49}$'),
  label        text not null check (length(label) between 1 and 100),
  type         text not null check (type in ('text', 'number', 'currency', 'date', 'boolean', 'single-select', 'multi-select')),
  required     boolean not null default false,
  options      text[] not null default '{}',
  position     integer not null default 0,
  is_active    boolean not null default true,
  created_at   timestamptz not null,
  updated_at   timestamptz not null,
  version      integer not null default 1,
  primary key (tenant_id, id),
  constraint custom_fields_options check ((type in ('single-select', 'multi-select')) = (cardinality(options) > 0))
);
create unique index custom_fields_key_idx on custom_fields (tenant_id, entity, key);
alter table custom_fields enable row level security;
alter table custom_fields force row level security;
create policy custom_fields_tenant on custom_fields
  using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());

-- Optional modules a tenant can switch off: then hidden in the UI and 404 in the API. No row = on.
create table tenant_modules (
  tenant_id   uuid not null references tenants (id),
  module      text not null check (module in ('opportunities', 'products', 'activities')),
  enabled     boolean not null,
  updated_at  timestamptz not null,
  primary key (tenant_id, module)
);
alter table tenant_modules enable row level security;
alter table tenant_modules force row level security;
create policy tenant_modules_tenant on tenant_modules
  using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());

-- Saved list views: filters, columns and sort of an entity list, private to their owner or shared.
create table saved_views (
  tenant_id   uuid not null references tenants (id),
  id          uuid not null,
  entity      text not null check (entity in ('lead', 'contact', 'account', 'opportunity', 'activity')),
  name        text not null check (length(name) between 1 and 100),
  owner_id    uuid not null,
  shared      boolean not null default false,
  definition  jsonb not null check (jsonb_typeof(definition) = 'object'),
  created_at  timestamptz not null,
  updated_at  timestamptz not null,
  version     integer not null default 1,
  primary key (tenant_id, id),
  constraint saved_views_owner_fk foreign key (tenant_id, owner_id) references tenant_memberships (tenant_id, user_id) on delete cascade
);
create index saved_views_tenant_entity_idx on saved_views (tenant_id, entity, owner_id);
alter table saved_views enable row level security;
alter table saved_views force row level security;
create policy saved_views_tenant on saved_views
  using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant());
