-- A member's department (ADR 0013): it describes the person's place in one company, so it lives on the
-- membership, like phone and role; an account shared by several tenants has a department in each.
-- tenant_memberships already has RLS enabled and forced (0001); a new column needs no new policy.
alter table tenant_memberships
  add column department text constraint tenant_memberships_department_length check (department is null or char_length(department) <= 100);
