using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.ApiKeys;

/// <summary>Creates API keys through the API as an administrator would, and clients that call with them.</summary>
public static class ApiKeyClients
{
    public sealed record CreatedKey(Guid Id, string Key);

    public static async Task<CreatedKey> CreateAsync(HttpClient admin, object body)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/api-keys", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new CreatedKey(created.GetProperty("id").GetGuid(), created.GetProperty("key").GetString()!);
    }

    /// <summary>A client that sends the key (and, when given, the address a trusted proxy says the call came from).</summary>
    public static HttpClient With(this SwitchboardHost host, string key, string? forwardedFor = null)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        if (forwardedFor is not null) client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return client;
    }

    public static async Task<string> DetailAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        return JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString()!;
    }
}
