using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Features.Calls.Compliance;
using Switchboard.Features.Demo;
using Switchboard.Features.Dialer;
using Switchboard.Features.Leads;
using Switchboard.Platform.Database;
using Switchboard.Platform.Identity;
using Switchboard.Platform.Tenancy;
using Switchboard.Platform.Web;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

/// <summary>
/// The demo's dialer works whenever someone tries it: at every hour of a winter and a summer day (and at 23:27, when
/// Chicago is closed), the demo agent's queue serves a lead that the compliance guard lets them call.
/// </summary>
public sealed class DemoQueueTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>
{
    [Fact]
    public async Task The_demo_agents_queue_serves_a_callable_lead_at_any_hour()
    {
        await DemoSeeder.SeedOnFirstStartAsync(host.Services, CancellationToken.None);
        var times = new[] { new DateTimeOffset(2027, 1, 13, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 7, 14, 0, 0, 0, TimeSpan.Zero) }
            .SelectMany(day => Enumerable.Range(0, 24).Select(hour => day.AddHours(hour)))
            .Append(new DateTimeOffset(2027, 1, 14, 5, 27, 0, TimeSpan.Zero))
            .Append(new DateTimeOffset(2027, 1, 13, 23, 27, 0, TimeSpan.Zero));

        var uncallable = new List<string>();
        foreach (var at in times)
            if (await CallableLeadAtAsync(at) is { } problem) uncallable.Add($"{at:u}: {problem}");

        uncallable.ShouldBeEmpty();
    }

    /// <summary>Opens the demo queue as the demo agent at that instant: null when it serves a lead the guard allows.</summary>
    private async Task<string?> CallableLeadAtAsync(DateTimeOffset at)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var clock = new FakeTimeProvider(at);
        var agent = (await services.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync("agent@acme.test"))!;
        var db = services.GetRequiredService<SwitchboardDbContext>();
        var ctx = services.GetRequiredService<TenantContext>();
        await ctx.SetUserAsync(agent.Id, isSuperadmin: false);
        await ctx.EnterTenantAsync(TenantMessages.Settings(await db.Tenants.AsNoTracking().SingleAsync(t => t.Slug == "acme")), TenantRole.Agent);
        var queues = ActivatorUtilities.CreateInstance<DialerQueues>(services, (TimeProvider)clock);
        var sessions = ActivatorUtilities.CreateInstance<DialerSessions>(services, queues, (TimeProvider)clock);
        var guard = ActivatorUtilities.CreateInstance<ComplianceGuard>(services, (TimeProvider)clock);

        var queue = (await queues.ListOwnAsync(CancellationToken.None)).Single(q => q.Name == DemoSeeder.DemoQueueName);
        var opened = (Outcome<OpenedDialerSession>.Ok)await sessions.OpenAsync(queue.Id, CancellationToken.None);
        var session = (await sessions.FindOwnAsync(opened.Value.Session.Id, CancellationToken.None))!;
        var turn = await sessions.TurnAsync(session, queue.Filter, CancellationToken.None);
        await sessions.EndAsync(session.Id, CancellationToken.None);
        if (turn.LeadId is not { } leadId) return $"no lead ({turn.Skipped})";
        var lead = await db.Leads.AsNoTracking().SingleAsync(l => l.Id == leadId);
        return await guard.CheckAsync(lead, CancellationToken.None) is { } block ? $"{lead.Phone} blocked: {block.Message}" : null;
    }
}
