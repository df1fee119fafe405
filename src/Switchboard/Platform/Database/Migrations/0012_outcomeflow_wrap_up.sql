-- Wrap-up ends on the call's outcome or after the tenant's maximum, when the call is marked "no-outcome" and the
-- agent is available again (docs/CALLING.md). 10 seconds to 1 hour; 2 minutes until an admin changes it.
alter table calling_settings
  add column wrap_up_max_seconds integer not null default 120 check (wrap_up_max_seconds between 10 and 3600);
