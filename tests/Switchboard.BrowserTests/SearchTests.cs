using System.Net.Http.Json;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>Global search: from the top bar, a misspelt name finds the lead; refining the query updates the results in place; a hit opens the record.</summary>
public sealed class SearchTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Manager_finds_a_misspelt_lead_from_the_top_bar_and_opens_it()
    {
        var manager = await host.As("manager");
        var created = await manager.PostAsJsonAsync("/api/v1/leads", new { firstName = "Philippa", lastName = "Ashcombe", company = "Harbor Freightways" });
        created.EnsureSuccessStatusCode();
        var leadId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));

        await ui.Page.GetByTestId("global-search").FillAsync("filippa ashcomb");
        await ui.Page.GetByTestId("global-search").PressAsync("Enter");

        var leads = ui.Page.GetByTestId("search-lead");
        await Expect(leads.GetByTestId("search-hit")).ToHaveTextAsync(["Philippa Ashcombe"]);
        await ui.Page.Locator("input[data-search]").FillAsync("harbor freightway");
        await Expect(ui.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("q=harbor"));
        await Expect(leads.GetByTestId("search-hit")).ToHaveTextAsync(["Philippa Ashcombe"]);

        await leads.GetByTestId("search-hit").ClickAsync();

        await Expect(ui.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/leads/{leadId}$"));
        ui.Problems.ShouldBeEmpty();
    }
}
