using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Home;

/// <summary>
/// GET /api/v1/home over rows inserted directly (HomeSeed) in two tenants: the fixture tenant's numbers are exact, the
/// other tenant's (far larger) never show in them, and an agent sees only their own. Times are placed relative to the
/// tenant's (New York) day of the real clock: at its start, an hour before, an hour after its end.
/// </summary>
public sealed class HomeDashboardTests(HomeDashboardTests.Host host) : IClassFixture<HomeDashboardTests.Host>
{
    public sealed class Host : SwitchboardHostWithTenant
    {
        public TestTenant Other { get; private set; } = null!;
        public DateTimeOffset TodayStart { get; private set; }
        public Guid DueLead { get; private set; }
        public Guid OverdueLead { get; private set; }
        public Guid TomorrowLead { get; private set; }
        public Guid TaskLead { get; private set; }
        public Guid Agent2Lead { get; private set; }
        public SeededPipeline Pipeline { get; private set; } = null!;
        public Guid AgentQueue { get; private set; }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Other = await CreateTenantAsync("home-other");
            var admin = await As("admin");
            (await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { callingHours = AllDay() })).EnsureSuccessStatusCode();

            var (start, end) = HomeSeed.Today(DateTimeOffset.UtcNow);
            TodayStart = start;
            var seed = new HomeSeed(Database, Tenant.Id);
            var other = new HomeSeed(Database, Other.Id);
            var agent = Tenant.Users["agent"];
            var agent2 = Tenant.Users["agent2"];

            // Calls: the agent 3 dials today (2 connects, 180 s), an inbound call and yesterday's dial that today ignores.
            await seed.CallAsync(agent, start.AddMinutes(1), answered: true, talkSeconds: 60);
            await seed.CallAsync(agent, start.AddMinutes(2), answered: true, talkSeconds: 120);
            await seed.CallAsync(agent, start.AddMinutes(3), answered: false);
            await seed.CallAsync(agent, start.AddMinutes(4), answered: true, talkSeconds: 900, direction: "inbound");
            await seed.CallAsync(agent, start.AddHours(-2), answered: true, talkSeconds: 45);
            await seed.CallAsync(agent2, start.AddMinutes(5), answered: true, talkSeconds: 30);
            for (var i = 0; i < 5; i++) await other.CallAsync(Other.Users["agent"], start.AddMinutes(10 + i), answered: true, talkSeconds: 100);

            // Callbacks: due at the start of today, overdue since yesterday, tomorrow's (not due), agent2's (not the agent's).
            DueLead = await LeadAsync(Tenant, "agent", "Dueman");
            OverdueLead = await LeadAsync(Tenant, "agent", "Overdueson");
            TomorrowLead = await LeadAsync(Tenant, "agent", "Tomorrowby");
            TaskLead = await LeadAsync(Tenant, "agent", "Tasker");
            Agent2Lead = await LeadAsync(Tenant, "agent2", "Otheragent");
            await seed.CallbackAsync(DueLead, start);
            await seed.CallbackAsync(OverdueLead, start.AddHours(-1));
            await seed.CallbackAsync(TomorrowLead, end.AddHours(1));
            await seed.CallbackAsync(Agent2Lead, start);
            var otherLead = await LeadAsync(Other, "agent", "Elsewhere");
            await other.CallbackAsync(otherLead, start);

            // Tasks: one due today about a lead, one due tomorrow, one done, agent2's; and another tenant's.
            await seed.TaskAsync(agent, "Send the pricing sheet", start.AddHours(1), TaskLead);
            await seed.TaskAsync(agent, "Tomorrow's task", end.AddHours(2));
            await seed.TaskAsync(agent, "Finished task", start.AddHours(1), completed: true);
            await seed.TaskAsync(agent2, "Agent two's task", start.AddHours(1));
            await other.TaskAsync(Other.Users["agent"], "Other tenant's task", start.AddHours(1));

            // Deals: open in two stages (one in EUR), won and lost this month, won last month; a big deal in the other tenant.
            var monthStart = new DateOnly(HomeSeed.LocalDate(DateTimeOffset.UtcNow).Year, HomeSeed.LocalDate(DateTimeOffset.UtcNow).Month, 1);
            var now = DateTimeOffset.UtcNow;
            Pipeline = await seed.PipelineAsync();
            await seed.OpportunityAsync(Pipeline, Pipeline.Discovery, "Small deal", 1000m, 20, expectedClose: monthStart.AddDays(10));
            await seed.OpportunityAsync(Pipeline, Pipeline.Proposal, "Big deal", 2000m, 50, expectedClose: monthStart.AddMonths(1));
            await seed.OpportunityAsync(Pipeline, Pipeline.Proposal, "Euro deal", 500m, 50, currency: "EUR");
            await seed.OpportunityAsync(Pipeline, Pipeline.Discovery, "Late deal", 300m, 10, expectedClose: monthStart.AddMonths(-2));
            await seed.OpportunityAsync(Pipeline, Pipeline.Won, "Won deal", 3000m, 100, closedAt: now);
            await seed.OpportunityAsync(Pipeline, Pipeline.Lost, "Lost deal", 700m, 0, closedAt: now);
            await seed.OpportunityAsync(Pipeline, Pipeline.Won, "Last month's win", 400m, 100, closedAt: HomeSeedStart(monthStart).AddDays(-1));
            var otherPipeline = await other.PipelineAsync();
            await other.OpportunityAsync(otherPipeline, otherPipeline.Proposal, "Other tenant deal", 99_000m, 50, expectedClose: monthStart);
            await other.OpportunityAsync(otherPipeline, otherPipeline.Won, "Other tenant win", 77_000m, 100, closedAt: now);

            var queue = await (await As("agent")).PostAsJsonAsync("/api/v1/dialer/queues", new { name = "All my leads" });
            queue.EnsureSuccessStatusCode();
            AgentQueue = (await queue.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        private static DateTimeOffset HomeSeedStart(DateOnly day) => HomeSeed.Today(new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero)).Start;

        private async Task<Guid> LeadAsync(TestTenant tenant, string owner, string lastName)
        {
            using var manager = await LoginAsync(tenant.Email("manager"));
            var response = await manager.PostAsJsonAsync("/api/v1/leads", new { lastName, phone = "(212) 555-0150", ownerId = tenant.Users[owner] });
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        private static object AllDay() => new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" }
            .ToDictionary(d => d, _ => (object?)new { start = "00:00", end = "00:00" });
    }

    private async Task<JsonElement> HomeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/v1/home");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Agent_sees_their_own_calls_today_by_the_reports_definitions()
    {
        var home = await HomeAsync(await host.As("agent"));

        home.GetProperty("view").GetString().ShouldBe("agent");
        home.GetProperty("timeZone").GetString().ShouldBe("America/New_York");
        var today = home.GetProperty("today");
        today.GetProperty("dials").GetInt32().ShouldBe(3);
        today.GetProperty("connects").GetInt32().ShouldBe(2);
        today.GetProperty("talkSeconds").GetInt64().ShouldBe(180);
        today.GetProperty("connectRate").GetDouble().ShouldBe(0.6667);
        home.GetProperty("team").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Agent_sees_callbacks_and_tasks_due_today_and_overdue_with_a_call_action_and_nothing_of_anyone_else()
    {
        var home = await HomeAsync(await host.As("agent"));

        var due = home.GetProperty("due").EnumerateArray().ToList();
        due.Select(d => d.GetProperty("title").GetString()).ShouldBe(
            ["Call back Overdueson", "Call back Dueman", "Send the pricing sheet"]);
        var overdue = due[0];
        overdue.GetProperty("kind").GetString().ShouldBe("callback");
        overdue.GetProperty("overdue").GetBoolean().ShouldBeTrue();
        overdue.GetProperty("callUrl").GetString().ShouldBe($"/leads/{host.OverdueLead}?handler=Call");
        due[1].GetProperty("overdue").GetBoolean().ShouldBeFalse();
        due[1].GetProperty("url").GetString().ShouldBe($"/leads/{host.DueLead}");
        var task = due[2];
        task.GetProperty("kind").GetString().ShouldBe("task");
        task.GetProperty("recordName").GetString().ShouldBe("Tasker");
        task.GetProperty("phone").GetString().ShouldBe("+12125550150");
        task.GetProperty("callUrl").GetString().ShouldBe($"/leads/{host.TaskLead}?handler=Call");
    }

    [Fact]
    public async Task Agent_sees_their_queues_with_the_leads_callable_now()
    {
        var home = await HomeAsync(await host.As("agent"));

        var queue = home.GetProperty("queues").EnumerateArray().Single();
        queue.GetProperty("id").GetGuid().ShouldBe(host.AgentQueue);
        // Due, overdue and task leads; tomorrow's callback keeps its lead out until then, agent2's lead is not theirs.
        queue.GetProperty("callable").GetInt32().ShouldBe(3);
        queue.GetProperty("blocked").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Read_only_members_get_their_own_view_without_queues()
    {
        var home = await HomeAsync(await host.As("readonly"));

        home.GetProperty("view").GetString().ShouldBe("agent");
        home.GetProperty("today").GetProperty("dials").GetInt32().ShouldBe(0);
        home.GetProperty("queues").ValueKind.ShouldBe(JsonValueKind.Null);
        home.GetProperty("due").GetArrayLength().ShouldBe(0);
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("admin")]
    public async Task Managers_and_admins_see_the_team_today_per_agent(string role)
    {
        var home = await HomeAsync(await host.As(role));

        home.GetProperty("view").GetString().ShouldBe("team");
        home.GetProperty("due").ValueKind.ShouldBe(JsonValueKind.Null);
        home.GetProperty("today").GetProperty("dials").GetInt32().ShouldBe(4);
        home.GetProperty("today").GetProperty("connects").GetInt32().ShouldBe(3);
        var agents = home.GetProperty("team").GetProperty("agents").EnumerateArray().ToDictionary(a => a.GetProperty("userId").GetGuid());
        agents[host.Tenant.Users["agent"]].GetProperty("today").GetProperty("dials").GetInt32().ShouldBe(3);
        agents[host.Tenant.Users["agent"]].GetProperty("today").GetProperty("talkSeconds").GetInt64().ShouldBe(180);
        agents[host.Tenant.Users["agent2"]].GetProperty("today").GetProperty("dials").GetInt32().ShouldBe(1);
        agents[host.Tenant.Users["agent2"]].GetProperty("presence").GetString().ShouldBe("offline");
        agents.Keys.ShouldNotContain(host.Other.Users["agent"]);
    }

    [Fact]
    public async Task Pipeline_by_stage_counts_and_sums_the_tenants_open_deals_in_its_currency()
    {
        var pipeline = (await HomeAsync(await host.As("manager"))).GetProperty("team").GetProperty("pipeline");

        pipeline.GetProperty("currency").GetString().ShouldBe("USD");
        var stages = pipeline.GetProperty("stages").EnumerateArray().Where(s => s.GetProperty("pipelineId").GetGuid() == host.Pipeline.Id)
            .ToDictionary(s => s.GetProperty("stageId").GetGuid());
        stages.Keys.ShouldBe([host.Pipeline.Discovery, host.Pipeline.Proposal]);
        stages[host.Pipeline.Discovery].GetProperty("count").GetInt32().ShouldBe(2);
        stages[host.Pipeline.Discovery].GetProperty("amount").GetDecimal().ShouldBe(1300m);
        stages[host.Pipeline.Discovery].GetProperty("weighted").GetDecimal().ShouldBe(230m);
        stages[host.Pipeline.Proposal].GetProperty("count").GetInt32().ShouldBe(2);
        stages[host.Pipeline.Proposal].GetProperty("amount").GetDecimal().ShouldBe(2000m);
        stages[host.Pipeline.Proposal].GetProperty("weighted").GetDecimal().ShouldBe(1000m);
        pipeline.GetProperty("otherCurrencyDeals").GetInt32().ShouldBe(1);
        pipeline.GetProperty("openAmount").GetDecimal().ShouldBe(3300m);
    }

    [Fact]
    public async Task Won_and_lost_count_this_months_closed_deals_only()
    {
        var closed = (await HomeAsync(await host.As("manager"))).GetProperty("team").GetProperty("pipeline").GetProperty("closedThisMonth");

        closed.GetProperty("won").GetInt32().ShouldBe(1);
        closed.GetProperty("wonAmount").GetDecimal().ShouldBe(3000m);
        closed.GetProperty("lost").GetInt32().ShouldBe(1);
        closed.GetProperty("lostAmount").GetDecimal().ShouldBe(700m);
        closed.GetProperty("winRate").GetDouble().ShouldBe(0.5);
    }

    [Fact]
    public async Task Forecast_weights_open_deals_by_probability_per_expected_close_month()
    {
        var forecast = (await HomeAsync(await host.As("manager"))).GetProperty("team").GetProperty("pipeline").GetProperty("forecast")
            .EnumerateArray().ToList();
        var today = HomeSeed.LocalDate(DateTimeOffset.UtcNow);
        var thisMonth = new DateOnly(today.Year, today.Month, 1);

        forecast.Select(m => m.GetProperty("month").GetString()).ShouldBe(
            ["overdue", .. Enumerable.Range(0, 6).Select(i => thisMonth.AddMonths(i).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture))]);
        forecast[0].GetProperty("amount").GetDecimal().ShouldBe(300m);
        forecast[0].GetProperty("weighted").GetDecimal().ShouldBe(30m);
        forecast[1].GetProperty("count").GetInt32().ShouldBe(1);
        forecast[1].GetProperty("weighted").GetDecimal().ShouldBe(200m);
        forecast[2].GetProperty("amount").GetDecimal().ShouldBe(2000m);
        forecast[2].GetProperty("weighted").GetDecimal().ShouldBe(1000m);
        forecast.Skip(3).ShouldAllBe(m => m.GetProperty("count").GetInt32() == 0);
    }

    [Fact]
    public async Task Connect_rate_covers_the_last_30_days_per_day()
    {
        var days = (await HomeAsync(await host.As("manager"))).GetProperty("team").GetProperty("connectRate").EnumerateArray().ToList();
        var today = HomeSeed.LocalDate(DateTimeOffset.UtcNow);

        days.Count.ShouldBe(30);
        days[^1].GetProperty("day").GetString().ShouldBe(today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        days[^1].GetProperty("dials").GetInt32().ShouldBe(4);
        days[^1].GetProperty("connectRate").GetDouble().ShouldBe(0.75);
        days[^2].GetProperty("dials").GetInt32().ShouldBe(1);
        days[^2].GetProperty("connectRate").GetDouble().ShouldBe(1);
    }

    [Fact]
    public async Task Another_tenants_manager_sees_only_that_tenants_numbers()
    {
        using var manager = await host.LoginAsync(host.Other.Email("manager"));

        var home = await HomeAsync(manager);

        home.GetProperty("today").GetProperty("dials").GetInt32().ShouldBe(5);
        var pipeline = home.GetProperty("team").GetProperty("pipeline");
        pipeline.GetProperty("openAmount").GetDecimal().ShouldBe(99_000m);
        pipeline.GetProperty("closedThisMonth").GetProperty("wonAmount").GetDecimal().ShouldBe(77_000m);
        pipeline.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("stageId").GetGuid())
            .ShouldNotContain(host.Pipeline.Discovery);
    }

    [Fact]
    public async Task Home_api_needs_a_signed_in_member()
    {
        using var anonymous = host.CreateClient();
        (await anonymous.GetAsync("/api/v1/home")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
