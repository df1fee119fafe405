using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using Switchboard.Tests.Features.Activities;
using Switchboard.Tests.Features.Opportunities;

namespace Switchboard.Tests.Features.Search;

/// <summary>
/// What the record pickers stand on: /search/pick lists one kind of record as the global search finds it (visibility
/// included, names escaped), and the opportunity form posts the account and contact its pickers hold.
/// </summary>
public sealed class RecordPickerTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Fact]
    public async Task An_agent_is_offered_only_their_own_leads_with_names_escaped()
    {
        var tag = Tag();
        var manager = await host.As("manager");
        await CreateAsync(manager, "/api/v1/leads", new { firstName = "<b>Sam</b>", lastName = $"{tag}mine", ownerId = host.Tenant.Users["agent"] });
        await CreateAsync(manager, "/api/v1/leads", new { firstName = "Other", lastName = $"{tag}theirs", ownerId = host.Tenant.Users["agent2"] });
        using var agent = await PageForms.BrowserAsync(host, "agent");
        using var browserOfManager = await PageForms.BrowserAsync(host, "manager");

        var agentOptions = await agent.GetStringAsync($"/search/pick?kind=lead&q={tag}");
        var managerOptions = await browserOfManager.GetStringAsync($"/search/pick?kind=lead&q={tag}");

        agentOptions.ShouldContain($"&lt;b&gt;Sam&lt;/b&gt; {tag}mine");
        agentOptions.ShouldNotContain("<b>");
        agentOptions.ShouldNotContain($"{tag}theirs");
        managerOptions.ShouldContain($"{tag}theirs");
    }

    [Fact]
    public async Task Only_the_kind_asked_for_is_offered()
    {
        var tag = Tag();
        var manager = await host.As("manager");
        await CreateAsync(manager, "/api/v1/leads", new { lastName = $"{tag}lead" });
        await CreateAsync(manager, "/api/v1/accounts", new { name = $"{tag}account" });
        using var browser = await PageForms.BrowserAsync(host, "manager");

        var options = await browser.GetStringAsync($"/search/pick?kind=account&q={tag}");

        options.ShouldContain($"{tag}account");
        options.ShouldNotContain($"{tag}lead");
    }

    [Theory]
    [InlineData("/search/pick?kind=user&q=sam", HttpStatusCode.BadRequest)]
    [InlineData("/search/pick?q=sam", HttpStatusCode.BadRequest)]
    [InlineData("/search/pick?kind=lead&q=s", HttpStatusCode.OK)]
    public async Task A_bad_kind_is_refused_and_a_short_query_asks_for_more(string path, HttpStatusCode expected)
    {
        using var browser = await PageForms.BrowserAsync(host, "agent");

        var response = await browser.GetAsync(path);

        response.StatusCode.ShouldBe(expected);
        if (expected == HttpStatusCode.OK) (await response.Content.ReadAsStringAsync()).ShouldContain("Type 2 or more characters");
    }

    [Fact]
    public async Task The_opportunity_form_links_the_account_and_contact_its_pickers_hold()
    {
        var manager = await host.As("manager");
        var account = await CreateAsync(manager, "/api/v1/accounts", new { name = "Picked Account " + Tag() });
        var contact = await CreateAsync(manager, "/api/v1/contacts", new { firstName = "Pia", lastName = "Picked" });
        var opportunity = (await OpportunityTestData.CreateAsync(manager, new { name = "Picked deal", ownerId = host.Tenant.Users["manager"] })).Id();
        var before = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/opportunities/{opportunity}");
        using var browser = await PageForms.BrowserAsync(host, "manager");

        var posted = await PageForms.PostAsync(browser, $"/opportunities/{opportunity}", "", new()
        {
            ["Form.Name"] = "Picked deal", ["Form.StageId"] = before.GetProperty("stageId").GetGuid().ToString(), ["Form.Currency"] = "USD",
            ["Form.Version"] = before.GetProperty("version").GetInt32().ToString(), ["Form.AccountId"] = account.ToString(), ["Form.ContactId"] = contact.ToString(),
        });
        var after = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/opportunities/{opportunity}");
        var page = await browser.GetStringAsync($"/opportunities/{opportunity}");

        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        after.GetProperty("accountId").GetGuid().ShouldBe(account);
        after.GetProperty("contactId").GetGuid().ShouldBe(contact);
        page.ShouldContain($"name=\"Form.AccountId\" value=\"{account}\"");
        page.ShouldContain("value=\"Pia Picked\"");
    }

    private static string Tag() => "pk" + Guid.NewGuid().ToString("N")[..8];

    private static async Task<Guid> CreateAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
