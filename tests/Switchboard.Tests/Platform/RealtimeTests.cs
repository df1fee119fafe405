using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Switchboard.Platform.Database;
using Switchboard.Platform.Realtime;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

/// <summary>
/// Live updates end to end: a browser signed in with the web cookie on the floor hub, events announced with
/// pg_notify in a transaction, fanned out by every instance's LISTEN connection.
/// </summary>
public sealed class RealtimeTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Event_published_in_a_committed_transaction_reaches_a_browser_of_the_same_tenant()
    {
        await using var browser = await ConnectAsync(host.BaseAddress, host.Tenant.Email("agent"));
        await WaitUntilSubscribedAsync(host.Services, browser, host.Tenant.Id);
        var callId = Guid.NewGuid();

        await PublishAsync(host.Services, commit: true, (events, ct) =>
            events.PublishAsync(host.Tenant.Id, "call.status_changed", new { callId, status = "ringing" }, ct));

        var received = await browser.WaitForAsync("call.status_changed", Deadline);
        received.Data.GetProperty("callId").GetGuid().ShouldBe(callId);
        received.Data.GetProperty("status").GetString().ShouldBe("ringing");
    }

    [Fact]
    public async Task Event_published_in_a_rolled_back_transaction_reaches_nobody()
    {
        await using var browser = await ConnectAsync(host.BaseAddress, host.Tenant.Email("agent"));
        await WaitUntilSubscribedAsync(host.Services, browser, host.Tenant.Id);

        await PublishAsync(host.Services, commit: false, (events, ct) =>
            events.PublishAsync(host.Tenant.Id, "lead.deleted", new { leadId = Guid.NewGuid() }, ct));
        // NOTIFYs arrive in commit order: had the first one gone out, it would be here before this one.
        await PublishAsync(host.Services, commit: true, (events, ct) =>
            events.PublishAsync(host.Tenant.Id, "test.sentinel", new { }, ct));

        await browser.WaitForAsync("test.sentinel", Deadline);
        browser.Received.ShouldNotContain(e => e.Type == "lead.deleted");
    }

    [Fact]
    public async Task Browser_of_another_tenant_receives_nothing()
    {
        var other = await host.CreateTenantAsync("other");
        await using var ours = await ConnectAsync(host.BaseAddress, host.Tenant.Email("manager"));
        await using var theirs = await ConnectAsync(host.BaseAddress, other.Email("manager"));
        await WaitUntilSubscribedAsync(host.Services, ours, host.Tenant.Id);
        await WaitUntilSubscribedAsync(host.Services, theirs, other.Id);

        await PublishAsync(host.Services, commit: true, (events, ct) =>
            events.PublishAsync(host.Tenant.Id, "lead.updated", new { leadId = Guid.NewGuid() }, ct));
        await PublishAsync(host.Services, commit: true, (events, ct) =>
            events.PublishAsync(other.Id, "test.sentinel", new { }, ct));

        await ours.WaitForAsync("lead.updated", Deadline);
        await theirs.WaitForAsync("test.sentinel", Deadline);
        theirs.Received.ShouldNotContain(e => e.Type == "lead.updated");
    }

    [Fact]
    public async Task Personal_event_reaches_only_that_user()
    {
        var agent = host.Tenant.Users["agent"];
        await using var addressee = await ConnectAsync(host.BaseAddress, host.Tenant.Email("agent"));
        await using var colleague = await ConnectAsync(host.BaseAddress, host.Tenant.Email("agent2"));
        await WaitUntilSubscribedAsync(host.Services, addressee, host.Tenant.Id);
        await WaitUntilSubscribedAsync(host.Services, colleague, host.Tenant.Id);

        await PublishAsync(host.Services, commit: true, (events, ct) =>
            events.PublishToUserAsync(host.Tenant.Id, agent, "call.incoming", new { callId = Guid.NewGuid() }, ct));
        await PublishAsync(host.Services, commit: true, (events, ct) =>
            events.PublishAsync(host.Tenant.Id, "test.sentinel", new { }, ct));

        await addressee.WaitForAsync("call.incoming", Deadline);
        await colleague.WaitForAsync("test.sentinel", Deadline);
        colleague.Received.ShouldNotContain(e => e.Type == "call.incoming");
    }

    [Fact]
    public async Task Event_published_through_one_instance_reaches_a_browser_connected_to_another()
    {
        await using var instanceB = await SecondInstance.StartAsync(host.Database);
        await using var browser = await ConnectAsync(instanceB.BaseAddress, host.Tenant.Email("agent"));
        // Probes go through instance A, so this also waits for B's LISTEN connection.
        await WaitUntilSubscribedAsync(host.Services, browser, host.Tenant.Id);
        var leadId = Guid.NewGuid();

        await PublishAsync(host.Services, commit: true, (events, ct) =>
            events.PublishAsync(host.Tenant.Id, "lead.assigned", new { leadId }, ct));

        var received = await browser.WaitForAsync("lead.assigned", Deadline);
        received.Data.GetProperty("leadId").GetGuid().ShouldBe(leadId);
    }

    [Fact]
    public async Task Listener_reconnects_after_losing_its_connection_and_tells_browsers_to_resync()
    {
        await using var browser = await ConnectAsync(host.BaseAddress, host.Tenant.Email("agent"));
        await WaitUntilSubscribedAsync(host.Services, browser, host.Tenant.Id);

        await using (var admin = new NpgsqlConnection(host.Database.SuperuserConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = current_database() and application_name = 'switchboard-realtime'", admin);
            ((long)(await kill.ExecuteScalarAsync())!).ShouldBe(1);
        }

        await browser.WaitForAsync(PostgresEventListener.ResyncType, Deadline);
        await PublishAsync(host.Services, commit: true, (events, ct) =>
            events.PublishAsync(host.Tenant.Id, "lead.updated", new { leadId = Guid.NewGuid() }, ct));
        await browser.WaitForAsync("lead.updated", Deadline);
    }

    [Fact]
    public async Task Hub_accepts_the_web_session_cookie_only()
    {
        var anonymous = new CookieContainer();
        var bearer = (await host.As("agent")).DefaultRequestHeaders.Authorization!.Parameter;
        var signedIn = await FloorClient.SignInAsync(host.BaseAddress, host.Tenant.Email("readonly"));

        (await FloorClient.NegotiateStatusAsync(host.BaseAddress, anonymous)).ShouldBe(HttpStatusCode.Unauthorized);
        (await FloorClient.NegotiateStatusAsync(host.BaseAddress, anonymous, bearer)).ShouldBe(HttpStatusCode.Unauthorized);
        (await FloorClient.NegotiateStatusAsync(host.BaseAddress, signedIn)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Hub_refuses_a_page_from_another_origin_even_with_the_cookie()
    {
        var signedIn = await FloorClient.SignInAsync(host.BaseAddress, host.Tenant.Email("agent"));
        var ownOrigin = host.BaseAddress.GetLeftPart(UriPartial.Authority);
        var sameSiteOtherPort = $"http://{host.BaseAddress.Host}:{host.BaseAddress.Port + 1}";

        (await FloorClient.NegotiateStatusAsync(host.BaseAddress, signedIn, origin: ownOrigin)).ShouldBe(HttpStatusCode.OK);
        (await FloorClient.NegotiateStatusAsync(host.BaseAddress, signedIn, origin: sameSiteOtherPort)).ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Event_too_big_for_pg_notify_is_refused_with_the_reason()
    {
        var error = await Should.ThrowAsync<ArgumentException>(() => PublishAsync(host.Services, commit: true, (events, ct) =>
            events.PublishAsync(host.Tenant.Id, "lead.updated", new { notes = new string('x', 8000) }, ct)));

        error.Message.ShouldContain("lead.updated");
        error.Message.ShouldContain("7999");
    }

    [Fact]
    public async Task Event_type_must_be_dotted_lower_case_words()
    {
        await Should.ThrowAsync<ArgumentException>(() => PublishAsync(host.Services, commit: true, (events, ct) =>
            events.PublishAsync(host.Tenant.Id, "LeadUpdated", new { }, ct)));
    }

    private static async Task<FloorClient> ConnectAsync(Uri baseAddress, string email) =>
        await FloorClient.ConnectAsync(baseAddress, await FloorClient.SignInAsync(baseAddress, email));

    private static async Task PublishAsync(IServiceProvider services, bool commit, Func<RealtimeEvents, CancellationToken, Task> publish)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await publish(scope.ServiceProvider.GetRequiredService<RealtimeEvents>(), CancellationToken.None);
        if (commit) await transaction.CommitAsync();
        else await transaction.RollbackAsync();
    }

    /// <summary>
    /// The hub adds a connection to its groups just after the handshake, and a fresh instance starts LISTENing
    /// in the background: publish probes until one arrives, so the test's own event cannot be missed.
    /// </summary>
    private static async Task WaitUntilSubscribedAsync(IServiceProvider publisher, FloorClient browser, Guid tenantId)
    {
        var probe = Guid.NewGuid();
        await Eventually.Until(async () =>
        {
            await PublishAsync(publisher, commit: true, (events, ct) => events.PublishAsync(tenantId, "test.probe", new { probe }, ct));
            try
            {
                await browser.WaitForAsync(e => e.Type == "test.probe" && e.Data.GetProperty("probe").GetGuid() == probe, TimeSpan.FromMilliseconds(200));
                return true;
            }
            catch (TimeoutException)
            {
                return false; // not subscribed yet
            }
        }, Deadline, "a probe event to reach the browser (the hub and LISTEN are subscribed)");
    }
}
