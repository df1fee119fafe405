-- Unfinished jobs (queued, retrying or failed) of one tenant and kind, as the Data retention page counts its recording
-- deletions at the provider (ADR 0071) without reading every finished job the table keeps.
create index jobs_unfinished_by_tenant_kind on jobs (tenant_id, kind) where completed_at is null;
