using System.Globalization;
using Switchboard.Platform;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>"My tasks": create a task due today, find it under Today, complete it with one click (htmx), and it is gone.</summary>
public sealed class TasksTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Agent_creates_a_task_for_today_and_completes_it_with_one_click()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));
        await ui.Page.GotoAsync("/tasks");

        // Noon on the tenant's today (the fixture tenant is on America/New_York), entered as the form's wall-clock time.
        var today = TimeZones.Today(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        // The form's inputs wear the product's field style: as tall as its select, not the browser's bare default.
        var selectHeight = (await ui.Page.GetByLabel("Priority", new() { Exact = true }).BoundingBoxAsync())!.Height;
        (await ui.Page.GetByLabel("Subject", new() { Exact = true }).BoundingBoxAsync())!.Height.ShouldBe(selectHeight, 1);
        (await ui.Page.GetByLabel("Due", new() { Exact = true }).BoundingBoxAsync())!.Height.ShouldBe(selectHeight, 1);
        await ui.Page.GetByLabel("Subject", new() { Exact = true }).FillAsync("Send the proposal");
        await ui.Page.GetByLabel("Due", new() { Exact = true }).FillAsync(today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T12:00");
        await ui.Page.GetByLabel("Priority", new() { Exact = true }).SelectOptionAsync("high");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Create task" }).ClickAsync();

        var todayGroup = ui.Page.GetByTestId("task-group-today");
        var task = todayGroup.GetByTestId("task").Filter(new() { HasText = "Send the proposal" });
        await Expect(task).ToHaveCountAsync(1);
        await ui.Page.EvaluateAsync("() => { window.__samePage = true; }");

        await task.GetByTestId("complete-task").ClickAsync();

        await Expect(ui.Page.GetByTestId("task").Filter(new() { HasText = "Send the proposal" })).ToHaveCountAsync(0);
        (await ui.Page.EvaluateAsync<bool>("() => window.__samePage === true")).ShouldBeTrue("completing must not reload the page");
        ui.Problems.ShouldBeEmpty();
    }
}
