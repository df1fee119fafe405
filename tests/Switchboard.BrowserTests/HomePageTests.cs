using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>
/// The home page per role (issue 11 §2) in Chromium: an agent's day (calls, what is due with a Call button, dialer
/// queues), the team view of managers and admins with its charts drawn (and their tables), and a new tenant's empty states.
/// Rows are inserted directly (HomeSeed) at times within the tenant's (New York) day of the real clock.
/// </summary>
public sealed class HomePageTests(HomePageTests.Host host) : IClassFixture<HomePageTests.Host>
{
    public sealed class Host : BrowserHost
    {
        public Guid CallbackLead { get; private set; }
        public TestTenant Fresh { get; private set; } = null!;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Fresh = await CreateTenantAsync("home-new");
            var admin = await As("admin");
            var allDay = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" }
                .ToDictionary(d => d, _ => (object?)new { start = "00:00", end = "00:00" });
            (await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { callingHours = allDay })).EnsureSuccessStatusCode();

            var (start, _) = HomeSeed.Today(DateTimeOffset.UtcNow);
            var seed = new HomeSeed(Database, Tenant.Id);
            var agent = Tenant.Users["agent"];
            var agent2 = Tenant.Users["agent2"];
            // Today: the agent 3 dials (2 connects), agent2 2 dials (1 connect); and a varied last fortnight for the chart.
            await seed.CallAsync(agent, start.AddMinutes(1), answered: true, talkSeconds: 240);
            await seed.CallAsync(agent, start.AddMinutes(2), answered: true, talkSeconds: 95);
            await seed.CallAsync(agent, start.AddMinutes(3), answered: false);
            await seed.CallAsync(agent2, start.AddMinutes(4), answered: true, talkSeconds: 60);
            await seed.CallAsync(agent2, start.AddMinutes(5), answered: false);
            for (var day = 1; day <= 14; day++)
                for (var call = 0; call < 4 + day % 5; call++)
                    await seed.CallAsync(call % 2 == 0 ? agent : agent2, start.AddDays(-day).AddHours(10).AddMinutes(call), answered: (call + day) % 3 != 0, talkSeconds: 60 + call * 20);

            CallbackLead = await LeadAsync("Callaway");
            await seed.CallbackAsync(CallbackLead, start);
            var taskLead = await LeadAsync("Proposal");
            await seed.TaskAsync(agent, "Send the proposal", start.AddHours(2), taskLead);
            await seed.TaskAsync(agent, "Confirm the demo time", start.AddHours(-3));

            var today = HomeSeed.LocalDate(DateTimeOffset.UtcNow);
            var month = new DateOnly(today.Year, today.Month, 1);
            var pipeline = await seed.PipelineAsync("Sales");
            await seed.OpportunityAsync(pipeline, pipeline.Discovery, "Acme rollout", 12_000m, 20, month.AddDays(20));
            await seed.OpportunityAsync(pipeline, pipeline.Discovery, "Globex pilot", 4_500m, 20, month.AddMonths(1));
            await seed.OpportunityAsync(pipeline, pipeline.Proposal, "Initech renewal", 18_000m, 50, month.AddMonths(1));
            await seed.OpportunityAsync(pipeline, pipeline.Proposal, "Umbrella expansion", 9_000m, 60, month.AddMonths(2));
            await seed.OpportunityAsync(pipeline, pipeline.Won, "Hooli seats", 7_500m, 100, closedAt: DateTimeOffset.UtcNow);
            await seed.OpportunityAsync(pipeline, pipeline.Lost, "Vandelay import", 3_000m, 0, closedAt: DateTimeOffset.UtcNow);

            (await (await As("agent")).PostAsJsonAsync("/api/v1/dialer/queues", new { name = "My new leads", statuses = new[] { "new" } })).EnsureSuccessStatusCode();
        }

        private async Task<Guid> LeadAsync(string lastName)
        {
            var response = await (await As("manager")).PostAsJsonAsync("/api/v1/leads", new { firstName = "Dana", lastName, phone = "(212) 555-0150", ownerId = Tenant.Users["agent"] });
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }
    }

    [Fact]
    public async Task Agent_home_shows_their_calls_what_is_due_with_call_buttons_and_their_queues()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));
        await ui.Page.GotoAsync("/");

        await Expect(ui.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Welcome back, agent");
        await Expect(ui.Page.GetByTestId("nav-home")).ToHaveAttributeAsync("aria-current", "page");
        await Expect(ui.Page.GetByTestId("home-dials")).ToHaveTextAsync("3");
        await Expect(ui.Page.GetByTestId("home-connects")).ToHaveTextAsync("2");
        await Expect(ui.Page.GetByTestId("home-talk")).ToHaveTextAsync("5m 35s");

        var due = ui.Page.GetByTestId("home-due-item");
        await Expect(due).ToHaveCountAsync(3);
        await Expect(due.Nth(0)).ToContainTextAsync("Confirm the demo time");
        await Expect(due.Nth(0)).ToContainTextAsync("Overdue since");
        var callback = due.Filter(new() { HasText = "Call back Dana Callaway" });
        await Expect(callback).ToHaveAttributeAsync("data-kind", "callback");
        // The Call button posts to the lead page's own click-to-call handler, with its antiforgery token.
        var call = callback.GetByTestId("home-call");
        await Expect(call).ToBeVisibleAsync();
        (await call.EvaluateAsync<string>("b => b.form.getAttribute('action')")).ShouldBe($"/leads/{host.CallbackLead}?handler=Call");
        (await call.EvaluateAsync<bool>("b => !!b.form.querySelector('input[name=__RequestVerificationToken]')")).ShouldBeTrue();
        await Expect(due.Filter(new() { HasText = "Send the proposal" }).GetByTestId("home-call")).ToBeVisibleAsync();

        var queue = ui.Page.GetByTestId("home-queue");
        await Expect(queue).ToHaveCountAsync(1);
        await Expect(queue).ToContainTextAsync("My new leads");
        await Expect(queue.GetByTestId("home-queue-callable")).ToContainTextAsync("2");
        await Expect(ui.Page.GetByTestId("home-team")).ToHaveCountAsync(0);
        ui.Problems.ShouldBeEmpty();

        // Call goes through the lead page's handler (the token is accepted) and lands the agent on that lead's page.
        await call.ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/leads/{host.CallbackLead}$"));
        await Expect(ui.Page.GetByTestId("call-lead")).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("admin")]
    public async Task Team_home_shows_the_team_today_and_draws_pipeline_forecast_and_connect_rate_charts(string role)
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email(role));
        await ui.Page.GotoAsync("/");

        await Expect(ui.Page.GetByTestId("home-dials")).ToHaveTextAsync("5");
        var row = ui.Page.Locator($"[data-testid=home-team-agent][data-agent-id='{host.Tenant.Users["agent"]}']");
        await Expect(row).ToContainTextAsync("3");
        await Expect(row.GetByTestId("home-presence")).ToHaveTextAsync("Offline");
        await Expect(ui.Page.GetByTestId("home-won")).ToHaveTextAsync("1");
        await Expect(ui.Page.GetByTestId("home-lost")).ToHaveTextAsync("1");

        foreach (var chart in new[] { "pipeline", "forecast", "connect-rate" })
            await ui.Page.WaitForFunctionAsync($"() => window.Chart && window.Chart.getChart(document.querySelector('canvas[data-home-chart={chart}]'))");
        // Each chart has its numbers as a table too.
        await Expect(ui.Page.GetByTestId("home-stage")).ToHaveCountAsync(2);
        await Expect(ui.Page.GetByTestId("home-connect-day")).ToHaveCountAsync(30);
        await ui.Page.GetByText("Pipeline as a table").ClickAsync();
        await Expect(ui.Page.GetByTestId("home-stage").Filter(new() { HasText = "Proposal" })).ToContainTextAsync("27,000");
        await Expect(ui.Page.GetByTestId("home-due")).ToHaveCountAsync(0);
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_new_tenant_gets_empty_states_instead_of_blank_cards()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Fresh.Email("manager"));
        await ui.Page.GotoAsync("/");

        await Expect(ui.Page.GetByTestId("home-dials")).ToHaveTextAsync("0");
        await Expect(ui.Page.GetByTestId("home-team-agent")).ToHaveCountAsync(2);
        await Expect(ui.Page.GetByTestId("home-pipeline-empty")).ToBeVisibleAsync();
        await Expect(ui.Page.GetByTestId("home-forecast-empty")).ToBeVisibleAsync();
        await Expect(ui.Page.GetByTestId("home-connect-empty")).ToBeVisibleAsync();
        ui.Problems.ShouldBeEmpty();

        await using var agent = await host.OpenAsync();
        await agent.SignInAsync(host.Fresh.Email("agent"));
        await agent.Page.GotoAsync("/");
        await Expect(agent.Page.GetByTestId("home-due-empty")).ToBeVisibleAsync();
        await Expect(agent.Page.GetByTestId("home-queues-empty")).ToBeVisibleAsync();
        agent.Problems.ShouldBeEmpty();
    }
}
