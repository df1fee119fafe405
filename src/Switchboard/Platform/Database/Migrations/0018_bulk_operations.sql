-- Bulk actions on the lists (issue 11, ADR 0033): one row per request, run by the job "bulk.run" in batches.
-- selection: {"ids": [...]} or {"filter": {list query parameters}} as requested; record_ids: the selection resolved
-- to ids when the job starts (null until then); processed counts the record_ids done, committed with each batch.
create table bulk_operations (
  tenant_id    uuid not null references tenants (id) on delete cascade,
  id           uuid not null,
  entity       text not null check (entity in ('lead', 'contact', 'account', 'opportunity')),
  action       text not null check (action in ('assign', 'status', 'add-to-queue', 'dnc', 'delete')),
  value        text check (value is null or length(value) between 1 and 200),
  selection    jsonb not null check (jsonb_typeof(selection) = 'object'),
  record_ids   uuid[],
  status       text not null check (status in ('queued', 'running', 'completed', 'failed')),
  total        integer not null default 0,
  processed    integer not null default 0,
  succeeded    integer not null default 0,
  skipped      jsonb not null default '[]' check (jsonb_typeof(skipped) = 'array'),
  error        text,
  created_by   uuid not null,
  created_at   timestamptz not null,
  started_at   timestamptz,
  finished_at  timestamptz,
  primary key (tenant_id, id)
);
create index bulk_operations_creator_idx on bulk_operations (tenant_id, created_by, created_at desc);
select app_enable_tenant_rls('bulk_operations');

-- Leads added to a dialer queue by hand (the bulk action "add to queue"), beside the queue's filter: the queue
-- serves the leads its filter matches and these, under the same callable rules (ADR 0033).
create table dialer_queue_members (
  tenant_id  uuid not null,
  queue_id   uuid not null,
  lead_id    uuid not null,
  added_at   timestamptz not null,
  added_by   uuid,
  primary key (tenant_id, queue_id, lead_id),
  foreign key (tenant_id, queue_id) references dialer_queues (tenant_id, id) on delete cascade,
  foreign key (tenant_id, lead_id) references leads (tenant_id, id) on delete cascade
);
create index dialer_queue_members_lead_idx on dialer_queue_members (tenant_id, lead_id);
select app_enable_tenant_rls('dialer_queue_members');
