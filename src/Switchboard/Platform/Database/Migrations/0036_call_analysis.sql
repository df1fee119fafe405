-- AI call intelligence (issue 13, ADR 0051): a call's transcript with its speakers, the analysis of it, and the
-- activities and notes the analysis created or completed, so that "undo AI changes" and a re-run know what is theirs.

-- The transcript as utterances when its source had speakers and times ([{speaker, start, end, text}]); calls.transcript
-- keeps the text (utterances joined one per line) for every source. Where it came from: a provider's transcription
-- callback, the API, or an AI voice-agent provider's completed-call webhook.
alter table calls
  add column transcript_utterances jsonb check (transcript_utterances is null or jsonb_typeof(transcript_utterances) = 'array'),
  add column transcript_source     text check (transcript_source in ('provider', 'api', 'voice-agent')),
  add column transcribed_at        timestamptz;

-- One analysis per call, replaced by a re-run. The lists are the analysis as the API answers it (each action item with
-- its quote, confidence, state and the activity it became); what the analysis changed is found through the activities'
-- columns below and note_id, never by matching titles.
create table call_analyses (
  tenant_id           uuid not null references tenants (id),
  call_id             uuid not null,
  status              text not null check (status in ('pending', 'completed', 'failed')),
  engine              text check (engine in ('rules', 'llm')),
  model               text,
  summary             text,
  sentiment           text check (sentiment in ('positive', 'neutral', 'negative')),
  customer_requests   jsonb not null default '[]',
  commitments         jsonb not null default '[]',
  action_items        jsonb not null default '[]',
  fulfilled           jsonb not null default '[]',
  talk                jsonb,
  dropped_ungrounded  integer not null default 0 check (dropped_ungrounded >= 0),
  note_id             uuid,
  error               text,
  runs                integer not null default 0,
  undone_at           timestamptz,
  undone_by           uuid,
  created_at          timestamptz not null,
  updated_at          timestamptz not null,
  version             integer not null default 1,
  primary key (tenant_id, call_id),
  constraint call_analyses_call_fk foreign key (tenant_id, call_id) references calls (tenant_id, id) on delete cascade
);
select app_enable_tenant_rls('call_analyses');

-- An activity the analysis of a call created (source_call_id) or completed (completed_by_call_id, with the words that
-- showed it done as completion_note). A callback task keeps using call_id.
alter table activities
  add column source_call_id        uuid,
  add column completed_by_call_id  uuid,
  add column completion_note       text check (length(completion_note) <= 2000);
create index activities_tenant_source_call_idx on activities (tenant_id, source_call_id) where source_call_id is not null;
create index activities_tenant_completed_by_call_idx on activities (tenant_id, completed_by_call_id) where completed_by_call_id is not null;

-- The tenant's AI policy, defaults until an admin saves it: which items become tasks at once (high, or high and medium;
-- the others are suggestions), and how sure an item must be to count as firm.
create table ai_settings (
  tenant_id                 uuid primary key references tenants (id),
  auto_create_min_priority  text not null default 'medium' check (auto_create_min_priority in ('high', 'medium', 'none')),
  min_confidence            numeric(3, 2) not null default 0.50 check (min_confidence between 0 and 1),
  updated_at                timestamptz not null
);
select app_enable_tenant_rls('ai_settings');

-- AI voice-agent providers (callfluent, thoughtly) report the calls their agents made through a signed "call
-- completed" webhook; those calls land here like any other, under the provider's name.
alter table calls drop constraint calls_provider_check;
alter table calls add constraint calls_provider_check check (provider in ('twilio', 'signalwire', 'simulator', 'callfluent', 'thoughtly'));

-- A tenant's integration with a voice-agent provider: the secret the provider signs its webhooks with (encrypted with
-- the app's data-protection keys, never returned), on or off.
create table voice_agent_integrations (
  tenant_id       uuid not null references tenants (id),
  provider        text not null check (provider in ('callfluent', 'thoughtly')),
  is_active       boolean not null default true,
  signing_secret  text not null,
  updated_at      timestamptz not null,
  primary key (tenant_id, provider)
);
select app_enable_tenant_rls('voice_agent_integrations');
