using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Calls;

/// <summary>
/// Calls are inserted directly (as the database superuser) with fixed times, so the numbers are exact.
/// The tenant's zone is America/New_York: 2024-03-05 03:30Z is still 4 March there.
/// </summary>
public sealed class CallReportsTests(CallReportsTests.Host host) : IClassFixture<CallReportsTests.Host>
{
    public sealed class Host : SwitchboardHostWithTenant
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            // Dispositions are created on first use; the calls below reference them.
            (await (await As("manager")).GetAsync("/api/v1/dispositions")).EnsureSuccessStatusCode();
            var agent = Tenant.Users["agent"];
            var agent2 = Tenant.Users["agent2"];
            await InsertCallAsync(agent, "2024-03-05T14:00:00Z", answeredAfter: 10, duration: 60, disposition: "interested");
            await InsertCallAsync(agent, "2024-03-05T15:00:00Z", answeredAfter: 5, duration: 120, disposition: "not-interested");
            await InsertCallAsync(agent, "2024-03-05T16:00:00Z", disposition: "no-answer");
            await InsertCallAsync(agent, "2024-03-05T03:30:00Z", disposition: "busy");
            await InsertCallAsync(agent2, "2024-03-06T14:00:00Z", answeredAfter: 3, duration: 30, disposition: "interested");
            await InsertCallAsync(agent2, "2024-03-06T15:00:00Z");
            await InsertCallAsync(agent2, "2024-03-06T16:00:00Z", answeredAfter: 3, duration: 500, direction: "inbound");
            await InsertCallAsync(agent2, "2024-03-09T14:00:00Z", answeredAfter: 3, duration: 999);
            // Analysed calls with talk metrics, on a day of their own.
            await AnalyseAsync(await InsertCallAsync(agent, "2024-04-10T14:00:00Z", answeredAfter: 2, duration: 300), agentShare: 0.6, monologue: 40, questions: 4);
            await AnalyseAsync(await InsertCallAsync(agent, "2024-04-10T15:00:00Z", answeredAfter: 2, duration: 200), agentShare: 0.4, monologue: 20, questions: 2);
            await AnalyseAsync(await InsertCallAsync(agent2, "2024-04-10T16:00:00Z", answeredAfter: 2, duration: 100), agentShare: 0.8, monologue: 60, questions: 0);
            await InsertCallAsync(agent2, "2024-04-10T17:00:00Z", answeredAfter: 2, duration: 100);
        }

        private async Task AnalyseAsync(Guid callId, double agentShare, double monologue, int questions)
        {
            await using var connection = new NpgsqlConnection(Database.SuperuserConnectionString);
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("""
                insert into call_analyses (tenant_id, call_id, status, engine, talk, created_at, updated_at)
                values (@tenant, @call, 'completed', 'rules', @talk::jsonb, now(), now())
                """, connection);
            insert.Parameters.AddWithValue("tenant", Tenant.Id);
            insert.Parameters.AddWithValue("call", callId);
            insert.Parameters.AddWithValue("talk", JsonSerializer.Serialize(new { agentShare, contactShare = 1 - agentShare, longestMonologueSeconds = monologue, questionsAsked = questions }));
            await insert.ExecuteNonQueryAsync();
        }

        private async Task<Guid> InsertCallAsync(Guid agentId, string createdAt, int? answeredAfter = null, int? duration = null, string? disposition = null, string direction = "outbound")
        {
            await using var connection = new NpgsqlConnection(Database.SuperuserConnectionString);
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("""
                insert into calls (tenant_id, id, direction, from_number, to_number, agent_id, provider, status, created_at, answered_at, ended_at, duration_seconds, disposition, updated_at)
                values (@tenant, @id, @direction, '+12125550100', '+12125550150', @agent, 'twilio', 'completed', @created,
                        @created + make_interval(secs => @answeredAfter), @created + interval '20 minutes', @duration, @disposition, @created)
                """, connection);
            var created = DateTimeOffset.Parse(createdAt, System.Globalization.CultureInfo.InvariantCulture);
            insert.Parameters.AddWithValue("tenant", Tenant.Id);
            var id = Guid.CreateVersion7();
            insert.Parameters.AddWithValue("id", id);
            insert.Parameters.AddWithValue("direction", direction);
            insert.Parameters.AddWithValue("agent", agentId);
            insert.Parameters.AddWithValue("created", created);
            insert.Parameters.Add(new NpgsqlParameter<double?>("answeredAfter", answeredAfter));
            insert.Parameters.Add(new NpgsqlParameter<int?>("duration", duration));
            insert.Parameters.Add(new NpgsqlParameter<string?>("disposition", disposition));
            await insert.ExecuteNonQueryAsync();
            return id;
        }
    }

    private async Task<JsonElement> ReportAsync(string query, string role = "manager")
    {
        var response = await (await host.As(role)).GetAsync("/api/v1/reports/calls?" + query);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static JsonElement RowFor(JsonElement report, string key) =>
        report.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == key);

    [Fact]
    public async Task Per_agent_report_counts_dials_connects_and_talk_time_of_outbound_calls()
    {
        var report = await ReportAsync("from=2024-03-05&to=2024-03-06&groupBy=agent");

        var agent = RowFor(report, host.Tenant.Users["agent"].ToString());
        agent.GetProperty("dials").GetInt32().ShouldBe(3);
        agent.GetProperty("connects").GetInt32().ShouldBe(2);
        agent.GetProperty("connectRate").GetDouble().ShouldBe(0.6667);
        agent.GetProperty("talkSeconds").GetInt64().ShouldBe(180);
        agent.GetProperty("averageTalkSeconds").GetInt32().ShouldBe(90);
        agent.GetProperty("agentName").GetString().ShouldBe("agent User");
        agent.GetProperty("dispositions").GetProperty("interested").GetInt32().ShouldBe(1);
        agent.GetProperty("dispositions").GetProperty("no-answer").GetInt32().ShouldBe(1);
        agent.GetProperty("dispositions").TryGetProperty("busy", out _).ShouldBeFalse();

        var agent2 = RowFor(report, host.Tenant.Users["agent2"].ToString());
        agent2.GetProperty("dials").GetInt32().ShouldBe(2);
        agent2.GetProperty("connects").GetInt32().ShouldBe(1);
        agent2.GetProperty("talkSeconds").GetInt64().ShouldBe(30);
        report.GetProperty("total").GetProperty("dials").GetInt32().ShouldBe(5);
    }

    [Fact]
    public async Task Per_day_report_uses_the_tenant_time_zone_and_lists_every_day_in_the_range()
    {
        var report = await ReportAsync("from=2024-03-04&to=2024-03-07&groupBy=day");

        report.GetProperty("rows").GetArrayLength().ShouldBe(4);
        RowFor(report, "2024-03-04").GetProperty("dials").GetInt32().ShouldBe(1);
        RowFor(report, "2024-03-05").GetProperty("dials").GetInt32().ShouldBe(3);
        RowFor(report, "2024-03-05").GetProperty("connects").GetInt32().ShouldBe(2);
        RowFor(report, "2024-03-06").GetProperty("dials").GetInt32().ShouldBe(2);
        RowFor(report, "2024-03-06").GetProperty("talkSeconds").GetInt64().ShouldBe(30);
        RowFor(report, "2024-03-07").GetProperty("dials").GetInt32().ShouldBe(0);
        report.GetProperty("total").GetProperty("connectRate").GetDouble().ShouldBe(0.5);
    }

    [Fact]
    public async Task Talk_metrics_of_analysed_calls_are_averaged_per_agent_and_weighted_in_the_total()
    {
        var report = await ReportAsync("from=2024-04-10&to=2024-04-10&groupBy=agent");

        var agent = report.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("agentId").GetGuid() == host.Tenant.Users["agent"]).GetProperty("talk");
        agent.GetProperty("calls").GetInt32().ShouldBe(2);
        agent.GetProperty("agentShare").GetDouble().ShouldBe(0.5);
        agent.GetProperty("longestMonologueSeconds").GetDouble().ShouldBe(30);
        agent.GetProperty("questionsAsked").GetDouble().ShouldBe(3);
        var agent2 = report.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("agentId").GetGuid() == host.Tenant.Users["agent2"]);
        agent2.GetProperty("dials").GetInt32().ShouldBe(2);
        agent2.GetProperty("talk").GetProperty("calls").GetInt32().ShouldBe(1);
        var total = report.GetProperty("total").GetProperty("talk");
        total.GetProperty("calls").GetInt32().ShouldBe(3);
        total.GetProperty("agentShare").GetDouble().ShouldBe(0.6); // (0.6 + 0.4 + 0.8) / 3, each call once
        (await ReportAsync("from=2024-03-05&to=2024-03-06&groupBy=agent")).GetProperty("total").GetProperty("talk").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Csv_export_has_headers_and_a_total_row_and_is_audited()
    {
        var manager = await host.As("manager");

        var response = await manager.GetAsync("/api/v1/reports/calls.csv?from=2024-03-05&to=2024-03-06&groupBy=agent");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("agent,dials,connects,connect_rate,talk_seconds,average_talk_seconds,analysed_calls,agent_talk_share,average_longest_monologue_seconds,average_questions_asked,disposition_interested,disposition_no-answer,disposition_not-interested");
        lines.ShouldContain("agent User,3,2,0.6667,180,90,0,,,,1,1,1");
        lines.ShouldContain("agent User,2,1,0.5,30,30,0,,,,1,0,0"); // agent2 is also named "agent User" by the fixture
        lines[^1].ShouldBe("Total,5,3,0.6,210,70,0,,,,2,1,1");
        await using var connection = new NpgsqlConnection(host.Database.SuperuserConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from audit_log where tenant_id = @tenant and action = 'report.downloaded' and actor_id = @manager", connection);
        count.Parameters.AddWithValue("tenant", host.Tenant.Id);
        count.Parameters.AddWithValue("manager", host.Tenant.Users["manager"]);
        ((long)(await count.ExecuteScalarAsync())!).ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData("agent")]
    [InlineData("readonly")]
    public async Task Agents_and_readonly_members_cannot_see_or_export_reports(string role)
    {
        var client = await host.As(role);

        (await client.GetAsync("/api/v1/reports/calls?from=2024-03-05&to=2024-03-06")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.GetAsync("/api/v1/reports/calls.csv?from=2024-03-05&to=2024-03-06")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Admins_can_see_reports()
    {
        var report = await ReportAsync("from=2024-03-05&to=2024-03-05", role: "admin");

        report.GetProperty("groupBy").GetString().ShouldBe("agent");
    }

    [Theory]
    [InlineData("from=2024-13-01&to=2024-12-31", "from")]
    [InlineData("from=2024-03-01", "to")]
    [InlineData("from=2024-03-09&to=2024-03-01", "from")]
    [InlineData("from=2023-01-01&to=2024-01-02", "to")]
    [InlineData("from=2024-03-01&to=2024-03-02&groupBy=week", "groupBy")]
    public async Task Invalid_parameters_are_rejected_naming_the_field(string query, string field)
    {
        var response = await (await host.As("manager")).GetAsync("/api/v1/reports/calls?" + query);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData("from=2024-03-09&to=2024-03-01", "from", "From must be on or before To.")]
    [InlineData("from=2024-03-01", "to", "To is required (YYYY-MM-DD).")]
    [InlineData("from=03/01/2024&to=2024-03-02", "from", "From must be a date written YYYY-MM-DD.")]
    public async Task Messages_name_the_fields_as_the_report_form_labels_them(string query, string field, string message)
    {
        var response = await (await host.As("manager")).GetAsync("/api/v1/reports/calls?" + query);

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").GetProperty(field)[0].GetString().ShouldBe(message);
    }
}
