-- CSV imports of leads, contacts and accounts (ADR 0010).
-- An import keeps its uploaded file in the database (import_files), so any instance can run it, and a run
-- repeated after a stop starts again from the file. The job validates rows into a session temporary table
-- (PostgreSQL refuses COPY FROM into tables with row-level security; a temporary table is private to its
-- session anyway) and merges that into the target table in one transaction, recording every created and
-- updated record in import_changes so the import can be undone.

-- External ids from the source system: a match key for imports, unique per tenant.
alter table leads add column external_id text check (external_id is null or length(external_id) between 1 and 200);
alter table contacts add column external_id text check (external_id is null or length(external_id) between 1 and 200);
alter table accounts add column external_id text check (external_id is null or length(external_id) between 1 and 200);
create unique index leads_tenant_external_id_idx on leads (tenant_id, external_id) where external_id is not null;
create unique index contacts_tenant_external_id_idx on contacts (tenant_id, external_id) where external_id is not null;
create unique index accounts_tenant_external_id_idx on accounts (tenant_id, external_id) where external_id is not null;
-- Matching an import on email (leads store emails in lower case).
create index leads_tenant_email_idx on leads (tenant_id, email) where email is not null;

create table imports (
  tenant_id     uuid not null references tenants (id),
  id            uuid not null,
  entity        text not null check (entity in ('lead', 'contact', 'account')),
  mode          text not null check (mode in ('create', 'upsert', 'update')),
  match_on      text[] not null,
  mapping       jsonb not null check (jsonb_typeof(mapping) = 'object'),
  file_name     text not null,
  file_size     bigint not null,
  encoding      text not null,
  delimiter     text not null,
  header        text[] not null,
  status        text not null check (status in ('uploaded', 'queued', 'running', 'completed', 'failed', 'undone')),
  phase         text,
  total         integer not null default 0,
  processed     integer not null default 0,
  created       integer not null default 0,
  updated       integer not null default 0,
  skipped       integer not null default 0,
  failed        integer not null default 0,
  error         text,
  undo_result   jsonb,
  created_by    uuid not null,
  created_at    timestamptz not null,
  started_at    timestamptz,
  finished_at   timestamptz,
  undone_at     timestamptz,
  primary key (tenant_id, id)
);
create index imports_tenant_created_idx on imports (tenant_id, created_at desc);

-- The uploaded file, in chunks, until the import has run.
create table import_files (
  tenant_id  uuid not null,
  import_id  uuid not null,
  seq        integer not null,
  data       bytea not null,
  primary key (tenant_id, import_id, seq),
  -- Checked at commit: the upload stores the file before it knows enough to write the import row.
  foreign key (tenant_id, import_id) references imports (tenant_id, id) on delete cascade deferrable initially deferred
);

-- Rows that were not imported, with the reason: validation failures and skipped rows (duplicates, no match).
create table import_errors (
  tenant_id    uuid not null,
  import_id    uuid not null,
  row_no       integer not null,
  column_name  text,
  value        text,
  reason       text not null,
  skipped      boolean not null default false,
  foreign key (tenant_id, import_id) references imports (tenant_id, id) on delete cascade
);
create index import_errors_import_idx on import_errors (tenant_id, import_id, row_no);

-- What an import changed, for undo: created records (before is null) and the prior state of updated ones.
create table import_changes (
  tenant_id      uuid not null,
  import_id      uuid not null,
  record_id      uuid not null,
  created        boolean not null,
  before         jsonb,
  after_version  integer not null,
  primary key (tenant_id, import_id, record_id),
  foreign key (tenant_id, import_id) references imports (tenant_id, id) on delete cascade
);

-- Every tenant-owned table gets the same guard: RLS enabled and forced, one policy "<table>_tenant" that
-- lets a session see and write only the rows of app_current_tenant(). Later migrations call this too.
create function app_enable_tenant_rls(target regclass) returns void language plpgsql as $$
begin
  execute format('alter table %s enable row level security', target);
  execute format('alter table %s force row level security', target);
  execute format('create policy %I on %s using (tenant_id = app_current_tenant()) with check (tenant_id = app_current_tenant())',
                 (select relname from pg_class where oid = target) || '_tenant', target);
end $$;
revoke execute on function app_enable_tenant_rls(regclass) from public;

select app_enable_tenant_rls('imports');
select app_enable_tenant_rls('import_files');
select app_enable_tenant_rls('import_errors');
select app_enable_tenant_rls('import_changes');
