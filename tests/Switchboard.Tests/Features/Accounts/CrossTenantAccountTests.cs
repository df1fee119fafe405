using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Accounts;

/// <summary>Two tenants: an account and a contact in B, and an admin of A who tries to reach them.</summary>
public sealed class CrossTenantAccountFixture : SwitchboardHost
{
    public Guid ForeignAccount { get; private set; }
    public Guid ForeignContact { get; private set; }
    public HttpClient AdminOfA { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var a = await CreateTenantAsync("tenant-a");
        var b = await CreateTenantAsync("tenant-b");
        using var adminOfB = await LoginAsync(b.Email("admin"));
        var account = await adminOfB.PostAsJsonAsync("/api/v1/accounts", new { name = "Secret Corp", domain = "secret.example" });
        ForeignAccount = (await account.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var contact = await adminOfB.PostAsJsonAsync("/api/v1/contacts", new { lastName = "Secret", emails = new[] { "secret@b.example" }, accountId = ForeignAccount });
        ForeignContact = (await contact.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        AdminOfA = await LoginAsync(a.Email("admin"));
    }
}

/// <summary>Another tenant's account or contact id is a 404 for every verb, never listed, and never a valid reference.</summary>
public sealed class CrossTenantAccountTests(CrossTenantAccountFixture fixture) : IClassFixture<CrossTenantAccountFixture>
{
    private HttpClient _adminOfA => fixture.AdminOfA;

    public static TheoryData<string> Paths => ["accounts", "contacts"];

    private Guid Foreign(string collection) => collection == "accounts" ? fixture.ForeignAccount : fixture.ForeignContact;

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Reading_another_tenants_record_is_not_found(string collection) =>
        (await _adminOfA.GetAsync($"/api/v1/{collection}/{Foreign(collection)}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Updating_another_tenants_record_is_not_found(string collection) =>
        (await _adminOfA.PatchAsJsonAsync($"/api/v1/{collection}/{Foreign(collection)}", new { name = "hijacked", lastName = "hijacked" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Deleting_another_tenants_record_is_not_found(string collection) =>
        (await _adminOfA.DeleteAsync($"/api/v1/{collection}/{Foreign(collection)}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Another_tenants_record_never_appears_in_a_search(string collection)
    {
        var search = await _adminOfA.GetFromJsonAsync<JsonElement>($"/api/v1/{collection}?q=secret");

        search.GetProperty("total").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Listing_the_contacts_of_another_tenants_account_is_not_found() =>
        (await _adminOfA.GetAsync($"/api/v1/accounts/{fixture.ForeignAccount}/contacts")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

    [Fact]
    public async Task A_contact_cannot_point_at_another_tenants_account()
    {
        var response = await _adminOfA.PostAsJsonAsync("/api/v1/contacts", new { lastName = "Sneaky", accountId = fixture.ForeignAccount });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("accountId", out _).ShouldBeTrue();
    }
}
