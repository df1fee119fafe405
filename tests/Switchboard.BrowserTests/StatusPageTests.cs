using Npgsql;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>The Status page (superadmins): build, instances, the job backlog with a late kind flagged, the outboxes.</summary>
public sealed class StatusPageTests(StatusPageTests.Host host) : IClassFixture<StatusPageTests.Host>
{
    public sealed class Host : BrowserHost
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Observability:HeartbeatSeconds"] = "1" };
    }

    [Fact]
    public async Task A_superadmin_reads_the_platform_status_with_a_late_job_kind_flagged()
    {
        // A stalled queue: an import job due 40 minutes ago, held under a lease that has not expired, and one for tomorrow.
        await using (var connection = new NpgsqlConnection(host.Database.OwnerConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                insert into jobs (id, kind, payload, run_at, locked_by, locked_until, created_at) values
                  (gen_random_uuid(), 'status-page-import', '{}', now() - interval '40 minutes', 'elsewhere', now() + interval '1 hour', now()),
                  (gen_random_uuid(), 'status-page-import', '{}', now() + interval '1 day', null, null, now())
                """, connection);
            await command.ExecuteNonQueryAsync();
        }
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(Switchboard.Testing.SwitchboardHost.SuperadminEmail);
        await ui.Page.GotoAsync("/tenants");

        await ui.Page.GetByRole(AriaRole.Link, new() { Name = "Status", Exact = true }).ClickAsync();

        await Expect(ui.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Status");
        await Expect(ui.Page.GetByTestId("status-instances")).ToContainTextAsync("Serving this page");
        var late = ui.Page.GetByTestId("status-jobs").GetByRole(AriaRole.Row).Filter(new() { HasText = "status-page-import" });
        await Expect(late).ToContainTextAsync("Late");
        await Expect(late).ToContainTextAsync("40 min");
        await Expect(ui.Page.GetByTestId("status-late")).ToContainTextAsync("1 queue has work waiting longer than 5 minutes");
        await Expect(ui.Page.GetByTestId("status-outboxes")).ToContainTextAsync("Webhook deliveries");
        await Expect(ui.Page.GetByTestId("status-tiles")).ToContainTextAsync("None");
        // The test host names its own server as the standby (ADR 0070): the tile says where reports and exports read.
        await Expect(ui.Page.GetByTestId("status-standby-reads")).ToHaveTextAsync("standby reads: on");
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, "platform-status.png"), FullPage = true });
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_tenant_admin_is_refused_the_status_page()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));

        var response = await ui.Page.GotoAsync("/platform/status");

        response!.Status.ShouldBe(403);
        await Expect(ui.Page.GetByRole(AriaRole.Link, new() { Name = "Status", Exact = true })).ToHaveCountAsync(0);
    }
}
