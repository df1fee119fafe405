-- Value mapping for imports (issue 11): a choice value the entity does not know ("In Progress" for a lead status)
-- maps to one of its options or to "leave empty" instead of failing the row.
-- imports.value_mapping: field → {file value → stored value or null}, suggested at upload and editable on the draft.
-- imports.column_values: the file's distinct values per column with their row counts, counted while the upload is
-- scanned (null for a column with too many distinct values to be a choice), so the draft lists unknown values
-- without reading the file again.
alter table imports add column value_mapping jsonb not null default '{}' check (jsonb_typeof(value_mapping) = 'object');
alter table imports add column column_values jsonb check (column_values is null or jsonb_typeof(column_values) = 'object');

-- What a tenant chose for a file value when an import started, suggested for the same value in its next imports.
-- value_key is the value reduced to lower-case letters and digits ("In-Progress" and "in progress" meet).
create table import_value_mappings (
  tenant_id     uuid not null references tenants (id) on delete cascade,
  entity        text not null check (entity in ('lead', 'contact', 'account')),
  field         text not null check (length(field) between 1 and 200),
  value_key     text not null check (length(value_key) > 0),
  file_value    text not null check (length(file_value) between 1 and 400),
  stored_value  text check (stored_value is null or length(stored_value) between 1 and 200),
  updated_at    timestamptz not null,
  primary key (tenant_id, entity, field, value_key)
);
select app_enable_tenant_rls('import_value_mappings');
