using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>Bulk actions on a list: selecting everything matching a filter, the progress while the job runs, then the summary.</summary>
public sealed class BulkActionsTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(host.Database.SuperuserConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_manager_assigns_all_2000_leads_matching_a_filter_and_sees_progress_then_the_summary()
    {
        var tag = "Bulk" + Guid.NewGuid().ToString("N")[..8];
        var agent = host.Tenant.Users["agent"];
        var agent2 = host.Tenant.Users["agent2"];
        await using (var connection = new NpgsqlConnection(host.Database.SuperuserConnectionString))
        {
            await connection.OpenAsync();
            await using var seed = new NpgsqlCommand($"""
                insert into leads (tenant_id, id, first_name, last_name, company, status, owner_id, created_at, updated_at)
                select '{host.Tenant.Id}', gen_random_uuid(), 'Seeded', 'Lead ' || g, '{tag} Inc', 'new', '{agent}', now() - g * interval '1 second', now()
                from generate_series(1, 2000) g
                """, connection);
            await seed.ExecuteNonQueryAsync();
        }
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));
        await ui.Page.GotoAsync($"/leads?search={tag}");
        await Expect(ui.Page.GetByTestId("lead-table").Locator("tbody tr")).ToHaveCountAsync(50);

        await ui.Page.GetByTestId("bulk-select-page").CheckAsync();
        await Expect(ui.Page.GetByTestId("bulk-count")).ToHaveTextAsync("50 selected (this page).");
        await ui.Page.GetByTestId("bulk-select-all").ClickAsync();
        await Expect(ui.Page.GetByTestId("bulk-count")).ToHaveTextAsync(new Regex("^All (2,000 )?leads matching this filter are selected\\.$"));
        await ui.Page.GetByLabel("Action").SelectOptionAsync("assign");
        await ui.Page.GetByLabel("New owner").SelectOptionAsync(agent2.ToString());

        // Hold back writes to leads so the progress can be seen part-way, whatever the speed of the machine.
        await using var blocker = new NpgsqlConnection(host.Database.SuperuserConnectionString);
        await blocker.OpenAsync();
        await using (var lockLeads = new NpgsqlCommand("begin; lock table leads in share row exclusive mode", blocker))
            await lockLeads.ExecuteNonQueryAsync();
        await ui.Page.GetByTestId("bulk-apply").ClickAsync();

        var progress = ui.Page.GetByTestId("bulk-progress");
        // The job starts when a worker is free: on a busy machine that can take longer than an expectation's default wait.
        await Expect(progress.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Assigning 2,000 leads…", new() { Timeout = 60_000 });
        await Expect(ui.Page.GetByTestId("bulk-processed")).ToHaveTextAsync("0 of 2,000 done");
        await Expect(progress.Locator("progress")).ToHaveAttributeAsync("max", "2000");
        await using (var unlock = new NpgsqlCommand("rollback", blocker))
            await unlock.ExecuteNonQueryAsync();

        await Expect(ui.Page.GetByTestId("bulk-summary")).ToHaveTextAsync("Assigned 2,000 leads.", new() { Timeout = 120_000 });
        await Expect(ui.Page.GetByTestId("bulk-succeeded")).ToHaveTextAsync("2,000");
        await Expect(ui.Page.GetByTestId("bulk-skipped")).ToHaveTextAsync("0");
        (await CountAsync($"select count(*) from leads where company = '{tag} Inc' and owner_id = '{agent2}'")).ShouldBe(2000);

        await ui.Page.GetByTestId("bulk-reload").ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(new Regex($"/leads\\?search={tag}$"));
        await Expect(ui.Page.GetByTestId("bulk-progress")).ToHaveCountAsync(0);
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_agent_picks_rows_and_the_summary_says_which_were_skipped_and_why()
    {
        var tag = "Pick" + Guid.NewGuid().ToString("N")[..8];
        var manager = await host.As("manager");
        foreach (var name in new[] { "Alpha", "Bravo" })
            (await manager.PostAsJsonAsync("/api/v1/leads", new { lastName = $"{name} {tag}", company = tag, ownerId = host.Tenant.Users["agent"], status = "new" }))
                .EnsureSuccessStatusCode();
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));
        await ui.Page.GotoAsync($"/leads?search={tag}");
        var table = ui.Page.GetByTestId("lead-table");

        await table.GetByRole(AriaRole.Checkbox, new() { Name = $"Select Bravo {tag}" }).CheckAsync();
        await table.GetByRole(AriaRole.Checkbox, new() { Name = $"Select Alpha {tag}" }).CheckAsync();
        await Expect(ui.Page.GetByTestId("bulk-count")).ToHaveTextAsync("2 selected.");
        await Expect(ui.Page.GetByTestId("bulk-action").Locator("option")).ToHaveTextAsync(["Choose an action…", "Change status", "Add to dialer queue"]);
        // Meanwhile a manager hands one of them to a colleague: the agent may no longer change it.
        var alpha = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/leads?search=Alpha%20{tag}");
        var alphaId = alpha.GetProperty("items")[0].GetProperty("id").GetGuid();
        (await manager.PatchAsJsonAsync($"/api/v1/leads/{alphaId}", new { ownerId = host.Tenant.Users["agent2"] })).EnsureSuccessStatusCode();
        await ui.Page.GetByLabel("Action").SelectOptionAsync("status");
        await ui.Page.GetByLabel("New status").SelectOptionAsync("contacted");
        await ui.Page.GetByTestId("bulk-apply").ClickAsync();

        await Expect(ui.Page.GetByTestId("bulk-summary")).ToHaveTextAsync("Changed the status of 1 lead; skipped 1.", new() { Timeout = 60_000 });
        await Expect(ui.Page.GetByTestId("bulk-reasons")).ToContainTextAsync("1 lead: Not found, or not visible to you.");
        await Expect(ui.Page.GetByTestId("bulk-summary")).ToBeFocusedAsync();
        ui.Problems.ShouldBeEmpty();
    }
}
