using System.Text;
using System.Text.Json;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Switchboard.Tests.Features.Webhooks;

/// <summary>
/// A local webhook endpoint on 127.0.0.1 (Kestrel, a random port) that records every request (headers and the exact
/// body bytes) and answers as the test tells it: 200, an error status, 410 Gone, a redirect, or down (the connection
/// is dropped without an answer).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<Received> received = new();

    public sealed record Received(string Path, string? Id, string? Timestamp, string? Signature, byte[] Body, DateTimeOffset At)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
        public string Type => Json.GetProperty("type").GetString()!;
    }

    /// <summary>How the receiver answers: a status code, or <see cref="Down"/>.</summary>
    public int Status { get; set; } = 200;
    public const int Down = -1;

    /// <summary>Where a 3xx answer points.</summary>
    public string? RedirectTo { get; set; }

    /// <summary>Awaited before answering the n-th request (1-based), when set: a slow endpoint, or one held until the test releases it.</summary>
    public Func<int, Task>? Hold { get; set; }

    private int arrived;

    private WebhookReceiver(WebApplication app) => this.app = app;

    public Uri BaseUrl { get; private set; } = null!;
    public string Url(string path = "/hook") => new Uri(BaseUrl, path).AbsoluteUri;
    public IReadOnlyList<Received> All => [.. received];
    public IReadOnlyList<Received> On(string path) => received.Where(r => r.Path == path).ToList();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = new WebhookReceiver(builder.Build());
        receiver.app.Run(receiver.HandleAsync);
        await receiver.app.StartAsync();
        receiver.BaseUrl = new Uri(receiver.app.Urls.Single());
        return receiver;
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        if (Hold is { } hold) await hold(Interlocked.Increment(ref arrived));
        var status = Status;
        if (status == Down)
        {
            http.Abort();
            return;
        }
        var headers = http.Request.Headers;
        received.Enqueue(new Received(http.Request.Path, headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"], buffer.ToArray(),
            DateTimeOffset.UtcNow));
        http.Response.StatusCode = status;
        if (status is >= 300 and < 400 && RedirectTo is not null) http.Response.Headers.Location = RedirectTo;
        await http.Response.WriteAsync(status is >= 200 and < 300 ? "ok" : $"answered {status}");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
