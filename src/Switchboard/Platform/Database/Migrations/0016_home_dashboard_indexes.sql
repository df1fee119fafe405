-- The home page (issue 11, docs/HOME.md) reads a month of closed deals and the open deals by expected close month on
-- every manager's page load: both stay index range scans within the tenant, however many deals it has.
create index opportunities_tenant_closed_idx on opportunities (tenant_id, closed_at) where closed_at is not null;
create index opportunities_tenant_expected_close_idx on opportunities (tenant_id, expected_close) where closed_at is null;
-- Leads whose callback falls due, per owner: the agent's home lists their own callbacks due by the end of today.
create index leads_tenant_owner_callback_idx on leads (tenant_id, owner_id, callback_at) where callback_at is not null;
