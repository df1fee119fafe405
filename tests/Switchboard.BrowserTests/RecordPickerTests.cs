using System.Net.Http.Json;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>
/// The type-ahead record picker (Ui/Forms/_RecordPicker): it finds a record however many there are (the select it
/// replaces listed the first 200), only among those the user may see, by keyboard, and the form links what was chosen.
/// </summary>
public sealed class RecordPickerTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Agent_finds_a_lead_beyond_the_first_200_by_typing_and_the_task_links_it()
    {
        var agent = host.Tenant.Users["agent"];
        var manager = await host.As("manager");
        await Parallel.ForEachAsync(Enumerable.Range(0, 205), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
            await CreateLeadAsync(manager, "Aaron", $"Abbot {i:000}", agent));
        var wanted = await CreateLeadAsync(manager, "Zephyrine", "Quist", agent);
        await CreateLeadAsync(manager, "Zephyra", "Hidden", host.Tenant.Users["agent2"]);
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));
        await ui.Page.GotoAsync("/tasks");
        await ui.Page.GetByLabel("Subject", new() { Exact = true }).FillAsync("Send Zephyrine the proposal");

        var picker = ui.Page.GetByRole(AriaRole.Combobox, new() { Name = "Related lead (optional)" });
        await picker.PressSequentiallyAsync("zeph");
        var options = ui.Page.GetByTestId("picker-lead").GetByRole(AriaRole.Option);
        await Expect(options).ToHaveCountAsync(1);
        await Expect(options.First).ToContainTextAsync("Zephyrine Quist");
        await Expect(options.First).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(picker).ToHaveAttributeAsync("aria-expanded", "true");
        await ui.Page.ScreenshotAsync(new() { Path = "/tmp/smallfixes-picker.png", FullPage = true });
        await picker.PressAsync("Enter");

        await Expect(picker).ToHaveValueAsync("Zephyrine Quist");
        await Expect(picker).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(ui.Page.Locator("input[type=hidden][name='Form.LeadId']")).ToHaveValueAsync(wanted.ToString());
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Create task" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("task").Filter(new() { HasText = "Send Zephyrine the proposal" })).ToHaveCountAsync(1);
        var tasks = await (await host.As("agent")).GetFromJsonAsync<JsonElement>($"/api/v1/activities?relatedType=lead&relatedId={wanted}");
        tasks.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("subject").GetString()).ShouldContain("Send Zephyrine the proposal");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Escape_puts_back_the_chosen_record_and_clearing_the_text_unlinks_it()
    {
        var manager = await host.As("manager");
        var account = await CreateAsync(manager, "/api/v1/accounts", new { name = "Globex Picker Corp" });
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));
        await ui.Page.GotoAsync($"/contacts/new?accountId={account}");
        var picker = ui.Page.GetByRole(AriaRole.Combobox, new() { Name = "Account" });
        var posted = ui.Page.Locator("input[type=hidden][name='Form.AccountId']");
        await Expect(picker).ToHaveValueAsync("Globex Picker Corp");

        await picker.FillAsync("qzxqzx");
        await Expect(ui.Page.GetByTestId("picker-message")).ToContainTextAsync("No account matches");
        await picker.PressAsync("Escape");
        await Expect(picker).ToHaveValueAsync("Globex Picker Corp");
        await Expect(posted).ToHaveValueAsync(account.ToString());

        await picker.FillAsync("");
        await Expect(posted).ToHaveValueAsync("");
        ui.Problems.ShouldBeEmpty();
    }

    private static async Task<Guid> CreateLeadAsync(HttpClient client, string firstName, string lastName, Guid owner) =>
        await CreateAsync(client, "/api/v1/leads", new { firstName, lastName, ownerId = owner });

    private static async Task<Guid> CreateAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
