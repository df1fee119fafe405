using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Switchboard.Features.Ai.VoiceAgents;

/// <summary>What to ask a provider's agent to do: call this number, with our ids to echo back in its report.</summary>
public sealed record OutboundCallRequest(string AgentId, string To, string? Prompt, VoiceAgentMetadata Metadata, Uri CallbackUrl, string IdempotencyKey);

/// <summary>The provider's answer: its call id, or why the call was not placed.</summary>
public sealed record OutboundCallResult(string? ProviderCallId, string? Error);

/// <summary>
/// Triggers an outbound AI call through a voice-agent provider's API (call campaigns, ADR 0061): one small request
/// shape per provider, to the base URL set on the tenant's integration, over a client whose every connection goes
/// through the <see cref="PrivateNetworkGuard"/>. The request carries Switchboard's metadata and the URL of the
/// existing report webhook, so the call comes back through it; the recipient id is the idempotency key, so a retried
/// request does not place a second call at a provider that honours it.
/// </summary>
[Scoped]
public sealed class VoiceAgentOutboundCalls(IHttpClientFactory http)
{
    public const string HttpClientName = "voice-agent-outbound";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static void Register(IServiceCollection services) =>
        services.AddHttpClient(HttpClientName, c => c.Timeout = Timeout).WithPrivateNetworkGuard()
            .ConfigureHttpClient(c => c.DefaultRequestHeaders.UserAgent.ParseAdd("Switchboard-Campaigns/1"));

    public async Task<OutboundCallResult> TriggerAsync(VoiceAgentOutbound api, OutboundCallRequest call, CancellationToken ct)
    {
        using var request = api.Provider switch
        {
            // CallFluent: POST {base}/v1/calls, Bearer key, snake_case body; answers {"call_id": "..."}.
            VoiceAgentProviders.CallFluent => Json(HttpMethod.Post, Url(api.BaseUrl, "v1/calls"), new JsonObject
            {
                ["agent_id"] = call.AgentId, ["phone_number"] = call.To, ["prompt"] = call.Prompt,
                ["metadata"] = Metadata(call.Metadata), ["webhook_url"] = call.CallbackUrl.ToString(),
            }, r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", api.ApiKey)),
            // Thoughtly: POST {base}/v1/agents/{agent}/calls, x-api-token header, camelCase body; answers {"id": "..."}.
            VoiceAgentProviders.Thoughtly => Json(HttpMethod.Post, Url(api.BaseUrl, $"v1/agents/{Uri.EscapeDataString(call.AgentId)}/calls"), new JsonObject
            {
                ["phoneNumber"] = call.To, ["script"] = call.Prompt, ["metadata"] = Metadata(call.Metadata), ["webhookUrl"] = call.CallbackUrl.ToString(),
            }, r => r.Headers.Add("x-api-token", api.ApiKey)),
            _ => throw new InvalidOperationException($"No outbound client for '{api.Provider}'."),
        };
        request.Headers.Add("Idempotency-Key", call.IdempotencyKey);
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode) return new OutboundCallResult(null, $"{VoiceAgentProviders.Label(api.Provider)} answered {(int)response.StatusCode}: {Excerpt(text)}");
            var body = JsonNode.Parse(text) as JsonObject;
            var id = (body?["call_id"] ?? body?["id"])?.ToString();
            return id is { Length: > 0 } ? new OutboundCallResult(id, null) : new OutboundCallResult(null, "The provider's answer carried no call id.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or RefusedAddressException && !ct.IsCancellationRequested)
        {
            return new OutboundCallResult(null, $"{VoiceAgentProviders.Label(api.Provider)} could not be reached: {e.GetBaseException().Message}");
        }
    }

    private static Uri Url(Uri baseUrl, string path) => new(new Uri(baseUrl.ToString().TrimEnd('/') + "/"), path);

    private static JsonObject Metadata(VoiceAgentMetadata m) => new()
    {
        ["campaignId"] = m.CampaignId?.ToString(), ["recipientId"] = m.RecipientId?.ToString(),
        ["leadId"] = m.LeadId?.ToString(), ["contactId"] = m.ContactId?.ToString(),
    };

    private static HttpRequestMessage Json(HttpMethod method, Uri url, JsonObject body, Action<HttpRequestMessage> authorise)
    {
        var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
        authorise(request);
        return request;
    }

    private static string Excerpt(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
