using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>
/// The "Call prep" card as an agent reads it before calling: on the lead page after an analysed call (seven talking
/// points, the open promise with its quote), and in the dialer workspace for the lead on screen.
/// </summary>
public sealed class CallPrepPageTests(DialerHost host) : IClassFixture<DialerHost>
{
    [Fact]
    public async Task An_agent_reads_the_call_prep_on_the_lead_page_and_in_the_dialer_before_dialing()
    {
        var (leadId, callId) = await AnalysedCallAsync();
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));

        await ui.Page.GotoAsync($"/leads/{leadId}");
        var prep = ui.Page.GetByTestId("call-prep");
        await Expect(prep.GetByTestId("talking-point")).ToHaveCountAsync(7);
        await Expect(prep.GetByTestId("talking-points")).ToContainTextAsync("pricing sheet");
        await Expect(prep.GetByTestId("open-promise").First).ToContainTextAsync("I'll send you the pricing sheet by Friday.");
        await Expect(prep.GetByTestId("call-prep-summary")).ToContainTextAsync("AI summary");
        await Expect(prep.GetByTestId("call-prep-local-time")).ToContainTextAsync("America/New_York");
        await ui.ScreenshotAsync("call-prep-lead.png");

        // The dialer returns to a call without an outcome first; with it recorded, it serves the next lead, before dialing.
        (await (await host.As("agent")).PostAsJsonAsync($"/api/v1/calls/{callId}/disposition", new { disposition = "interested" })).EnsureSuccessStatusCode();
        await ui.Page.GotoAsync("/dialer");
        await ui.Page.GetByLabel("Queue name").FillAsync("Prep calls");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save and start" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("queue-name")).ToHaveTextAsync("Prep calls");
        var workspacePrep = ui.Page.Locator(".dialer-main").GetByTestId("call-prep");
        await Expect(workspacePrep).ToBeVisibleAsync();
        await Expect(workspacePrep.GetByTestId("talking-point").First).ToBeVisibleAsync();
        await Expect(workspacePrep.GetByTestId("call-prep-script")).ToHaveCountAsync(0);
        await ui.ScreenshotAsync("call-prep-dialer.png");

        var contact = await (await host.As("admin")).PostAsJsonAsync("/api/v1/contacts", new
        {
            firstName = "Omar", lastName = "Contacto", title = "Buyer", emails = new[] { "omar@contoso.test" }, phones = new[] { "(212) 555-0179" },
            ownerId = host.Tenant.Users["agent"],
        });
        contact.EnsureSuccessStatusCode();
        var contactId = (await contact.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await (await host.As("agent")).PostAsJsonAsync("/api/v1/notes", new { body = "Renewal is due in <b>March</b>", relatedType = "contact", relatedId = contactId }))
            .EnsureSuccessStatusCode();
        await ui.Page.GotoAsync($"/contacts/{contactId}");
        var contactPrep = ui.Page.GetByTestId("call-prep");
        await Expect(contactPrep.GetByTestId("call-prep-interaction")).ToContainTextAsync("Renewal is due in <b>March</b>");
        await Expect(contactPrep.GetByTestId("talking-point").First).ToBeVisibleAsync();
        await ui.ScreenshotAsync("call-prep-contact.png");
        ui.Problems.ShouldBeEmpty();
    }

    /// <summary>A simulated call of the agent's to a new lead, with a transcript pushed through the API and analysed.</summary>
    private async Task<(Guid LeadId, Guid CallId)> AnalysedCallAsync()
    {
        var admin = await host.As("admin");
        var lead = await admin.PostAsJsonAsync("/api/v1/leads", new
        {
            firstName = "Priya", lastName = "Prepley", company = "Northwind", title = "Head of Sales", email = "priya@northwind.test",
            phone = "(212) 555-0178", ownerId = host.Tenant.Users["agent"], timeZone = "America/New_York",
        });
        lead.EnsureSuccessStatusCode();
        var leadId = (await lead.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var agent = await host.As("agent");
        var placed = await agent.PostAsJsonAsync("/api/v1/calls", new { leadId });
        placed.EnsureSuccessStatusCode();
        var callId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await Eventually.Until(() => agent.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}"),
            // Its recording is the simulator's last callback: a transcript stored while a callback writes the call row can lose the race (a 500).
            c => c.GetProperty("status").GetString() == "completed" && c.GetProperty("recordingUrl").ValueKind == JsonValueKind.String,
            TimeSpan.FromSeconds(30), "the simulated call to end and its recording to arrive");
        (await agent.PutAsJsonAsync($"/api/v1/calls/{callId}/transcript", new
        {
            utterances = new object[]
            {
                new { speaker = "agent", start = 0.0, end = 5.0, text = "Hi Priya, it's Sam from Switchboard. Do you have a minute?" },
                new { speaker = "contact", start = 5.5, end = 10.0, text = "Sure. Can you send me the pricing sheet for twenty seats?" },
                new { speaker = "agent", start = 10.5, end = 15.0, text = "Absolutely, I'll send you the pricing sheet by Friday." },
                new { speaker = "contact", start = 15.5, end = 18.0, text = "Great, thanks!" },
            },
        })).EnsureSuccessStatusCode();
        await Eventually.Until(() => agent.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}/analysis"),
            a => a.GetProperty("status").GetString() == "completed", TimeSpan.FromSeconds(30), "the call's analysis");
        return (leadId, callId);
    }
}
