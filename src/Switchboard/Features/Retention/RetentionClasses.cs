using Switchboard.Features.Telephony;

namespace Switchboard.Features.Retention;

/// <summary>
/// One table's share of a retention class: which of the current tenant's rows are due (older than the cutoff), and the
/// statement that removes or clears one batch of them. Parameters: {0} tenant, {1} cutoff, {2} batch size, {3} now.
/// The batch statement and the count use the same predicate, so a dry run counts exactly what an execute removes.
/// </summary>
public sealed record RetentionPart(string Table, string Due, string AgeColumn, string Batch)
{
    /// <summary>The rows due and the oldest of them (constants of this file only: no value is ever spliced in).</summary>
    public string Count => $"""select count(*) as "Count", min({AgeColumn}) as "Oldest" from {Table} where {Due}""";
}

/// <summary>A class of data with its own retention (ADR 0066), in the order a run applies them.</summary>
public sealed record RetentionClass(string Key, string Label, Func<RetentionSettingsDto, int?> Days, IReadOnlyList<RetentionPart> Parts);

public static class RetentionClasses
{
    public const string Audit = "auditEntries";

    /// <summary>
    /// A CTE over <c>due</c> (calls with their <c>provider</c> and <c>recording_url</c>) that queues a
    /// <see cref="RecordingDeletion"/> job for each recording, in the statement that clears its link or deletes its call:
    /// the CRM never forgets a recording the provider is not asked to delete (ADR 0071). Keyed by the call, so a
    /// recording is queued once whichever class reaches it first. Jobs are due on the database's clock, as the worker claims them.
    /// </summary>
    private static readonly string DeleteRecordingsAtProvider = $$"""
        recording_deletions as (
                       insert into jobs (id, tenant_id, kind, payload, idempotency_key, run_at, max_attempts, created_at)
                       select gen_random_uuid(), {0}, '{{RecordingDeletion.JobKind}}',
                              jsonb_build_object('callId', due.id, 'provider', due.provider, 'recordingUrl', due.recording_url),
                              '{{RecordingDeletion.JobKind}}:' || due.id::text, now(), {{RecordingDeletion.MaxAttempts}}, now()
                       from due where due.recording_url is not null
                       on conflict (idempotency_key) where idempotency_key is not null do nothing)
        """;

    /// <summary>
    /// Clearing classes run before the deleting ones on the same tables (recordings and transcripts before call logs,
    /// email bodies before deleted emails), so each class's rows are the same whether it runs alone or after the others.
    /// Audit entries come last and go through the database's purge (<see cref="RetentionRunner"/>).
    /// </summary>
    public static readonly IReadOnlyList<RetentionClass> All =
    [
        new("recordings", "Recordings", s => s.RecordingsDays,
        [
            new("calls", "tenant_id = {0} and recording_url is not null and created_at < {1}", "created_at", $$"""
                with due as (select id, provider, recording_url from calls where tenant_id = {0} and recording_url is not null and created_at < {1}
                             order by created_at, id limit {2} for update),
                     {{DeleteRecordingsAtProvider}}
                update calls c set recording_url = null, recording_duration = null, version = c.version + 1, updated_at = {3}
                from due where c.tenant_id = {0} and c.id = due.id
                """),
        ]),
        new("transcripts", "Transcripts", s => s.TranscriptsDays,
        [
            new("calls", "tenant_id = {0} and (transcript is not null or transcript_utterances is not null) and created_at < {1}", "created_at", """
                with due as (select id from calls where tenant_id = {0} and (transcript is not null or transcript_utterances is not null) and created_at < {1}
                             order by created_at, id limit {2} for update)
                update calls c set transcript = null, transcript_utterances = null, transcript_source = null, transcribed_at = null,
                                   version = c.version + 1, updated_at = {3}
                from due where c.tenant_id = {0} and c.id = due.id
                """),
        ]),
        new("emailBodies", "Email bodies", s => s.EmailBodiesDays,
        [
            new("email_messages", "tenant_id = {0} and (text_body is not null or html_body is not null) and sent_at < {1}", "sent_at", """
                with due as (select id from email_messages where tenant_id = {0} and (text_body is not null or html_body is not null) and sent_at < {1}
                             order by sent_at, id limit {2} for update)
                update email_messages m set text_body = null, html_body = null from due where m.tenant_id = {0} and m.id = due.id
                """),
            new("outreach_emails", "tenant_id = {0} and (text_body is not null or html_body is not null) and status not in ('queued', 'sending') and created_at < {1}", "created_at", """
                with due as (select id from outreach_emails where tenant_id = {0} and (text_body is not null or html_body is not null)
                               and status not in ('queued', 'sending') and created_at < {1} order by created_at, id limit {2} for update)
                update outreach_emails o set text_body = null, html_body = null from due where o.tenant_id = {0} and o.id = due.id
                """),
        ]),
        new("closedTickets", "Closed tickets", s => s.ClosedTicketsDays,
        [
            new("tickets", "tenant_id = {0} and status = 'solved' and solved_at < {1}", "solved_at", """
                with due as (select id from tickets where tenant_id = {0} and status = 'solved' and solved_at < {1} order by solved_at, id limit {2} for update)
                delete from tickets t using due where t.tenant_id = {0} and t.id = due.id
                """),
        ]),
        new("deletedRecords", "Deleted records", s => s.DeletedRecordsDays,
        [
            new("email_messages", "tenant_id = {0} and server_state = 'removed' and server_state_at < {1}", "server_state_at", """
                with due as (select id from email_messages where tenant_id = {0} and server_state = 'removed' and server_state_at < {1}
                             order by server_state_at, id limit {2} for update)
                delete from email_messages m using due where m.tenant_id = {0} and m.id = due.id
                """),
        ]),
        new("callLogs", "Call logs", s => s.CallLogsDays,
        [
            // Finished calls only: a call still ringing or in progress is never a log yet. Its provider events go with it, and
            // a recording it still has is deleted at the provider.
            new("calls", "tenant_id = {0} and status in ('completed', 'busy', 'no-answer', 'failed', 'canceled') and created_at < {1}", "created_at", $$"""
                with due as (select id, provider, recording_url from calls
                             where tenant_id = {0} and status in ('completed', 'busy', 'no-answer', 'failed', 'canceled') and created_at < {1}
                             order by created_at, id limit {2} for update),
                     {{DeleteRecordingsAtProvider}},
                     events as (delete from call_events e using due where e.tenant_id = {0} and e.call_id = due.id)
                delete from calls c using due where c.tenant_id = {0} and c.id = due.id
                """),
        ]),
    ];

    public static readonly IReadOnlyList<string> Keys = [.. All.Select(c => c.Key), Audit];
}
