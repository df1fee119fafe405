using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Switchboard.Features.Retention;
using Switchboard.Features.Telephony;
using Switchboard.Testing;
using Switchboard.Tests.Features.Auth;
using Switchboard.Tests.Features.Calls;
using Switchboard.Tests.Features.Telephony;

namespace Switchboard.Tests.Features.Retention;

/// <summary>
/// Retention deletes a recording at the provider, not only the CRM's link to it (ADR 0071): an execute run queues a
/// <c>recording.delete</c> job in the statement that clears the link, and the job worker sends Twilio's DELETE with the
/// tenant's own credentials to the local server that speaks Twilio's REST protocol (<see cref="CallingHost"/>).
/// </summary>
public sealed class RecordingDeletionTests(CallingHost host) : IClassFixture<CallingHost>
{
    [Fact]
    public async Task Retention_deletes_an_expired_recording_at_twilio_and_keeps_the_recordings_inside_the_window()
    {
        var expired = await SeedCallAsync("RE00000000000000000000000000000101", daysAgo: 100);
        var recent = await SeedCallAsync("RE00000000000000000000000000000102", daysAgo: 10);
        await SetRetentionAsync(recordingsDays: 30);

        await RetentionExecuteAsync();

        ((string?)await SqlAsync("select recording_url from calls where id = $1", expired)).ShouldBeNull("the run clears the link at once");
        await Eventually.Until(() => Task.FromResult(!host.Twilio.HasRecording("RE00000000000000000000000000000101")), TimeSpan.FromSeconds(30),
            "the job worker to delete the recording at Twilio");
        var delete = host.Twilio.Received.Where(r => r.Path.Contains("RE00000000000000000000000000000101")).ShouldHaveSingleItem();
        delete.Method.ShouldBe("DELETE");
        delete.Path.ShouldBe($"/2010-04-01/Accounts/{FakeTwilioServer.AccountSid}/Recordings/RE00000000000000000000000000000101.json");
        delete.Authorization.ShouldBe("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FakeTwilioServer.AccountSid}:{FakeTwilioServer.AuthToken}")));
        await Eventually.Until(() => JobDoneAsync(expired), TimeSpan.FromSeconds(30), "the recording.delete job to complete");

        host.Twilio.HasRecording("RE00000000000000000000000000000102").ShouldBeTrue("a recording inside the window stays at the provider");
        ((string?)await SqlAsync("select recording_url from calls where id = $1", recent)).ShouldNotBeNull();
        ((long)(await SqlAsync("select count(*) from jobs where idempotency_key = $1", $"{RecordingDeletion.JobKind}:{recent}"))!).ShouldBe(0);
    }

    [Fact]
    public async Task A_provider_that_fails_keeps_the_deletion_queued_with_its_error_until_a_retry_gets_through()
    {
        var call = await SeedCallAsync("RE00000000000000000000000000000201", daysAgo: 200);
        await SetRetentionAsync(recordingsDays: 30);
        // The first attempt's request and its three quick retries all meet an outage.
        for (var i = 0; i < 4; i++) host.Twilio.Enqueue(new FakeTwilioServer.Status(503, 20503, "Service Unavailable"));

        await RetentionExecuteAsync();

        var failed = await Eventually.Until(() => JobAsync(call), j => j.LastError is not null, TimeSpan.FromSeconds(30), "the first attempt to fail");
        failed.LastError!.ShouldContain("Twilio answered HTTP 503");
        failed.CompletedAt.ShouldBeNull();
        failed.FailedAt.ShouldBeNull("it is retried, not given up");
        failed.MaxAttempts.ShouldBe(RecordingDeletion.MaxAttempts);
        await Eventually.Until(() => JobDoneAsync(call), TimeSpan.FromSeconds(60), "the retry to delete the recording");
        host.Twilio.HasRecording("RE00000000000000000000000000000201").ShouldBeFalse();
        (await JobAsync(call)).Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task Deleting_an_old_call_log_deletes_the_recording_it_still_had_at_the_provider()
    {
        var call = await SeedCallAsync("RE00000000000000000000000000000301", daysAgo: 400);
        await SetRetentionAsync(callLogsDays: 365);

        await RetentionExecuteAsync();

        ((long)(await SqlAsync("select count(*) from calls where id = $1", call))!).ShouldBe(0, "the call log is gone");
        await Eventually.Until(() => JobDoneAsync(call), TimeSpan.FromSeconds(30), "the recording.delete job of the deleted call");
        host.Twilio.HasRecording("RE00000000000000000000000000000301").ShouldBeFalse();
    }

    [Fact]
    public async Task An_administrator_sees_the_recordings_still_being_deleted_and_those_given_up_with_the_latest_error()
    {
        // As the queue leaves them: one retrying (due later), one given up after every attempt, one done; and a
        // platform job of the same kind that is no tenant's.
        await SqlAsync("""
            insert into jobs (id, tenant_id, kind, payload, idempotency_key, run_at, attempts, max_attempts, completed_at, failed_at, last_error, created_at)
            values (gen_random_uuid(), $1, 'recording.delete', '{}', null, now() + interval '1 hour', 3, 20, null, null, 'Twilio answered HTTP 503: Service Unavailable.', now()),
                   (gen_random_uuid(), $1, 'recording.delete', '{}', null, now() - interval '1 day', 20, 20, null, now(), 'Twilio answered HTTP 401, error 20003: Authenticate.', now()),
                   (gen_random_uuid(), $1, 'recording.delete', '{}', null, now() - interval '1 day', 1, 20, now(), null, null, now()),
                   (gen_random_uuid(), null, 'recording.delete', '{}', null, now() + interval '1 hour', 1, 20, null, null, 'not this tenant''s', now())
            """, host.Tenant.Id);
        try
        {
            var retention = await (await host.As("admin")).GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/settings/retention");

            var deletions = retention.GetProperty("recordingDeletions");
            deletions.GetProperty("pending").GetInt32().ShouldBe(1);
            deletions.GetProperty("failed").GetInt32().ShouldBe(1);
            deletions.GetProperty("lastError").GetString().ShouldBe("Twilio answered HTTP 401, error 20003: Authenticate.", "the given-up job's error is the one to act on");
            (await (await host.As("manager")).GetAsync("/api/v1/settings/retention")).StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);
        }
        finally
        {
            await SqlAsync("delete from jobs where kind = 'recording.delete' and payload = '{}'::jsonb");
        }
    }

    /// <summary>A finished Twilio call of the tenant, <paramref name="daysAgo"/> old, whose recording the fake provider holds.</summary>
    private async Task<Guid> SeedCallAsync(string recordingSid, int daysAgo)
    {
        var id = Guid.CreateVersion7();
        await SqlAsync("""
            insert into calls (tenant_id, id, direction, from_number, to_number, provider, provider_call_id, status, created_at, updated_at, ended_at,
                               recording_url, recording_duration)
            values ($1, $2, 'outbound', '+12125550100', '+12125550150', 'twilio', 'CA' || replace($2::text, '-', ''), 'completed',
                    now() - make_interval(days => $3), now() - make_interval(days => $3), now() - make_interval(days => $3), $4, 42)
            """, host.Tenant.Id, id, daysAgo, host.Twilio.SeedRecording(recordingSid));
        return id;
    }

    /// <summary>Only the classes given; the others are kept for ever (each test sets both, whatever ran before it).</summary>
    private async Task SetRetentionAsync(int? recordingsDays = null, int? callLogsDays = null) =>
        (await (await host.As("admin")).PutAsJsonAsync("/api/v1/settings/retention", new { recordingsDays, callLogsDays })).EnsureSuccessStatusCode();

    private Task RetentionExecuteAsync() => RetentionHost.RunCommandAsync(host.Services, "--execute", "--tenant", host.Tenant.Slug);

    private sealed record JobRow(int Attempts, int MaxAttempts, string? LastError, DateTime? CompletedAt, DateTime? FailedAt);

    private async Task<JobRow> JobAsync(Guid callId)
    {
        await using var connection = new NpgsqlConnection(host.Database.SuperuserConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            select attempts, max_attempts, last_error, completed_at, failed_at from jobs where kind = $1 and idempotency_key = $2 and tenant_id = $3
            """, connection)
        {
            Parameters = { new() { Value = RecordingDeletion.JobKind }, new() { Value = $"{RecordingDeletion.JobKind}:{callId}" }, new() { Value = host.Tenant.Id } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue($"a recording.delete job for call {callId}");
        return new JobRow(reader.GetInt32(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetDateTime(3), reader.IsDBNull(4) ? null : reader.GetDateTime(4));
    }

    private async Task<bool> JobDoneAsync(Guid callId) => (await JobAsync(callId)).CompletedAt is not null;

    /// <summary>SQL as the database owner in the host's tenant (<see cref="AccountSupport.ScalarAsync"/>).</summary>
    private Task<object?> SqlAsync(string sql, params object[] values) => AccountSupport.ScalarAsync(host, sql, values);
}
