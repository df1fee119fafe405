using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Leads;

/// <summary>Two tenants: a lead in B, and an admin of A who tries to reach it.</summary>
public sealed class CrossTenantFixture : SwitchboardHost
{
    public Guid ForeignLead { get; private set; }
    public string SlugOfB { get; private set; } = null!;
    public HttpClient AdminOfA { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var a = await CreateTenantAsync("tenant-a");
        var b = await CreateTenantAsync("tenant-b");
        SlugOfB = b.Slug;
        using var adminOfB = await LoginAsync(b.Email("admin"));
        var created = await adminOfB.PostAsJsonAsync("/api/v1/leads", new { lastName = "Secret", company = "B Corp", email = "secret@b.example" });
        ForeignLead = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        AdminOfA = await LoginAsync(a.Email("admin"));
    }
}

/// <summary>Another tenant's lead id is a 404 for every verb and never shows up in a list.</summary>
public sealed class CrossTenantLeadTests(CrossTenantFixture fixture) : IClassFixture<CrossTenantFixture>
{
    private Guid _foreignLead => fixture.ForeignLead;
    private HttpClient _adminOfA => fixture.AdminOfA;

    [Fact]
    public async Task Reading_another_tenants_lead_is_not_found() =>
        (await _adminOfA.GetAsync($"/api/v1/leads/{_foreignLead}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

    [Fact]
    public async Task Updating_another_tenants_lead_is_not_found() =>
        (await _adminOfA.PatchAsJsonAsync($"/api/v1/leads/{_foreignLead}", new { lastName = "Hijacked" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);

    [Fact]
    public async Task Deleting_another_tenants_lead_is_not_found() =>
        (await _adminOfA.DeleteAsync($"/api/v1/leads/{_foreignLead}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

    [Fact]
    public async Task Another_tenants_lead_never_appears_in_a_list_or_search()
    {
        var all = await _adminOfA.GetFromJsonAsync<JsonElement>("/api/v1/leads?pageSize=200");
        var search = await _adminOfA.GetFromJsonAsync<JsonElement>("/api/v1/leads?search=secret");

        all.GetProperty("items").EnumerateArray().ShouldNotContain(l => l.GetProperty("id").GetGuid() == _foreignLead);
        search.GetProperty("total").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Another_tenants_lead_is_untouched_after_the_attempts()
    {
        await _adminOfA.PatchAsJsonAsync($"/api/v1/leads/{_foreignLead}", new { lastName = "Hijacked" });
        await _adminOfA.DeleteAsync($"/api/v1/leads/{_foreignLead}");
        using var superadmin = await fixture.SuperadminAsync(fixture.SlugOfB);

        var lead = await superadmin.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{_foreignLead}");

        lead.GetProperty("lastName").GetString().ShouldBe("Secret");
    }
}
