using Npgsql;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Retention;

/// <summary>
/// The same data in each tenant, written as the superuser (past row-level security, with the ages the test needs):
/// calls, their events, emails, outreach emails and tickets, some past each class's retention and some inside it.
/// Ages are days before <c>now</c>. What the settings of <see cref="RetentionTests.Settings"/> remove is in <see cref="Expected"/>.
/// </summary>
public sealed class RetentionSeed(TestDatabase database)
{
    /// <summary>Rows due per class under <see cref="RetentionTests.Settings"/>, audit entries aside.</summary>
    public static readonly IReadOnlyDictionary<string, long> Expected = new Dictionary<string, long>
    {
        // Calls of 500, 400 (finished), 400 (still in progress) and 100 days carry a recording and a transcript; one of 10 days too.
        ["recordings"] = 4, ["transcripts"] = 4,
        // Finished calls older than 365 days: 500 and 400 (the one in progress stays).
        ["callLogs"] = 2,
        // Synced emails of 400 days (one present, one removed from the server) and a sent outreach email of 400 days.
        ["emailBodies"] = 3,
        // A ticket solved 200 days ago (one solved 100 days ago and an open one of 400 days stay).
        ["closedTickets"] = 1,
        // An email removed from the server 200 days ago (one removed 20 days ago stays).
        ["deletedRecords"] = 1,
    };

    public async Task SeedAsync(Guid tenantId, DateTimeOffset now)
    {
        DateTimeOffset Ago(int days) => now.AddDays(-days);
        await using var conn = new NpgsqlConnection(database.SuperuserConnectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();

        foreach (var (age, status) in new[] { (500, "completed"), (400, "completed"), (400, "in-progress"), (100, "completed"), (10, "completed") })
        {
            var call = Guid.NewGuid();
            await ExecAsync(conn, tx, """
                insert into calls (tenant_id, id, direction, from_number, to_number, provider, status, created_at, updated_at, ended_at,
                                   recording_url, recording_duration, transcript, transcript_source, transcribed_at)
                values ($1, $2, 'outbound', '+15555550100', '+15555550101', 'simulator', $3, $4, $4, $4,
                        'https://recordings.example/' || $2::text, 42, 'Hello, this is a transcript.', 'api', $4)
                """, tenantId, call, status, Ago(age));
            await ExecAsync(conn, tx, """
                insert into call_events (tenant_id, id, call_id, provider, event_key, kind, received_at, payload)
                values ($1, $2, $3, 'simulator', $2::text, 'status', $4, '{}')
                """, tenantId, Guid.NewGuid(), call, Ago(age));
        }

        var mailbox = Guid.NewGuid();
        await ExecAsync(conn, tx, """
            insert into mailboxes (tenant_id, id, kind, name, address, imap_host, imap_port, imap_security, imap_username,
                                   smtp_host, smtp_port, smtp_security, smtp_username, secret, is_active, created_at, updated_at)
            values ($1, $2, 'shared', 'Support', 'support-' || $2::text || '@retention.example', '127.0.0.1', 9, 'none', 'u',
                    '127.0.0.1', 9, 'none', 'u', 'not-a-secret', false, $3, $3)
            """, tenantId, mailbox, Ago(800));
        foreach (var (age, state, stateAge) in new[] { (400, "present", (int?)null), (10, "present", null), (400, "removed", 200), (20, "removed", 20) })
            await ExecAsync(conn, tx, """
                insert into email_messages (tenant_id, id, mailbox_id, folder, message_id, direction, from_address, subject, text_body, html_body,
                                            sent_at, synced_at, server_state, server_state_at)
                values ($1, $2, $3, 'inbox', '<' || $2::text || '@retention.example>', 'inbound', 'ada@example.com', 'Hello', 'Body', '<p>Body</p>',
                        $4, $4, $5, $6)
                """, tenantId, Guid.NewGuid(), mailbox, Ago(age), state, stateAge is { } days ? Ago(days) : DBNull.Value);
        foreach (var (age, status) in new[] { (400, "sent"), (400, "queued"), (10, "sent") })
        {
            var id = Guid.NewGuid();
            await ExecAsync(conn, tx, """
                insert into outreach_emails (tenant_id, id, idempotency_key, source, source_id, mailbox_id, to_address, subject, text_body, html_body,
                                             status, not_before, message_id, created_at)
                values ($1, $2, 'campaign:' || $2::text, 'campaign', $2, $3, 'bo@example.com', 'Offer', 'Body', '<p>Body</p>', $4, $5, '<' || $2::text || '@x>', $5)
                """, tenantId, id, mailbox, status, Ago(age));
        }
        var number = 0;
        foreach (var (age, status, solvedAge) in new[] { (400, "solved", (int?)200), (300, "solved", 100), (400, "open", null) })
            await ExecAsync(conn, tx, """
                insert into tickets (tenant_id, id, number, mailbox_id, subject, requester_address, status, priority, category, sentiment,
                                     triage_engine, first_response_due_at, resolution_due_at, solved_at, created_at, updated_at)
                values ($1, $2, $3, $4, 'Help', 'ada@example.com', $5, 'normal', 'general', 'neutral', 'rules', $6, $6, $7, $6, $6)
                """, tenantId, Guid.NewGuid(), ++number, mailbox, status, Ago(age), solvedAge is { } days ? Ago(days) : DBNull.Value);
        await tx.CommitAsync();
    }

    /// <summary>What is left of the seeded data: the counts a run changes, so a test sees what went and what stayed.</summary>
    public async Task<IReadOnlyDictionary<string, long>> StateAsync(Guid tenantId) => new Dictionary<string, long>
    {
        ["calls"] = await ScalarAsync("select count(*) from calls where tenant_id = $1", tenantId),
        ["callEvents"] = await ScalarAsync("select count(*) from call_events where tenant_id = $1", tenantId),
        ["recordings"] = await ScalarAsync("select count(*) from calls where tenant_id = $1 and recording_url is not null", tenantId),
        ["transcripts"] = await ScalarAsync("select count(*) from calls where tenant_id = $1 and transcript is not null", tenantId),
        ["emails"] = await ScalarAsync("select count(*) from email_messages where tenant_id = $1", tenantId),
        ["emailBodies"] = await ScalarAsync("select (select count(*) from email_messages where tenant_id = $1 and text_body is not null)"
                                            + " + (select count(*) from outreach_emails where tenant_id = $1 and text_body is not null)", tenantId),
        ["tickets"] = await ScalarAsync("select count(*) from tickets where tenant_id = $1", tenantId),
        ["auditEntries"] = await ScalarAsync("select count(*) from audit_log where tenant_id = $1", tenantId),
    };

    public async Task<long> ScalarAsync(string sql, params object[] values)
    {
        await using var conn = new NpgsqlConnection(database.SuperuserConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var value in values) cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    private static async Task ExecAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, params object[] values)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        foreach (var value in values) cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        await cmd.ExecuteNonQueryAsync();
    }
}
