using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Calls;

public sealed class SimulatorHost : SwitchboardHostWithTenant
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Jobs:PollSeconds"] = "0.2" };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var admin = await As("admin");
        (await admin.PutAsJsonAsync("/api/v1/telephony/providers/simulator", new
        {
            active = true, callerId = "(212) 555-0100", answerRate = 1, ringSeconds = 0.5, talkSeconds = 1, transcripts = true,
        })).EnsureSuccessStatusCode();
        (await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { callingHours = CallingHost.AllDay() })).EnsureSuccessStatusCode();
    }
}

/// <summary>The simulator drives a whole call through the public, signed webhook path, as a real provider would.</summary>
public sealed class SimulatorTests(SimulatorHost host) : IClassFixture<SimulatorHost>
{
    [Fact]
    public async Task A_simulated_answered_call_goes_live_then_completes_with_recording_and_transcript()
    {
        var manager = await host.As("manager");
        var created = await manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Simulated", phone = "(212) 555-0180", ownerId = host.Tenant.Users["agent"] });
        var lead = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var agent = await host.As("agent");

        var response = await agent.PostAsJsonAsync("/api/v1/calls", new { leadId = lead });
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var live = await WaitForStatusesAsync(agent, id, ["in-progress", "completed"]);
        // The recording and transcription callbacks arrive in either order, as a provider's do.
        var done = await CallingHost.WaitForCallAsync(agent, id,
            c => c.GetProperty("transcript").ValueKind == JsonValueKind.String && c.GetProperty("recordingUrl").ValueKind == JsonValueKind.String, seconds: 30);
        live.ShouldContain("in-progress");
        done.GetProperty("status").GetString().ShouldBe("completed");
        done.GetProperty("answeredAt").ValueKind.ShouldBe(JsonValueKind.String);
        done.GetProperty("recordingUrl").GetString()!.ShouldStartWith("https://simulator.invalid/recordings/");
        done.GetProperty("provider").GetString().ShouldBe("simulator");
    }

    [Fact]
    public async Task Simulated_callbacks_pass_the_same_signature_check_as_a_real_providers()
    {
        await using var conn = new Npgsql.NpgsqlConnection(host.Database.SuperuserConnectionString);
        await conn.OpenAsync();
        var manager = await host.As("manager");
        var created = await manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Signed", phone = "(212) 555-0181", ownerId = host.Tenant.Users["agent"] });
        var lead = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var agent = await host.As("agent");
        var id = (await (await agent.PostAsJsonAsync("/api/v1/calls", new { leadId = lead })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        await CallingHost.WaitForCallAsync(agent, id, c => c.GetProperty("status").GetString() == "completed");

        await using var cmd = new Npgsql.NpgsqlCommand($"select count(*) from call_events where call_id = '{id}'", conn);
        ((long)(await cmd.ExecuteScalarAsync())!).ShouldBeGreaterThanOrEqualTo(4);
        await using var rejected = new Npgsql.NpgsqlCommand("select count(*) from audit_log where action = 'telephony.signature-rejected'", conn);
        ((long)(await rejected.ExecuteScalarAsync())!).ShouldBe(0);
    }

    [Fact]
    public async Task Hanging_up_a_live_simulated_call_ends_it_through_the_providers_callbacks()
    {
        var admin = await host.As("admin");
        (await admin.PutAsJsonAsync("/api/v1/telephony/providers/simulator", new { talkSeconds = 600 })).EnsureSuccessStatusCode();
        try
        {
            var manager = await host.As("manager");
            var created = await manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Long talker", phone = "(212) 555-0182", ownerId = host.Tenant.Users["agent"] });
            var lead = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var agent = await host.As("agent");
            var id = (await (await agent.PostAsJsonAsync("/api/v1/calls", new { leadId = lead })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            await CallingHost.WaitForCallAsync(agent, id, c => c.GetProperty("status").GetString() == "in-progress");

            var hangUp = await agent.PostAsync($"/api/v1/calls/{id}/hangup", null);

            hangUp.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            var ended = await CallingHost.WaitForCallAsync(agent, id, c => c.GetProperty("status").GetString() == "completed");
            ended.GetProperty("status").GetString().ShouldBe("completed");
            (await agent.PostAsync($"/api/v1/calls/{id}/hangup", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        }
        finally
        {
            (await admin.PutAsJsonAsync("/api/v1/telephony/providers/simulator", new { talkSeconds = 1 })).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task Unanswered_simulated_calls_end_no_answer_whichever_legs_end_arrives_first()
    {
        var admin = await host.As("admin");
        (await admin.PutAsJsonAsync("/api/v1/telephony/providers/simulator", new { answerRate = 0, voicemailRate = 0, busyRate = 0, failRate = 0 })).EnsureSuccessStatusCode();
        try
        {
            // The lead's no-answer and the agent's completed are 0.1 s apart and often run together: either may land first.
            var agent = await host.As("agent");
            var ids = new List<Guid>();
            for (var i = 0; i < 8; i++)
            {
                var created = await (await host.As("manager")).PostAsJsonAsync("/api/v1/leads", new { lastName = $"Unanswered {i}", phone = $"(212) 555-019{i}", ownerId = host.Tenant.Users["agent"] });
                var lead = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                ids.Add((await (await agent.PostAsJsonAsync("/api/v1/calls", new { leadId = lead })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
            }

            // Both legs' ends stored for every call, then the calls as they stand.
            var callIds = string.Join(",", ids.Select(id => $"'{id}'"));
            await Eventually.Until(async () => await ScalarAsync($"""
                select count(*) from call_events where kind = 'status' and call_id in ({callIds})
                  and (event_key like '%:no-answer:%' or event_key like '%:completed:%')
                """) == ids.Count * 2, TimeSpan.FromSeconds(30), "both legs' ends of every call");
            var statuses = new List<string>();
            foreach (var id in ids) statuses.Add((await agent.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{id}")).GetProperty("status").GetString()!);

            statuses.ShouldAllBe(status => status == "no-answer");
        }
        finally
        {
            (await admin.PutAsJsonAsync("/api/v1/telephony/providers/simulator", new { answerRate = 1 })).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task Hanging_up_a_simulated_call_while_the_lead_rings_ends_it_canceled()
    {
        var admin = await host.As("admin");
        (await admin.PutAsJsonAsync("/api/v1/telephony/providers/simulator", new { ringSeconds = 600 })).EnsureSuccessStatusCode();
        try
        {
            var created = await (await host.As("manager")).PostAsJsonAsync("/api/v1/leads", new { lastName = "Never picks up", phone = "(212) 555-0183", ownerId = host.Tenant.Users["agent"] });
            var lead = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var agent = await host.As("agent");
            var id = (await (await agent.PostAsJsonAsync("/api/v1/calls", new { leadId = lead })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            await CallingHost.WaitForCallAsync(agent, id, c => c.GetProperty("status").GetString() == "ringing");

            (await agent.PostAsync($"/api/v1/calls/{id}/hangup", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

            await Eventually.Until(async () => await ScalarAsync($"select count(*) from call_events where call_id = '{id}' and event_key like '%:99'") == 2,
                TimeSpan.FromSeconds(30), "both legs' hang-up callbacks");
            var ended = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{id}");
            ended.GetProperty("status").GetString().ShouldBe("canceled");
            ended.GetProperty("answeredAt").ValueKind.ShouldBe(JsonValueKind.Null);
        }
        finally
        {
            (await admin.PutAsJsonAsync("/api/v1/telephony/providers/simulator", new { ringSeconds = 0.5 })).EnsureSuccessStatusCode();
        }
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var conn = new Npgsql.NpgsqlConnection(host.Database.SuperuserConnectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> WaitForStatusesAsync(HttpClient client, Guid id, string[] wanted)
    {
        var seen = new List<string>();
        return await Eventually.Until(async () =>
        {
            var status = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{id}")).GetProperty("status").GetString()!;
            if (seen.LastOrDefault() != status) seen.Add(status);
            return seen.ToList();
        }, statuses => statuses[^1] == wanted[^1], $"call {id} to reach {wanted[^1]}");
    }
}
