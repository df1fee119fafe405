-- Power dialing (ADR 0032): after an outcome saved in a dialer session, the next lead dials after a countdown.
-- The tenant's countdown (0 = no auto-advance, 0-60 seconds, 5 until an admin changes it); a session may override it.
alter table calling_settings
  add column auto_dial_seconds integer not null default 5 check (auto_dial_seconds between 0 and 60);

-- auto_dial_lead_id/auto_dial_at: the countdown the server armed for the session's current lead (the client only
-- counts down to it). dialed_lead_id: the lead a dial was placed for, claimed with a compare-and-set so two tabs or a
-- double click place one call.
alter table dialer_sessions
  add column auto_dial_seconds integer check (auto_dial_seconds between 0 and 60),
  add column auto_dial_paused boolean not null default false,
  add column auto_dial_lead_id uuid,
  add column auto_dial_at timestamptz,
  add column dialed_lead_id uuid;

-- The session a call was placed from, for the session's stats (dials, connects, talk time, outcomes).
alter table calls
  add column dialer_session_id uuid,
  add constraint calls_dialer_session_fk foreign key (tenant_id, dialer_session_id) references dialer_sessions (tenant_id, id) on delete set null (dialer_session_id);
create index calls_dialer_session_idx on calls (tenant_id, dialer_session_id) where dialer_session_id is not null;
