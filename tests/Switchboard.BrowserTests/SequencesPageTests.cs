using System.Net.Http.Json;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>Sequences pages: a manager builds a sequence in the editor, then enrols a lead from the lead's page and sees the enrolment.</summary>
public sealed class SequencesPageTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task A_manager_creates_a_sequence_and_enrols_a_lead_from_its_page()
    {
        var manager = await host.As("manager");
        var created = await manager.PostAsJsonAsync("/api/v1/leads", new { firstName = "Tomoko", lastName = "Sequenced", phone = "(212) 555-0142", timeZone = "Asia/Tokyo" });
        created.EnsureSuccessStatusCode();
        var lead = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));

        await ui.Page.GetByTestId("nav-sequences").ClickAsync();
        await ui.Page.GetByTestId("new-sequence").ClickAsync();
        // The new sequence starts as email, wait, call; without a mailbox the email step goes.
        await Expect(ui.Page.GetByTestId("sequence-step")).ToHaveCountAsync(3);
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Remove step 1" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("sequence-step")).ToHaveCountAsync(2);
        await ui.Page.GetByTestId("add-task").ClickAsync();
        await Expect(ui.Page.GetByTestId("sequence-step")).ToHaveCountAsync(3);
        await ui.Page.GetByTestId("save-sequence").ClickAsync();
        await Expect(ui.Page.GetByTestId("sequence-errors")).ToContainTextAsync("Name is required");
        await Expect(ui.Page.GetByTestId("sequence-step").Nth(2)).ToContainTextAsync("Title is required");
        await ui.ScreenshotAsync("sequence-editor-errors.png");

        await ui.Page.GetByTestId("sequence-name").FillAsync("Tokyo follow-up");
        await ui.Page.GetByTestId("sequence-step").Nth(2).GetByLabel("Task title").FillAsync("Send the case study");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Move step 3 up" }).ClickAsync();
        await ui.Page.GetByTestId("save-sequence").ClickAsync();
        await Expect(ui.Page.GetByTestId("sequence-title")).ToHaveTextAsync("Tokyo follow-up");
        await Expect(ui.Page.GetByTestId("sequence-step-list").Locator("li")).ToHaveTextAsync(["Wait 2 business days", "Task: Send the case study", "Call"]);
        await ui.ScreenshotAsync("sequence-detail-empty.png");

        await ui.Page.GotoAsync($"/leads/{lead}");
        await ui.Page.GetByTestId("enrol-lead").ClickAsync();
        await ui.Page.GetByTestId("enrol-sequence").SelectOptionAsync(new SelectOptionValue { Label = "Tokyo follow-up — wait → task → call" });
        await ui.ScreenshotAsync("sequence-enrol.png");
        await ui.Page.GetByTestId("enrol-submit").ClickAsync();

        var row = ui.Page.GetByTestId("enrolment-row").Filter(new() { HasText = "Tomoko Sequenced" });
        await Expect(row).ToContainTextAsync("active");
        // The scheduler of this instance may have run the wait already: then the task is next, due two business days on.
        await Expect(row).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"1\. Wait 2 business days|2\. Task: Send the case study"));
        await Expect(row).ToContainTextAsync("Asia/Tokyo");
        await ui.ScreenshotAsync("sequence-detail-enrolled.png");

        await row.GetByRole(AriaRole.Button, new() { Name = "Stop" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Stopped by hand");
        await ui.ScreenshotAsync("sequence-detail-stopped.png");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_manager_enrols_everyone_in_a_saved_view_from_the_sequence_page()
    {
        var manager = await host.As("manager");
        var tag = "View" + Guid.NewGuid().ToString("N")[..8];
        foreach (var (first, doNotCall) in new[] { ("Ada", false), ("Ben", false), ("Cy", true) })
            (await manager.PostAsJsonAsync("/api/v1/leads", new { firstName = first, lastName = tag, phone = "(212) 555-0147", doNotCall })).EnsureSuccessStatusCode();
        (await manager.PostAsJsonAsync("/api/v1/views", new { entity = "lead", name = $"Spring {tag}", shared = false, definition = new { filters = Array.Empty<object>(), search = tag } }))
            .EnsureSuccessStatusCode();
        var sequence = await manager.PostAsJsonAsync("/api/v1/sequences", new
        {
            name = $"Spring {tag}", steps = new object[] { new { type = "wait", days = 3 }, new { type = "call" } },
        });
        sequence.EnsureSuccessStatusCode();
        var id = (await sequence.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));

        await ui.Page.GotoAsync($"/sequences/{id}");
        await ui.Page.GetByTestId("enrol-view").SelectOptionAsync(new SelectOptionValue { Label = $"Leads: Spring {tag}" });
        await ui.Page.GetByTestId("enrol-view-submit").ClickAsync();

        await Expect(ui.Page.GetByTestId("sequence-notice")).ToHaveTextAsync("Enrolled 2. Skipped 1: marked do not call (1).");
        await Expect(ui.Page.GetByTestId("enrolment-row")).ToHaveCountAsync(2);
        await ui.ScreenshotAsync("sequence-enrolled-view.png");
        ui.Problems.ShouldBeEmpty();
    }
}
