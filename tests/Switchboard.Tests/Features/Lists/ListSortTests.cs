using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using static Switchboard.Tests.Features.Lists.ListApi;

namespace Switchboard.Tests.Features.Lists;

/// <summary>sort=&lt;field&gt; on every entity list: the entity's own sorts, any other standard field, and custom fields.</summary>
public sealed class ListSortTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    /// <summary>The list's values of one property, in the order the API returned them.</summary>
    private static async Task<IReadOnlyList<string?>> InOrderAsync(HttpClient client, string url, string property)
    {
        var response = await client.GetAsync(url);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {url} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var list = await response.Content.ReadFromJsonAsync<JsonElement>();
        return list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty(property).GetString()).ToList();
    }

    [Fact]
    public async Task Accounts_sort_by_a_custom_number_by_value_and_by_a_standard_field()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        var employees = await CustomFieldAsync(admin, "account", "number");
        await CreateAsync(admin, "/api/v1/accounts", new { name = $"Ten {tag}", industry = "Retail", custom = new Dictionary<string, object> { [employees] = 10 } });
        await CreateAsync(admin, "/api/v1/accounts", new { name = $"Nine {tag}", industry = "Banking", custom = new Dictionary<string, object> { [employees] = 9 } });
        await CreateAsync(admin, "/api/v1/accounts", new { name = $"Unknown {tag}", industry = "Mining" });
        var scope = $"/api/v1/accounts?q={tag}";

        // By value, not as text ("10" < "9"); an account without the field comes last, or first when descending.
        (await InOrderAsync(admin, $"{scope}&sort=custom.{employees}", "name")).ShouldBe([$"Nine {tag}", $"Ten {tag}", $"Unknown {tag}"]);
        (await InOrderAsync(admin, $"{scope}&sort=-custom.{employees}", "name")).ShouldBe([$"Unknown {tag}", $"Ten {tag}", $"Nine {tag}"]);
        (await InOrderAsync(admin, $"{scope}&sort=industry", "name")).ShouldBe([$"Nine {tag}", $"Unknown {tag}", $"Ten {tag}"]);
    }

    [Fact]
    public async Task Contacts_sort_by_a_custom_date_and_by_their_primary_email()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        var met = await CustomFieldAsync(admin, "contact", "date");
        await CreateAsync(admin, "/api/v1/contacts", new { lastName = $"Later {tag}", emails = new[] { $"a{tag}@x.example", $"z{tag}@x.example" }, custom = new Dictionary<string, object> { [met] = "2026-12-01" } });
        await CreateAsync(admin, "/api/v1/contacts", new { lastName = $"Sooner {tag}", emails = new[] { $"b{tag}@x.example" }, custom = new Dictionary<string, object> { [met] = "2026-02-15" } });
        var scope = $"/api/v1/contacts?filter.lastName=contains:{tag}";

        (await InOrderAsync(admin, $"{scope}&sort=custom.{met}", "lastName")).ShouldBe([$"Sooner {tag}", $"Later {tag}"]);
        (await InOrderAsync(admin, $"{scope}&sort=email", "lastName")).ShouldBe([$"Later {tag}", $"Sooner {tag}"]);
        (await InOrderAsync(admin, $"{scope}&sort=-email", "lastName")).ShouldBe([$"Sooner {tag}", $"Later {tag}"]);
    }

    [Fact]
    public async Task Opportunities_sort_by_a_custom_text_field()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        var region = await CustomFieldAsync(admin, "opportunity", "text");
        await CreateAsync(admin, "/api/v1/opportunities", new { name = $"West {tag}", custom = new Dictionary<string, object> { [region] = "West" } });
        await CreateAsync(admin, "/api/v1/opportunities", new { name = $"East {tag}", custom = new Dictionary<string, object> { [region] = "East" } });

        (await InOrderAsync(admin, $"/api/v1/opportunities?q={tag}&sort=custom.{region}", "name")).ShouldBe([$"East {tag}", $"West {tag}"]);
        (await InOrderAsync(admin, $"/api/v1/opportunities?q={tag}&sort=-custom.{region}", "name")).ShouldBe([$"West {tag}", $"East {tag}"]);
    }

    [Theory]
    [InlineData("accounts", "shoeSize")]
    [InlineData("accounts", "ownerId")]
    [InlineData("contacts", "custom.nosuchfield")]
    [InlineData("opportunities", "-accountId")]
    [InlineData("leads", "custom.nosuchfield")]
    public async Task A_field_the_list_cannot_sort_by_is_a_400_naming_the_sorts_it_can(string list, string sort)
    {
        var response = await (await host.As("admin")).GetAsync($"/api/v1/{list}?sort={sort}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorsAsync(response))["sort"].ShouldContain(m => m.Contains($"'{sort}' is not a sortable field") && m.Contains("createdAt"));
    }

    [Fact]
    public async Task A_saved_view_may_sort_by_a_custom_field()
    {
        var admin = await host.As("admin");
        var tier = await CustomFieldAsync(admin, "account", "text");

        var created = await admin.PostAsJsonAsync("/api/v1/views", new { entity = "account", name = "By tier " + tier, definition = new { sort = $"-custom.{tier}" } });
        var refused = await admin.PostAsJsonAsync("/api/v1/views", new { entity = "account", name = "By owner " + tier, definition = new { sort = "ownerId" } });

        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_custom_column_on_a_list_page_is_a_sort_link()
    {
        var admin = await host.As("admin");
        var tier = await CustomFieldAsync(admin, "account", "text");
        await CreateAsync(admin, "/api/v1/accounts", new { name = "Tiered " + tier, custom = new Dictionary<string, object> { [tier] = "Gold" } });
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, host.Tenant.Email("manager"));
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = host.BaseAddress };

        var html = System.Net.WebUtility.HtmlDecode(await browser.GetStringAsync($"/accounts?columns=custom.{tier}&sort=custom.{tier}"));

        html.ShouldContain($"sort=-custom.{tier}");
        html.ShouldContain("aria-sort=\"ascending\"");
    }
}
