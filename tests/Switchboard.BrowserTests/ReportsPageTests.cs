using Npgsql;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>
/// The call reports page by day, over calls inserted directly (as in CallReportsTests): the table names dispositions by
/// the tenant's labels and fits the page, and the daily chart draws its Connects line over the Dials bars.
/// </summary>
public sealed class ReportsPageTests(ReportsPageTests.Host host) : IClassFixture<ReportsPageTests.Host>
{
    public sealed class Host : BrowserHost
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            // Dispositions are created on first use; the calls below reference them.
            (await (await As("manager")).GetAsync("/api/v1/dispositions")).EnsureSuccessStatusCode();
            var agent = Tenant.Users["agent"];
            await InsertCallAsync(agent, "2024-03-05T14:00:00Z", "interested");
            await InsertCallAsync(agent, "2024-03-05T15:00:00Z", "not-interested");
            await InsertCallAsync(agent, "2024-03-06T14:00:00Z", "no-answer", answered: false);
            await InsertCallAsync(agent, "2024-03-06T15:00:00Z", "interested");
        }

        private async Task InsertCallAsync(Guid agentId, string createdAt, string disposition, bool answered = true)
        {
            await using var connection = new NpgsqlConnection(Database.SuperuserConnectionString);
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("""
                insert into calls (tenant_id, id, direction, from_number, to_number, agent_id, provider, status, created_at, answered_at, ended_at, duration_seconds, disposition, updated_at)
                values (@tenant, @id, 'outbound', '+12125550100', '+12125550150', @agent, 'twilio', 'completed', @created,
                        case when @answered then @created + interval '5 seconds' end, @created + interval '2 minutes', case when @answered then 60 end, @disposition, @created)
                """, connection);
            insert.Parameters.AddWithValue("tenant", Tenant.Id);
            insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
            insert.Parameters.AddWithValue("agent", agentId);
            insert.Parameters.AddWithValue("created", DateTimeOffset.Parse(createdAt, System.Globalization.CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("answered", answered);
            insert.Parameters.AddWithValue("disposition", disposition);
            await insert.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task Report_by_day_names_dispositions_by_their_labels_and_fits_the_page()
    {
        await using var ui = await host.OpenAsync();
        await ui.Page.SetViewportSizeAsync(1280, 900);
        await ui.SignInAsync(host.Tenant.Email("manager"));
        await ui.Page.GotoAsync("/reports?from=2024-03-04&to=2024-03-07&groupBy=day");

        var columns = await ui.Page.GetByTestId("disposition-column").AllTextContentsAsync();
        columns.Select(c => c.Trim()).ShouldBe(["Interested", "No answer", "Not interested"], ignoreOrder: true);
        var fits = await ui.Page.EvaluateAsync<bool>(
            "() => { const s = document.querySelector('[data-testid=report-table]').closest('.table-scroll'); return s.scrollWidth <= s.clientWidth; }");
        fits.ShouldBeTrue("the per-day table must fit a 1280px wide page without scrolling");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Daily_chart_draws_the_connects_line_over_the_dials_bars()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));
        await ui.Page.GotoAsync("/reports?from=2024-03-04&to=2024-03-07&groupBy=day");

        // Chart.js draws the datasets last to first in this order, so the first is the one on top.
        await ui.Page.WaitForFunctionAsync("() => window.Chart && window.Chart.getChart(document.querySelector('canvas[data-chart=daily]'))");
        var onTop = await ui.Page.EvaluateAsync<string>(
            "() => { const meta = window.Chart.getChart(document.querySelector('canvas[data-chart=daily]')).getSortedVisibleDatasetMetas()[0]; return meta.type + ':' + meta.controller.chart.data.datasets[meta.index].label; }");
        onTop.ShouldBe("line:Connects");
        ui.Problems.ShouldBeEmpty();
    }
}
