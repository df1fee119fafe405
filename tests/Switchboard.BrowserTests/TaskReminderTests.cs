using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Switchboard.Testing;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>
/// Callbacks are tasks with a live reminder: an agent on any page sees "Callback due" with its Call button when the
/// reminder fires (the real job worker, the real clock); a manager reassigns a team task and the new assignee hears it live.
/// </summary>
public sealed class TaskReminderTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Agent_on_any_page_sees_the_live_reminder_of_a_due_callback_with_its_Call_button()
    {
        var manager = await host.As("manager");
        var lead = (await (await manager.PostAsJsonAsync("/api/v1/leads", new
        {
            firstName = "Priya", lastName = "Ng", phone = "(212) 555-0181", ownerId = host.Tenant.Users["agent"],
        })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var call = await InsertEndedCallAsync(host.Tenant.Users["agent"], lead);
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));
        await ui.Page.GotoAsync("/accounts");
        await ui.Page.WaitForFunctionAsync("() => window.switchboardRealtime && window.switchboardRealtime.state === 'Connected'");
        await Expect(ui.Page.GetByTestId("task-reminder")).ToHaveCountAsync(0);

        // The outcome schedules a callback a few seconds from now: the callback task's reminder job is due then.
        var outcome = await (await host.As("agent")).PostAsJsonAsync($"/api/v1/calls/{call}/disposition",
            new { disposition = "callback", callbackAt = DateTimeOffset.UtcNow.AddSeconds(15) });
        outcome.IsSuccessStatusCode.ShouldBeTrue(await outcome.Content.ReadAsStringAsync());

        var reminder = ui.Page.GetByTestId("task-reminder");
        await Expect(reminder).ToContainTextAsync("Callback due: Priya Ng", new() { Timeout = 60_000 });
        await Expect(reminder.GetByTestId("reminder-call")).ToBeVisibleAsync();
        await Expect(reminder.GetByTestId("reminder-open")).ToHaveAttributeAsync("href", $"/leads/{lead}");
        await Expect(reminder.GetByTestId("reminder-snooze")).ToBeVisibleAsync();
        ui.Page.Url.ShouldEndWith("/accounts");

        // My tasks lists the callback with the same Call button and the lead it is about.
        await ui.Page.GotoAsync("/tasks");
        var row = ui.Page.GetByTestId("task").Filter(new() { HasText = "Call back Priya Ng" });
        await Expect(row.GetByTestId("callback-badge")).ToBeVisibleAsync();
        await Expect(row.GetByTestId("task-record")).ToHaveTextAsync("Priya Ng");
        await Expect(row.GetByTestId("task-call")).ToBeVisibleAsync();

        await ui.Page.GetByTestId("task-reminder").GetByTestId("reminder-snooze").ClickAsync();
        await Expect(ui.Page.GetByTestId("task-reminder")).ToHaveCountAsync(0);
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Manager_reassigns_a_team_task_and_the_new_assignee_hears_it_live()
    {
        var manager = await host.As("manager");
        (await manager.PostAsJsonAsync("/api/v1/activities", new { subject = "Chase the signed contract", assigneeId = host.Tenant.Users["agent"] }))
            .EnsureSuccessStatusCode();
        await using var colleague = await host.OpenAsync();
        await colleague.SignInAsync(host.Tenant.Email("agent2"));
        await colleague.Page.GotoAsync("/leads");
        await colleague.Page.WaitForFunctionAsync("() => window.switchboardRealtime && window.switchboardRealtime.state === 'Connected'");
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));
        await ui.Page.GotoAsync("/tasks");

        await ui.Page.GetByTestId("tasks-team").ClickAsync();
        var row = ui.Page.GetByTestId("task").Filter(new() { HasText = "Chase the signed contract" });
        await row.GetByTestId("reassign-select").SelectOptionAsync(host.Tenant.Users["agent2"].ToString());
        await row.GetByTestId("reassign-task").ClickAsync();

        await Expect(ui.Page.GetByText("“Chase the signed contract” reassigned.")).ToBeVisibleAsync();
        await Expect(ui.Page.GetByTestId("task").Filter(new() { HasText = "Chase the signed contract" }).GetByTestId("reassign-select"))
            .ToHaveValueAsync(host.Tenant.Users["agent2"].ToString());
        await Expect(colleague.Page.GetByTestId("task-assigned")).ToContainTextAsync("Assigned to you: Chase the signed contract");
        ui.Problems.ShouldBeEmpty();
        colleague.Problems.ShouldBeEmpty();
    }

    /// <summary>A call of the agent with the lead that has ended and waits for its outcome, as a provider's callbacks would leave it.</summary>
    private async Task<Guid> InsertEndedCallAsync(Guid agentId, Guid leadId)
    {
        var id = Guid.CreateVersion7();
        await using var connection = new NpgsqlConnection(host.Database.SuperuserConnectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand("""
            insert into calls (tenant_id, id, direction, from_number, to_number, lead_id, agent_id, provider, status, created_at, answered_at, ended_at, updated_at)
            values (@tenant, @id, 'outbound', '+12125550100', '+12125550181', @lead, @agent, 'simulator', 'completed', now(), now(), now(), now())
            """, connection);
        insert.Parameters.AddWithValue("tenant", host.Tenant.Id);
        insert.Parameters.AddWithValue("id", id);
        insert.Parameters.AddWithValue("lead", leadId);
        insert.Parameters.AddWithValue("agent", agentId);
        await insert.ExecuteNonQueryAsync();
        return id;
    }
}
