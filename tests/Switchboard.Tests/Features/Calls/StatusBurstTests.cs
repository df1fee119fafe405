using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Switchboard.Features.Calls;
using Switchboard.Testing;
using Switchboard.Tests.Features.Telephony;

namespace Switchboard.Tests.Features.Calls;

/// <summary>
/// Status callbacks under load: the group-commit writer applies many callbacks, of several tenants, in one
/// transaction. Whatever the arrival order and however often the provider repeats itself, every call ends in
/// its last state, every event is stored once in its own tenant, and one bad callback fails only itself.
/// </summary>
public sealed class StatusBurstTests(CallingHost host) : IClassFixture<CallingHost>
{
    private static readonly string[] Lifecycle = ["initiated", "ringing", "in-progress", "completed"];

    [Fact]
    public async Task Shuffled_and_repeated_callbacks_from_two_tenants_leave_every_call_completed_with_each_event_stored_once()
    {
        var other = await OtherTenantAsync();
        var tenants = new[] { host.Tenant.Id, other };
        var calls = new List<(Guid Tenant, string Sid)>();
        foreach (var tenant in tenants) calls.AddRange(await InsertInboundCallsAsync(tenant, "CAburst", 25));

        // Each call's four callbacks, each sent twice, all in a random (but repeatable) order, 40 at a time.
        var requests = calls.SelectMany(c => Lifecycle.Select((status, sequence) => (c.Tenant, Form: Status(c.Sid, status, sequence))))
            .SelectMany(r => new[] { r, r }).ToList();
        new Random(20261121).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(requests));
        using var gate = new SemaphoreSlim(40);
        var responses = await Task.WhenAll(requests.Select(async r =>
        {
            await gate.WaitAsync();
            try { return (await host.PostSignedAsync(host.Webhook("status", tenantId: r.Tenant), r.Form)).StatusCode; }
            finally { gate.Release(); }
        }));

        responses.ShouldAllBe(code => code == HttpStatusCode.NoContent);
        (await ScalarAsync("select count(*) from calls where provider_call_id like 'CAburst%' and (status <> 'completed' or answered_at is null or duration_seconds <> 30)")).ShouldBe(0);
        (await ScalarAsync("select count(*) from call_events where event_key like 'status:CAburst%'")).ShouldBe(calls.Count * Lifecycle.Length);
        (await ScalarAsync("""
            select count(*) from call_events e join calls c on c.id = e.call_id
            where e.event_key like 'status:CAburst%' and e.tenant_id <> c.tenant_id
            """)).ShouldBe(0);
        // One audit row per transition, in the call's tenant, each moving the call forwards and the last one to completed.
        (await ScalarAsync("""
            select count(*) from audit_log a join calls c on c.id::text = a.entity_id
            where c.provider_call_id like 'CAburst%' and a.tenant_id <> c.tenant_id
            """)).ShouldBe(0);
        (await ScalarAsync("""
            select count(*) from calls c
            where c.provider_call_id like 'CAburst%'
              and c.version - 1 <> (select count(*) from audit_log a where a.entity_type = 'call' and a.entity_id = c.id::text)
            """)).ShouldBe(0);
        (await ScalarAsync("""
            select count(*) from audit_log a join calls c on c.id::text = a.entity_id
            where c.provider_call_id like 'CAburst%'
              and array_position(array['queued', 'initiated', 'ringing', 'in-progress', 'completed'], a.changes #>> '{status,new}')
               <= array_position(array['queued', 'initiated', 'ringing', 'in-progress', 'completed'], a.changes #>> '{status,old}')
            """)).ShouldBe(0);
    }

    [Fact]
    public async Task Callbacks_taken_together_are_applied_in_arrival_order_and_a_bad_one_fails_alone()
    {
        var writer = host.Services.GetRequiredService<CallStatusWriter>();
        var calls = await InsertInboundCallsAsync(host.Tenant.Id, "CAtogether", 20);
        StatusCallback Callback(string sid, string status, int sequence, string payload = "{}") =>
            new(host.Tenant.Id, "twilio", new StatusUpdate(sid, null, status, sequence, null, status == "completed" ? 12 : null), payload, "provider:twilio", null, null);

        // Submitted at once, so the writer takes many in one transaction: for each call ringing, in-progress,
        // a repeat of ringing (a duplicate) and completed; then a callback for a call nobody placed, and one
        // whose payload PostgreSQL refuses (not JSON), which must not take the others down with it.
        var submitted = calls.SelectMany(c => new[]
            {
                Callback(c.Sid, "ringing", 1), Callback(c.Sid, "in-progress", 2), Callback(c.Sid, "ringing", 1), Callback(c.Sid, "completed", 3),
            })
            .Append(Callback("CAnobody", "ringing", 1))
            .Append(Callback(calls[0].Sid, "busy", 9, payload: "{not json"))
            .ToList();
        var outcomes = await Task.WhenAll(submitted.Select(async c =>
        {
            try { return (EventOutcome?)await writer.ApplyAsync(c, CancellationToken.None); }
            catch (PostgresException) { return null; }
        }));

        outcomes.Count(o => o == EventOutcome.Applied).ShouldBe(calls.Count * 3);
        outcomes.Count(o => o == EventOutcome.Duplicate).ShouldBe(calls.Count);
        outcomes.Count(o => o == EventOutcome.UnknownCall).ShouldBe(1);
        outcomes[^1].ShouldBeNull();
        (await ScalarAsync("select count(*) from calls where provider_call_id like 'CAtogether%' and status = 'completed' and duration_seconds = 12 and version = 4")).ShouldBe(calls.Count);
    }

    private async Task<Guid> OtherTenantAsync()
    {
        var tenant = await host.CreateTenantAsync("burst");
        var admin = await host.LoginAsync(tenant.Email("admin"), tenant.Slug);
        (await admin.PutAsJsonAsync("/api/v1/telephony/providers/twilio", new
        {
            accountSid = FakeTwilioServer.AccountSid, authToken = FakeTwilioServer.AuthToken, callerId = "(212) 555-0100", active = true,
        })).EnsureSuccessStatusCode();
        return tenant.Id;
    }

    private async Task<List<(Guid Tenant, string Sid)>> InsertInboundCallsAsync(Guid tenant, string prefix, int count)
    {
        var sids = Enumerable.Range(0, count).Select(i => $"{prefix}{tenant:N}{i:D3}").ToArray();
        await using var conn = new NpgsqlConnection(host.Database.SuperuserConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            insert into calls (tenant_id, id, direction, from_number, to_number, provider, provider_call_id, status, created_at, updated_at)
            select $1, gen_random_uuid(), 'inbound', '+12125550199', '+12125550100', 'twilio', sid, 'queued', now(), now() from unnest($2::text[]) sid
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenant });
        cmd.Parameters.Add(new NpgsqlParameter { Value = sids });
        await cmd.ExecuteNonQueryAsync();
        return sids.Select(s => (tenant, s)).ToList();
    }

    private static Dictionary<string, string> Status(string sid, string status, int sequence)
    {
        var form = new Dictionary<string, string> { ["CallSid"] = sid, ["AccountSid"] = FakeTwilioServer.AccountSid, ["CallStatus"] = status, ["SequenceNumber"] = sequence.ToString() };
        if (status == "completed") form["CallDuration"] = "30";
        return form;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(host.Database.SuperuserConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
