using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Switchboard.Testing;
using static Switchboard.Tests.Features.Lists.ListApi;

namespace Switchboard.Tests.Features.Lists;

/// <summary>The list pages' tool bar as a browser uses it: filters and columns in the URL, export, saving a view.</summary>
public sealed partial class ListPageTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private async Task<HttpClient> BrowserAsync(string role)
    {
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, host.Tenant.Email(role));
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
    }

    [Fact]
    public async Task The_account_page_shows_the_chosen_columns_and_only_matching_rows()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        await CreateAsync(admin, "/api/v1/accounts", new { name = $"Berlin {tag}", city = "Berlin" });
        await CreateAsync(admin, "/api/v1/accounts", new { name = $"Paris {tag}", city = "Paris" });
        using var browser = await BrowserAsync("manager");

        var html = await browser.GetStringAsync($"/accounts?q={tag}&filter.city=eq:berlin&columns=city,size");

        html.ShouldContain($"Berlin {tag}");
        html.ShouldNotContain($"Paris {tag}");
        html.ShouldContain("data-column=\"city\"");
        html.ShouldNotContain("data-column=\"phone\"");
    }

    [Fact]
    public async Task A_manager_downloads_the_filtered_contact_list_from_the_page()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        await CreateAsync(admin, "/api/v1/contacts", new { lastName = $"Kept{tag}", title = "Buyer" });
        await CreateAsync(admin, "/api/v1/contacts", new { lastName = $"Dropped{tag}", title = "Intern" });
        using var browser = await BrowserAsync("manager");

        var response = await browser.GetAsync($"/contacts?handler=export&q={tag}&filter.title=eq:buyer&columns=lastName,title");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        // What the page shows: the name, which a list always shows first, then the chosen columns.
        ParseCsv(await response.Content.ReadAsStringAsync()).ShouldBe([["Name", "Last name", "Title"], [$"Kept{tag}", $"Kept{tag}", "Buyer"]]);
    }

    [Fact]
    public async Task An_agent_gets_no_export_link_and_no_export()
    {
        using var browser = await BrowserAsync("agent");

        (await browser.GetStringAsync("/leads")).ShouldNotContain("data-testid=\"export-csv\"");
        var response = await browser.GetAsync("/leads?handler=export");
        response.StatusCode.ShouldNotBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldNotBe("text/csv");
    }

    [Fact]
    public async Task A_view_saved_on_the_page_keeps_the_lists_filters_as_the_owners_private_view()
    {
        var tag = Tag();
        using var browser = await BrowserAsync("agent");
        var page = await browser.GetStringAsync($"/leads?search={tag}&status=qualified&columns=company,title");

        var saved = await browser.PostAsync("/leads?handler=saveView", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryToken().Match(page).Groups[1].Value),
            ["state"] = $"search={tag}&status=qualified&columns=company,title",
            ["viewName"] = $"Mine {tag}",
        }));

        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        saved.Headers.Location!.ToString().ShouldContain("view=");
        var views = await (await host.As("agent")).GetFromJsonAsync<JsonElement>("/api/v1/views?entity=lead");
        var view = views.GetProperty("items").EnumerateArray().Single(v => v.GetProperty("name").GetString() == $"Mine {tag}");
        view.GetProperty("shared").GetBoolean().ShouldBeFalse();
        view.GetProperty("definition").GetProperty("search").GetString().ShouldBe(tag);
        view.GetProperty("definition").GetProperty("filters")[0].GetProperty("field").GetString().ShouldBe("status");
        view.GetProperty("definition").GetProperty("columns").EnumerateArray().Select(c => c.GetString()).ShouldBe(["company", "title"]);
    }

    [Fact]
    public async Task The_opportunity_list_page_filters_by_amount_and_shows_stage_names()
    {
        var manager = await host.As("manager");
        var tag = Tag();
        await CreateAsync(manager, "/api/v1/opportunities", new { name = $"Big {tag}", amount = 5000 });
        await CreateAsync(manager, "/api/v1/opportunities", new { name = $"Tiny {tag}", amount = 50 });
        using var browser = await BrowserAsync("manager");

        var html = await browser.GetStringAsync($"/opportunities/list?q={tag}&filter.amount=gte:1000&columns=stageId,status,amount");

        html.ShouldContain($"Big {tag}");
        html.ShouldNotContain($"Tiny {tag}");
        html.ShouldContain("Qualification");
        html.ShouldContain("5,000.00");
        html.ShouldContain("handler=export");
    }

    [Fact]
    public async Task A_filter_that_no_longer_fits_is_left_out_and_named_instead_of_failing_the_page()
    {
        using var browser = await BrowserAsync("manager");

        var response = await browser.GetAsync("/leads?filter.shoeSize=eq:42");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Ignored: &#x27;shoeSize&#x27; is not a field");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*?value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
