using System.Net.Http.Json;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>Adding a task from a record page's timeline: it shows on the record's timeline and in My tasks.</summary>
public sealed class TaskFromRecordTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Agent_adds_a_task_from_a_lead_page_and_finds_it_on_the_timeline_and_in_my_tasks()
    {
        var leadId = await CreateAsync("/api/v1/leads", new { firstName = "Tess", lastName = "Tasker", ownerId = host.Tenant.Users["agent"] });
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));
        await ui.Page.GotoAsync($"/leads/{leadId}");

        await ui.Page.GetByTestId("task-add-toggle").ClickAsync();
        await ui.Page.GetByLabel("Subject", new() { Exact = true }).FillAsync("Send the pricing sheet");
        await ui.Page.GetByLabel("Due (optional)").FillAsync("2030-05-04T09:30");
        await ui.Page.GetByTestId("task-submit").ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Task added.");
        await Expect(ui.Page.GetByTestId("timeline-item").Filter(new() { HasText = "Send the pricing sheet" })).ToBeVisibleAsync();
        await ui.Page.GotoAsync("/tasks");
        await Expect(ui.Page.GetByText("Send the pricing sheet")).ToBeVisibleAsync();
        ui.Problems.ShouldBeEmpty();
    }

    private async Task<Guid> CreateAsync(string path, object body)
    {
        var admin = await host.As("admin");
        var created = await admin.PostAsJsonAsync(path, body);
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<IdOnly>())!.Id;
    }

    private sealed record IdOnly(Guid Id);
}
