using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Features.Calls;
using Switchboard.Platform.Audit;
using Switchboard.Platform.Database;
using Switchboard.Platform.Jobs;
using Switchboard.Platform.Tenancy;
using Switchboard.Tests.Features.Telephony;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Calls;

/// <summary>
/// The calling host on a <see cref="FakeTimeProvider"/>: time moves only when a test advances it. Jobs are claimed on the
/// database's clock, so a test runs a due wrap-up job itself, as the worker would, on the app's clock.
/// </summary>
public sealed class WrapUpHost : CallingHost
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    /// <summary>The wrap-up jobs of the call that have not run, soonest first.</summary>
    public async Task<IReadOnlyList<Job>> WrapUpJobsAsync(Guid callId)
    {
        await using var scope = Services.CreateAsyncScope();
        var jobs = await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().Jobs.AsNoTracking()
            .Where(j => j.Kind == WrapUpExpiry.JobKind && j.CompletedAt == null && j.FailedAt == null).ToListAsync();
        return jobs.Where(j => j.Read<WrapUpExpiryPayload>().CallId == callId).OrderBy(j => j.RunAt).ToList();
    }

    /// <summary>Runs the job's handler as the job worker does: a fresh scope inside the job's tenant, as the system actor.</summary>
    public Task RunAsync(Job job) => JobRuns.RunAsync<WrapUpExpiry>(Services, job);
}

/// <summary>Wrap-up ends on the outcome, or after the tenant's maximum with the call marked "no-outcome" (docs/CALLING.md).</summary>
public sealed class WrapUpExpiryTests(WrapUpHost host) : IClassFixture<WrapUpHost>
{
    /// <summary>A status callback of the lead's leg (a child of the agent's call).</summary>
    private static Dictionary<string, string> LeadLeg(string sid, string parent, string status, int sequence) => new()
    {
        ["CallSid"] = sid, ["ParentCallSid"] = parent, ["AccountSid"] = FakeTwilioServer.AccountSid, ["CallStatus"] = status,
        ["SequenceNumber"] = sequence.ToString(),
    };

    [Fact]
    public async Task A_wrap_up_that_runs_past_the_tenants_maximum_marks_the_call_no_outcome_and_makes_the_agent_available()
    {
        var admin = await host.As("admin");
        (await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { wrapUpMaxSeconds = 300 })).EnsureSuccessStatusCode();
        var agent = await host.As("agent");
        var placed = await agent.PostAsJsonAsync("/api/v1/calls", new { leadId = await host.LeadAsync() });
        placed.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var callId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var sid = (await CallingHost.WaitForCallAsync(agent, callId, c => c.GetProperty("providerCallId").ValueKind == JsonValueKind.String))
            .GetProperty("providerCallId").GetString()!;
        var lead = "CAlead" + callId.ToString("N");
        foreach (var (status, sequence) in new[] { ("initiated", 0), ("in-progress", 1), ("completed", 2) })
            (await host.PostSignedAsync(host.Webhook("status"), LeadLeg(lead, sid, status, sequence))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var endedAt = host.Clock.GetUtcNow();
        (await PresenceAsync(agent)).ShouldBe(PresenceStates.WrapUp);

        // Before the maximum nothing changes; the job waits for the moment the wrap-up runs out, on the app's clock.
        var scheduled = await host.WrapUpJobsAsync(callId);
        scheduled.ShouldNotBeEmpty("placing the call schedules its wrap-up job");
        await host.RunAsync(scheduled[0]);
        (await host.WrapUpJobsAsync(callId)).Select(j => j.RunAt).ShouldContain(endedAt.AddSeconds(300));
        (await agent.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}")).GetProperty("disposition").ValueKind.ShouldBe(JsonValueKind.Null);
        (await PresenceAsync(agent)).ShouldBe(PresenceStates.WrapUp);

        host.Clock.Advance(TimeSpan.FromSeconds(300));
        await host.RunAsync((await host.WrapUpJobsAsync(callId)).Last());

        var call = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}");
        call.GetProperty("disposition").GetString().ShouldBe(Dispositions.NoOutcome);
        call.GetProperty("status").GetString().ShouldBe(CallStatuses.Completed);
        (await PresenceAsync(agent)).ShouldBe(PresenceStates.Available);
        // The agent may still record what really happened.
        (await agent.PostAsJsonAsync($"/api/v1/calls/{callId}/disposition", new { disposition = "interested" })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private async Task<string> PresenceAsync(HttpClient client)
    {
        var floor = await client.GetFromJsonAsync<JsonElement>("/api/v1/presence");
        return floor.EnumerateArray().Single(p => p.GetProperty("userId").GetGuid() == host.Tenant.Users["agent"]).GetProperty("state").GetString()!;
    }
}
