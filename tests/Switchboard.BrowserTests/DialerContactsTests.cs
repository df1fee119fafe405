using Switchboard.Testing;
using System.Net.Http.Json;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>
/// A dialer queue that holds a contact beside a lead (ADR 0035), in Chromium: the contact is added from its page, the
/// session serves the lead and then the contact, whose call the countdown places, and the outcome moves the session on.
/// A tenant of its own with the simulator (answers every call, rings 1 s, talks 4 s) and calling hours open all day.
/// </summary>
public sealed class DialerContactsTests(DialerHost host) : IClassFixture<DialerHost>
{
    private static readonly LocatorAssertionsToHaveAttributeOptions CallTimeout = new() { Timeout = 30_000 };

    private static Task WaitForCallEndAndSaveAsync(IPage page, string disposition) => PowerDialingTests.WaitForCallEndAndSaveAsync(page, disposition);

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name), FullPage = true });
    }

    [Fact]
    public async Task A_session_serves_a_lead_then_a_contact_added_from_its_page_dials_the_contact_and_moves_on_after_its_outcome()
    {
        var tenant = await host.CreateTenantAsync("contactq");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        await DialerHost.SimulateCallsAsync(admin, autoDialSeconds: 3, "Hi {first name}, this is {agent first name}. How is everything at {company}?");
        (await admin.PostAsJsonAsync("/api/v1/leads", new
        {
            firstName = "Priya", lastName = "Ng", company = "Contoso", phone = "(212) 555-0181", ownerId = tenant.Users["agent"],
        })).EnsureSuccessStatusCode();
        var account = await (await admin.PostAsJsonAsync("/api/v1/accounts", new { name = "Northwind Traders", ownerId = tenant.Users["agent"] }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var contact = (await (await admin.PostAsJsonAsync("/api/v1/contacts", new
        {
            firstName = "Ada", lastName = "Lovelace", title = "Head of Operations", phones = new[] { "(415) 555-0182" },
            emails = new[] { "ada@northwind.example" }, accountId = account.GetProperty("id").GetGuid(), ownerId = tenant.Users["agent"],
        })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(tenant.Email("agent"));
        var page = ui.Page;

        await page.GotoAsync("/dialer");
        await page.GetByLabel("Queue name").FillAsync("Leads and contacts");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and start" }).ClickAsync();
        await Expect(page.GetByTestId("dialer-lead")).ToContainTextAsync("Priya Ng");
        await page.GotoAsync($"/contacts/{contact}");
        await page.GetByTestId("add-to-queue").Locator("summary").ClickAsync();
        await page.GetByTestId("add-to-queue-select").SelectOptionAsync(new SelectOptionValue { Label = "Leads and contacts" });
        await ScreenshotAsync(page, "contact-add-to-queue.png");
        await page.GetByTestId("add-to-queue-submit").ClickAsync();
        await Expect(page.GetByTestId("flash")).ToContainTextAsync("Added to the dialer queue.");
        await page.GotoAsync("/dialer");
        await Expect(page.GetByTestId("queue-item-summary")).ToContainTextAsync("+ 1 contact");
        await ScreenshotAsync(page, "dialer-queues-with-contacts.png");
        await page.GetByTestId("start-queue").ClickAsync();
        await Expect(page.GetByTestId("queue-remaining")).ToHaveTextAsync("2 left");
        await Expect(page.GetByTestId("dialer-lead")).ToContainTextAsync("Priya Ng");
        await page.WaitForLoadStateAsync(LoadState.Load);

        await page.Keyboard.PressAsync("d");
        await WaitForCallEndAndSaveAsync(page, "interested");

        var card = page.GetByTestId("dialer-contact");
        await Expect(card).ToContainTextAsync("Ada Lovelace");
        await Expect(card).ToContainTextAsync("Head of Operations");
        await Expect(card).ToContainTextAsync("Northwind Traders");
        await Expect(page.GetByTestId("contact-phone")).ToHaveTextAsync("(415) 555-0182");
        await Expect(page.GetByTestId("call-script")).ToHaveTextAsync("Hi Ada, this is agent. How is everything at Northwind Traders?");
        await Expect(page.GetByTestId("autodial-countdown")).ToContainTextAsync("Dialing Ada Lovelace in");
        await ScreenshotAsync(page, "dialer-contact.png");
        // Nobody clicks Dial: the countdown places the contact's call.
        await Expect(page.GetByTestId("call-status")).ToHaveAttributeAsync("data-status", "in-progress", CallTimeout);
        await Expect(card).ToBeVisibleAsync();
        await WaitForCallEndAndSaveAsync(page, "not-interested");

        await Expect(page.GetByTestId("queue-empty")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("stat-dials")).ToHaveTextAsync("2");
        using var agent = await host.LoginAsync(tenant.Email("agent"));
        var calls = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/calls?contactId={contact}");
        calls.GetProperty("total").GetInt32().ShouldBe(1);
        calls.GetProperty("items")[0].GetProperty("disposition").GetString().ShouldBe("not-interested");
        calls.GetProperty("items")[0].GetProperty("to").GetString().ShouldBe("+14155550182");
        ui.Problems.ShouldBeEmpty();
    }
}
