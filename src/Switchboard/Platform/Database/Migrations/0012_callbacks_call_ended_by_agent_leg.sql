-- True while a call's end status came from the agent's leg of a click-to-call (canceled or failed before the lead
-- answered): the lead's leg reports its own end a moment later, in either order, and that end replaces this one.
alter table calls add column ended_by_agent_leg boolean not null default false;
