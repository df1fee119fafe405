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
        var done = await CallingHost.WaitForCallAsync(agent, id, c => c.GetProperty("transcript").ValueKind == JsonValueKind.String, seconds: 30);
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
