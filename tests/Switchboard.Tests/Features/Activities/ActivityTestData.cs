using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Activities;

/// <summary>Rows the activity tests start from, created through the API as a user would.</summary>
internal static class ActivityTestData
{
    public static async Task<Guid> LeadOwnedByAsync(this SwitchboardHostWithTenant host, string role)
    {
        var manager = await host.As("manager");
        var response = await manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Lead of " + role, ownerId = host.Tenant.Users[role] });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return await IdOf(response);
    }

    public static async Task<HttpResponseMessage> CreateActivityAsync(this HttpClient client, object body) =>
        await client.PostAsJsonAsync("/api/v1/activities", body);

    public static async Task<Guid> ActivityAsync(this HttpClient client, object body)
    {
        var response = await client.CreateActivityAsync(body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await IdOf(response);
    }

    public static async Task<Guid> NoteAsync(this HttpClient client, Guid leadId, string body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/notes", new { body, relatedType = "lead", relatedId = leadId });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await IdOf(response);
    }

    public static async Task<Guid> IdOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    public static IEnumerable<Guid> Ids(this JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid());
}
