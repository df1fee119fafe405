using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Switchboard.Testing;
using Switchboard.Tests.Features.Calls;

namespace Switchboard.Tests.Features.Webhooks;

/// <summary>
/// call.completed from the provider's status callbacks, which <c>StatusBatchSql</c> writes without EF: the simulator
/// drives a real call through the signed webhook path, as a provider would.
/// </summary>
public sealed class CallCompletedWebhookTests(SimulatorHost host) : IClassFixture<SimulatorHost>, IAsyncLifetime
{
    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task A_call_ended_by_the_providers_callbacks_is_delivered_once_as_call_completed_with_the_call_as_the_API_returns_it()
    {
        var admin = await host.As("admin");
        await admin.SubscribeAsync(receiver.Url("/calls"), new[] { "call.completed" });
        var manager = await host.As("manager");
        var created = await manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Hooked", phone = "(212) 555-0182", ownerId = host.Tenant.Users["agent"] });
        var lead = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var agent = await host.As("agent");
        var id = (await (await agent.PostAsJsonAsync("/api/v1/calls", new { leadId = lead })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // The transcript is the last callback of a simulated call, after the one that ended it.
        var call = await CallingHost.WaitForCallAsync(agent, id, c => c.GetProperty("transcript").ValueKind == JsonValueKind.String, seconds: 30);
        var delivered = await Eventually.Until(() => Task.FromResult(receiver.On("/calls")), r => r.Count >= 1, TimeSpan.FromSeconds(20), "the call.completed delivery");

        var body = delivered.Single().Json;
        body.GetProperty("type").GetString().ShouldBe("call.completed");
        body.GetProperty("tenantId").GetGuid().ShouldBe(host.Tenant.Id);
        delivered.Single().Id.ShouldBe(body.GetProperty("id").GetString());
        var data = body.GetProperty("data");
        data.GetProperty("id").GetGuid().ShouldBe(id);
        data.GetProperty("status").GetString().ShouldBe("completed");
        data.GetProperty("leadId").GetGuid().ShouldBe(lead);
        data.GetProperty("provider").GetString().ShouldBe("simulator");
        data.GetProperty("durationSeconds").GetInt32().ShouldBe(call.GetProperty("durationSeconds").GetInt32());
        data.GetProperty("endedAt").GetDateTimeOffset().ShouldBe(call.GetProperty("endedAt").GetDateTimeOffset());
        data.GetProperty("answeredAt").GetDateTimeOffset().ShouldBe(call.GetProperty("answeredAt").GetDateTimeOffset());
        await using var connection = new NpgsqlConnection(host.Database.SuperuserConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from webhook_events where tenant_id = @t and type = 'call.completed'", connection);
        count.Parameters.AddWithValue("t", host.Tenant.Id);
        ((long)(await count.ExecuteScalarAsync())!).ShouldBe(1);
    }
}
