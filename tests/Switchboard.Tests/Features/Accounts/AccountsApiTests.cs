using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Accounts;

public sealed class AccountsApiTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private async Task<JsonElement> CreateAsync(HttpClient client, string collection, object body)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/{collection}", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> ErrorsOf(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
    }

    [Fact]
    public async Task Created_account_has_a_normalized_domain_an_E164_phone_and_a_location()
    {
        var manager = await host.As("manager");

        var response = await manager.PostAsJsonAsync("/api/v1/accounts", new
        {
            name = "Acme", domain = "HTTPS://www.Acme.example/about?x=1", phone = "(415) 555-0142", size = "51-200", country = "us",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var account = await response.Content.ReadFromJsonAsync<JsonElement>();
        account.GetProperty("domain").GetString().ShouldBe("acme.example");
        account.GetProperty("phone").GetString().ShouldBe("+14155550142");
        account.GetProperty("country").GetString().ShouldBe("US");
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/accounts/{account.GetProperty("id").GetGuid()}");
        response.Headers.ETag!.Tag.ShouldBe("\"1\"");
    }

    [Theory]
    [InlineData("domain", "not a domain")]
    [InlineData("phone", "12")]
    [InlineData("size", "huge")]
    [InlineData("country", "USA")]
    [InlineData("name", "")]
    public async Task Invalid_account_field_is_a_400_naming_the_field(string field, string value)
    {
        var manager = await host.As("manager");
        var body = new Dictionary<string, object?> { ["name"] = "Valid name", [field] = value };

        var errors = await ErrorsOf(await manager.PostAsJsonAsync("/api/v1/accounts", body));

        errors.EnumerateObject().Select(p => p.Name).ShouldBe([field]);
    }

    [Fact]
    public async Task Contact_emails_are_lowercased_deduplicated_and_phones_normalized_to_E164()
    {
        var manager = await host.As("manager");

        var contact = await CreateAsync(manager, "contacts", new
        {
            firstName = "Ada", lastName = "Lovelace", emails = new[] { "Ada@Example.com", "ada@example.com", "second@example.com" },
            phones = new[] { "(415) 555-0100", "+44 20 7946 0958" },
        });

        contact.GetProperty("emails").EnumerateArray().Select(e => e.GetString()).ShouldBe(["ada@example.com", "second@example.com"]);
        contact.GetProperty("phones").EnumerateArray().Select(e => e.GetString()).ShouldBe(["+14155550100", "+442079460958"]);
    }

    [Theory]
    [InlineData("emails", "not-an-email")]
    [InlineData("phones", "12")]
    public async Task Invalid_contact_email_or_phone_is_a_400_naming_the_field(string field, string value)
    {
        var manager = await host.As("manager");
        var body = new Dictionary<string, object?> { ["lastName"] = "Valid", [field] = new[] { value } };

        var errors = await ErrorsOf(await manager.PostAsJsonAsync("/api/v1/contacts", body));

        errors.EnumerateObject().Select(p => p.Name).ShouldBe([field]);
    }

    [Fact]
    public async Task Contact_at_an_unknown_account_is_a_400_on_accountId()
    {
        var manager = await host.As("manager");

        var errors = await ErrorsOf(await manager.PostAsJsonAsync("/api/v1/contacts", new { lastName = "Orphan", accountId = Guid.NewGuid() }));

        errors.EnumerateObject().Select(p => p.Name).ShouldBe(["accountId"]);
    }

    [Fact]
    public async Task Agent_cannot_attach_a_contact_to_an_account_they_cannot_see()
    {
        var theirs = await CreateAsync(await host.As("manager"), "accounts", new { name = "Not yours", ownerId = host.Tenant.Users["agent2"] });
        var agent = await host.As("agent");

        var errors = await ErrorsOf(await agent.PostAsJsonAsync("/api/v1/contacts", new { lastName = "Mine", accountId = theirs.GetProperty("id").GetGuid() }));

        errors.EnumerateObject().Select(p => p.Name).ShouldBe(["accountId"]);
    }

    [Fact]
    public async Task Agent_can_edit_their_contact_at_an_account_a_manager_linked_it_to()
    {
        var manager = await host.As("manager");
        var theirs = (await CreateAsync(manager, "accounts", new { name = "Linked by manager", ownerId = host.Tenant.Users["agent2"] })).GetProperty("id").GetGuid();
        var contact = (await CreateAsync(manager, "contacts", new { lastName = "Shared", accountId = theirs, ownerId = host.Tenant.Users["agent"] })).GetProperty("id").GetGuid();
        var agent = await host.As("agent");

        var response = await agent.PatchAsJsonAsync($"/api/v1/contacts/{contact}", new { title = "CFO", accountId = theirs });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("accounts")]
    [InlineData("contacts")]
    public async Task Patch_with_a_stale_If_Match_is_a_412_and_changes_nothing(string collection)
    {
        var manager = await host.As("manager");
        var created = await CreateAsync(manager, collection, collection == "accounts" ? new { name = "Versioned" } : new { lastName = "Versioned" });
        var id = created.GetProperty("id").GetGuid();
        (await manager.PatchAsJsonAsync($"/api/v1/{collection}/{id}", Renamed(collection, "Step one"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var stale = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/{collection}/{id}") { Content = JsonContent.Create(Renamed(collection, "Step two")) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var response = await manager.SendAsync(stale);

        response.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        var current = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/{collection}/{id}");
        current.GetProperty(collection == "accounts" ? "name" : "lastName").GetString().ShouldBe("Step one");
        current.GetProperty("version").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task Patch_with_the_current_If_Match_succeeds_and_returns_the_next_ETag()
    {
        var manager = await host.As("manager");
        var id = (await CreateAsync(manager, "accounts", new { name = "Fresh" })).GetProperty("id").GetGuid();

        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/accounts/{id}") { Content = JsonContent.Create(new { industry = "Retail" }) };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var response = await manager.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.ETag!.Tag.ShouldBe("\"2\"");
    }

    [Fact]
    public async Task Contacts_can_be_listed_by_account()
    {
        var manager = await host.As("manager");
        var account = (await CreateAsync(manager, "accounts", new { name = "Filter Co" })).GetProperty("id").GetGuid();
        var atAccount = (await CreateAsync(manager, "contacts", new { lastName = "Inside", accountId = account })).GetProperty("id").GetGuid();
        await CreateAsync(manager, "contacts", new { lastName = "Outside" });

        var filtered = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/contacts?accountId={account}");
        var nested = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}/contacts");

        filtered.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ShouldBe([atAccount]);
        nested.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ShouldBe([atAccount]);
    }

    [Fact]
    public async Task Search_matches_domain_email_and_phone_digits()
    {
        var manager = await host.As("manager");
        var account = (await CreateAsync(manager, "accounts", new { name = "Searchable", domain = "findme-co.example" })).GetProperty("id").GetGuid();
        var contact = (await CreateAsync(manager, "contacts", new { lastName = "Seeker", emails = new[] { "hide@findme-mail.example" }, phones = new[] { "415 555 0177" } })).GetProperty("id").GetGuid();

        var byDomain = await manager.GetFromJsonAsync<JsonElement>("/api/v1/accounts?q=findme-co");
        var byEmail = await manager.GetFromJsonAsync<JsonElement>("/api/v1/contacts?q=findme-mail");
        var byPhone = await manager.GetFromJsonAsync<JsonElement>("/api/v1/contacts?q=555-0177");

        byDomain.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetGuid()).ShouldBe([account]);
        byEmail.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ShouldBe([contact]);
        byPhone.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ShouldBe([contact]);
    }

    [Fact]
    public async Task Unknown_sort_is_a_400_on_sort()
    {
        var manager = await host.As("manager");

        var errors = await ErrorsOf(await manager.GetAsync("/api/v1/accounts?sort=-shoeSize"));

        errors.EnumerateObject().Select(p => p.Name).ShouldBe(["sort"]);
    }

    private static object Renamed(string collection, string name) => collection == "accounts" ? new { name } : new { lastName = name };
}
