using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Leads;

/// <summary>The lead page's "Calls" partial (<c>/leads/{id}?handler=Calls</c>), which the page re-fetches live, sees what the page sees.</summary>
public sealed class LeadTimelinePartialTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Fact]
    public async Task Agent_cannot_fetch_the_call_timeline_of_another_agents_lead()
    {
        var lead = await LeadOwnedByAsync("agent2");
        using var agent = await SignedInBrowserAsync("agent");

        var response = await agent.GetAsync($"/leads/{lead}?handler=Calls");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Agent_fetches_the_call_timeline_of_their_own_lead()
    {
        var lead = await LeadOwnedByAsync("agent");
        using var agent = await SignedInBrowserAsync("agent");

        var response = await agent.GetAsync($"/leads/{lead}?handler=Calls");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("No calls yet.");
        html.ShouldNotContain("<html");
    }

    [Fact]
    public async Task Manager_fetches_the_call_timeline_of_an_agents_lead()
    {
        var lead = await LeadOwnedByAsync("agent2");
        using var manager = await SignedInBrowserAsync("manager");

        var response = await manager.GetAsync($"/leads/{lead}?handler=Calls");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private async Task<Guid> LeadOwnedByAsync(string role)
    {
        var manager = await host.As("manager");
        var response = await manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Timeline of " + role, ownerId = host.Tenant.Users[role] });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>Pages take the sign-in cookie, not the API's bearer token.</summary>
    private async Task<HttpClient> SignedInBrowserAsync(string role)
    {
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, host.Tenant.Email(role));
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
    }
}
