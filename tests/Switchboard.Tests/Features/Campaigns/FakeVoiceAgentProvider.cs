using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Features.Ai.VoiceAgents;

namespace Switchboard.Tests.Features.Campaigns;

/// <summary>
/// A local stand-in for a voice-agent provider's outbound-call API on 127.0.0.1 (CallFluent's shape:
/// <c>POST {base}/v1/calls</c> with a Bearer key, snake_case body, answer <c>{"call_id"}</c>). It records every request,
/// answers with a fresh call id, and then — as the real provider does when its agent hangs up — posts the signed
/// "call completed" report, echoing the metadata, to the <c>webhook_url</c> the request gave. <see cref="MaxInFlight"/>
/// is the most calls it had placed and not yet reported at any moment, to check the campaign's concurrency limit.
/// </summary>
public sealed class FakeVoiceAgentProvider : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<JsonObject> received = new();
    private readonly ConcurrentQueue<(string CallId, int Status)> reported = new();
    private readonly HttpClient reporter = new();
    private int inFlight;
    private int maxInFlight;

    private FakeVoiceAgentProvider(WebApplication app, string secret)
    {
        this.app = app;
        Secret = secret;
    }

    public string Secret { get; }
    public const string ApiKey = "fake-provider-api-key";
    public Uri BaseUrl { get; private set; } = null!;
    public IReadOnlyList<JsonObject> Received => [.. received];
    public IReadOnlyList<(string CallId, int Status)> Reported => [.. reported];
    public int MaxInFlight => Volatile.Read(ref maxInFlight);
    public List<string?> Authorizations { get; } = [];

    /// <summary>The outcome the agent reports for a call to this number (connected unless the test says otherwise).</summary>
    public Func<string, string> Outcome { get; set; } = _ => "connected";

    public static async Task<FakeVoiceAgentProvider> StartAsync(string secret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakeVoiceAgentProvider(builder.Build(), secret);
        fake.app.MapPost("/v1/calls", (Delegate)fake.PlaceAsync);
        await fake.app.StartAsync();
        fake.BaseUrl = new Uri(fake.app.Urls.First());
        return fake;
    }

    private async Task<IResult> PlaceAsync(HttpContext http)
    {
        lock (Authorizations) Authorizations.Add(http.Request.Headers.Authorization.ToString());
        if (http.Request.Headers.Authorization != $"Bearer {ApiKey}") return Results.Json(new { error = "unauthorised" }, statusCode: 401);
        var body = (JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync()) as JsonObject)!;
        body["idempotency_key"] = http.Request.Headers["Idempotency-Key"].ToString();
        received.Enqueue(body);
        var now = Interlocked.Increment(ref inFlight);
        int seen;
        while ((seen = Volatile.Read(ref maxInFlight)) < now && Interlocked.CompareExchange(ref maxInFlight, now, seen) != seen) { }
        var callId = "cf-" + Guid.NewGuid().ToString("N")[..12];
        // The agent's call "ends" a moment later: the report goes out after this answer.
        _ = Task.Run(() => ReportAsync(callId, body));
        return Results.Json(new { call_id = callId, status = "queued" });
    }

    private async Task ReportAsync(string callId, JsonObject request)
    {
        // The agent talks for a while: a campaign that ignored its concurrency limit would place more calls meanwhile.
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var to = request["phone_number"]!.GetValue<string>();
        var report = new JsonObject
        {
            ["event"] = "call.completed", ["callId"] = callId, ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"), ["direction"] = "outbound",
            ["from"] = "+14155550100", ["to"] = to, ["startedAt"] = DateTimeOffset.UtcNow.AddSeconds(-30).ToString("O"), ["durationSeconds"] = 30,
            ["outcome"] = Outcome(to), ["transcript"] = "Agent: Hello, this is a test call.",
            ["metadata"] = request["metadata"]!.DeepClone(),
        };
        var bytes = Encoding.UTF8.GetBytes(report.ToJsonString());
        using var message = new HttpRequestMessage(HttpMethod.Post, request["webhook_url"]!.GetValue<string>()) { Content = new ByteArrayContent(bytes) };
        message.Content.Headers.ContentType = new("application/json");
        message.Headers.Add(VoiceAgentWebhook.SignatureHeader, VoiceAgentWebhook.Sign(Secret, bytes));
        Interlocked.Decrement(ref inFlight);
        using var response = await reporter.SendAsync(message);
        reported.Enqueue((callId, (int)response.StatusCode));
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        reporter.Dispose();
    }
}
