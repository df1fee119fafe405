-- The tenant, user and platform switch that row-level security reads travel with every statement, transaction-local
-- (ADR 0062): a statement outside a transaction is sent as `call app_enter(...); <statement>` in one round trip, which
-- PostgreSQL runs as one implicit transaction, and an explicit transaction sets them once after BEGIN. Nothing is left
-- on the session, so a connection a transaction-pooling PgBouncer hands to another client carries nothing over.
-- A procedure, not `select set_config(...)`: CALL returns no result set, so the statement's own rows are the first
-- the reader sees.
create procedure app_enter(tenant_id text, user_id text, platform text)
  language plpgsql
  as $$
begin
  perform set_config('app.tenant_id', tenant_id, true),
          set_config('app.user_id', user_id, true),
          set_config('app.platform', platform, true);
end
$$;
