using System.Net.Http.Json;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>Writing a note on a lead page: the Markdown shows rendered in the timeline, and HTML in it shows as text.</summary>
public sealed class NoteWritingTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Agent_writes_a_markdown_note_on_a_lead_and_sees_it_rendered_with_a_script_shown_as_text()
    {
        var leadId = await LeadOfAgentAsync();
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));
        await ui.Page.GotoAsync($"/leads/{leadId}");

        await ui.Page.GetByLabel("Add a note", new() { Exact = true }).FillAsync("Wants a **demo** on Friday\n<script>window.__noteScriptRan = true</script>");
        await ui.Page.GetByTestId("note-submit").ClickAsync();

        var note = ui.Page.GetByTestId("note-body").First;
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Note added.");
        await Expect(note.Locator("strong")).ToHaveTextAsync("demo");
        await Expect(note).ToContainTextAsync("<script>window.__noteScriptRan = true</script>");
        (await ui.Page.EvaluateAsync<bool>("() => window.__noteScriptRan === true")).ShouldBeFalse("the script in the note must not run");
        ui.Problems.ShouldBeEmpty();
    }

    private async Task<Guid> LeadOfAgentAsync()
    {
        var admin = await host.As("admin");
        var created = await admin.PostAsJsonAsync("/api/v1/leads", new { firstName = "Nora", lastName = "Notes", ownerId = host.Tenant.Users["agent"] });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<IdOnly>())!.Id;
    }

    private sealed record IdOnly(Guid Id);
}
