-- Per-tenant security policy (issue 12 §3 and §6, ADR 0042): password rules after NIST SP 800-63B and session lifetimes.
-- The columns sit on tenants beside the tenant's other settings; admins change them through
-- GET/PATCH /api/v1/tenants/current/security. A user belongs to several tenants but has one password, so a new
-- password must satisfy the strictest policy among the tenants they belong to (password_rules below).
alter table tenants
  add column password_min_length   integer not null default 12 check (password_min_length between 12 and 64),
  add column password_history      integer not null default 5 check (password_history between 0 and 24),
  add column password_max_age_days integer check (password_max_age_days between 30 and 730),
  add column session_idle_minutes  integer check (session_idle_minutes between 5 and 10080),
  add column session_max_hours     integer check (session_max_hours between 1 and 720);

-- When the password was last set: the maximum age counts from here. Existing accounts start counting now.
alter table users add column password_changed_at timestamptz not null default now();

-- The hashes of a user's earlier passwords, newest first, so a new one can be refused when it repeats one of the last
-- N (the strictest history among the user's tenants; at most 24 are kept). Platform rows like users: no tenant.
create table password_history (
  user_id        uuid not null references users (id) on delete cascade,
  password_hash  text not null,
  replaced_at    timestamptz not null,
  primary key (user_id, replaced_at)
);

-- Only the newest 24 are kept: no policy asks for more.
create function password_history_trim() returns trigger language plpgsql as $$
begin
  delete from password_history h
  where h.user_id = new.user_id
    and h.replaced_at < (select min(k.replaced_at) from (select replaced_at from password_history where user_id = new.user_id
                                                        order by replaced_at desc limit 24) k);
  return null;
end;
$$;
create trigger password_history_trim after insert on password_history for each row execute function password_history_trim();

-- The password rules that apply to a user: the strictest of the active memberships' tenants and of p_tenant (the
-- tenant a password is being set in, e.g. the one an invitation joins, which has no membership yet), with the names of
-- those tenants (words a password must not be built from). Defaults when there is none (a superadmin outside tenants).
--
-- A user's memberships are visible to the runtime role only through app.user_id (tenant_memberships_own_read), and a
-- password may be set by someone else (an admin's import) or by nobody signed in (a reset link). So the function sees
-- them as that user for its one query and restores app.user_id afterwards; it returns numbers and tenant names only,
-- which the runtime role can read in tenants anyway.
create function password_rules(p_user uuid, p_tenant uuid)
returns table (min_length integer, history integer, max_age_days integer, tenant_names text[])
language plpgsql volatile as $$
declare
  previous text := current_setting('app.user_id', true);
begin
  perform set_config('app.user_id', coalesce(p_user::text, ''), true);
  return query
    select coalesce(max(t.password_min_length), 12), coalesce(max(t.password_history), 5), min(t.password_max_age_days),
           coalesce(array_agg(t.name order by t.name) filter (where t.name is not null), '{}')
    from tenants t
    where t.id = p_tenant
       or t.id in (select m.tenant_id from tenant_memberships m where m.user_id = p_user and m.is_active);
  perform set_config('app.user_id', coalesce(previous, ''), true);
end;
$$;
