using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using Switchboard.Tests.Features.Calls;

namespace Switchboard.Tests.Features.Ai;

/// <summary>The steps the analysis tests share: a call to analyse, waiting for its analysis, what it created.</summary>
internal static class AnalysisSteps
{
    /// <summary>A click-to-call the agent placed to a lead of theirs, answered and ended.</summary>
    public static async Task<(Guid Lead, Guid CallId, string Sid)> PlacedCallAsync(CallingHost host)
    {
        var lead = await host.LeadAsync(extra: new { firstName = "Dana", timeZone = "America/New_York" });
        var (callId, sid) = await host.PlaceCallAsync(lead);
        (await host.PostSignedAsync(host.Webhook("status"), CallingHost.Status(sid, "completed", 2, duration: "16"))).EnsureSuccessStatusCode();
        return (lead, callId, sid);
    }

    public static Task<JsonElement> AnalysedAsync(HttpClient client, Guid callId, int runs = 1) =>
        Eventually.Until(async () =>
            {
                var response = await client.GetAsync($"/api/v1/calls/{callId}/analysis");
                return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
            },
            a => a.ValueKind == JsonValueKind.Object && a.GetProperty("status").GetString() == "completed" && a.GetProperty("runs").GetInt32() >= runs,
            TimeSpan.FromSeconds(30), $"call {callId}'s analysis to complete");

    public static IEnumerable<Guid> CreatedItems(JsonElement analysis) =>
        analysis.GetProperty("actionItems").EnumerateArray()
            .Where(i => i.GetProperty("state").GetString() == "created").Select(i => i.GetProperty("activityId").GetGuid());

    public static async Task<List<JsonElement>> TasksOfAsync(HttpClient client, Guid lead) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/activities?relatedType=lead&relatedId={lead}&pageSize=100"))
            .GetProperty("items").EnumerateArray().ToList();
}
