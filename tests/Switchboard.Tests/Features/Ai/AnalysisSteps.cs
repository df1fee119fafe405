using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using Switchboard.Tests.Features.Calls;

namespace Switchboard.Tests.Features.Ai;

/// <summary>The steps the analysis tests share: a call to analyse, waiting for its analysis, what it created.</summary>
internal static class AnalysisSteps
{
    /// <summary>A call with speakers where the contact asks for the pricing sheet and the agent promises it by Friday.</summary>
    public static readonly object Promise = new
    {
        utterances = new object[]
        {
            new { speaker = "agent", start = 0.0, end = 4.0, text = "Hi Dana, it's Sam from Switchboard. Did you get a chance to look at the proposal?" },
            new { speaker = "contact", start = 4.5, end = 9.0, text = "I did. Can you send me the pricing sheet for fifty seats?" },
            new { speaker = "agent", start = 9.5, end = 14.0, text = "Absolutely. I'll send you the pricing sheet by Friday." },
            new { speaker = "contact", start = 14.5, end = 16.0, text = "Great, thanks." },
        },
    };

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
