-- Dispositions are managed by admins in the UI (settings → Dispositions): each may have a hotkey that picks it in
-- every outcome form, and may require a callback time (docs/CALLING.md). A hotkey is one lowercase letter or digit,
-- unique among the tenant's active dispositions (a retired one keeps its key but does not hold it).
alter table call_dispositions
  add column hotkey text check (hotkey ~ '^[a-z0-9]$'),
  add column requires_callback boolean not null default false;
create unique index call_dispositions_tenant_hotkey_idx on call_dispositions (tenant_id, hotkey) where is_active and hotkey is not null;

-- Tenants that already have their dispositions get the defaults' keys (1–8 in the default order) and the default
-- "callback" requires a callback time, as new tenants get them; dispositions an admin added keep no key. Every tenant's
-- rows at once: row-level security is lifted for the table owner inside this transaction only.
alter table call_dispositions no force row level security;
update call_dispositions d set hotkey = k.hotkey
from (values ('interested', '1'), ('not-interested', '2'), ('callback', '3'), ('left-voicemail', '4'),
             ('no-answer', '5'), ('busy', '6'), ('wrong-number', '7'), ('do-not-call', '8')) as k (code, hotkey)
where d.code = k.code and d.is_active;
update call_dispositions set requires_callback = true where code = 'callback';
alter table call_dispositions force row level security;
