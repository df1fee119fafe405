-- Callbacks are tasks, and tasks remind their assignee when they fall due (docs/decisions/0034-callback-tasks-and-reminders.md).
-- call_id: the call whose outcome scheduled this callback task; at most one open callback task per call.
-- remind_at: when the assignee is next reminded (the due time, or later after a snooze); null: no reminder pending.
-- reminded_at: the remind_at value a reminder has been sent for, so a reminder fires once per due time even when its
-- job runs twice; the notice stays in the assignee's layout while remind_at = reminded_at and the task is pending.
alter table activities
  add column call_id uuid,
  add column remind_at timestamptz,
  add column reminded_at timestamptz,
  add constraint activities_call_fk foreign key (tenant_id, call_id) references calls (tenant_id, id) on delete set null (call_id);
create unique index activities_open_callback_idx on activities (tenant_id, call_id) where call_id is not null and status = 'pending';
create index activities_tenant_related_callback_idx on activities (tenant_id, related_type, related_id) where call_id is not null and status = 'pending';
create index activities_tenant_reminded_idx on activities (tenant_id, assignee_id) where reminded_at is not null and status = 'pending';
