using System.Diagnostics;
using System.Net;

namespace Switchboard.Features.Webhooks;

/// <summary>What one POST came to: a 2xx, 410 Gone, or a failure (another status, a timeout, a refused or failed connection).</summary>
internal sealed record SendResult(bool Delivered, bool Gone, int? Status, string? ResponseBody, string? Error, int DurationMs, string RequestHeaders);

/// <summary>
/// Sends one attempt: signs the exact body bytes with a fresh timestamp (Standard Webhooks), POSTs it with a timeout,
/// follows no redirect (a 3xx is a failure), and every connection goes through the <see cref="PrivateNetworkGuard"/>.
/// </summary>
[Singleton]
internal sealed class WebhookSender(PrivateNetworkGuard guard, IOptions<WebhookOptions> options, TimeProvider clock) : IDisposable
{
    public const int ResponseExcerptBytes = 1024;

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        ConnectCallback = guard.ConnectAsync,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = 64,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<SendResult> SendAsync(string url, IReadOnlyList<string> secrets, Guid eventId, byte[] body, CancellationToken ct)
    {
        var id = eventId.ToString();
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        var signature = WebhookSignature.Header(secrets, id, timestamp, body);
        var headers = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["content-type"] = "application/json", ["webhook-id"] = id, ["webhook-timestamp"] = timestamp.ToString(CultureInfo.InvariantCulture),
            ["webhook-signature"] = string.Join(' ', signature.Split(' ').Select(s => s[..Math.Min(s.Length, 10)] + "…")),
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("webhook-id", id);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", signature);
        request.Headers.TryAddWithoutValidation("user-agent", "Switchboard-Webhooks/1");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var excerpt = await ExcerptAsync(response, timeout.Token);
            var status = (int)response.StatusCode;
            var delivered = status is >= 200 and < 300;
            return new SendResult(delivered, response.StatusCode == HttpStatusCode.Gone, status, excerpt,
                delivered ? null : status is >= 300 and < 400 ? "Redirects are not followed." : null, Elapsed(started), headers);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new SendResult(false, false, null, null, $"No answer within {options.Value.TimeoutSeconds} s.", Elapsed(started), headers);
        }
        catch (HttpRequestException e)
        {
            var reason = e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message;
            return new SendResult(false, false, null, null, Truncate(reason), Elapsed(started), headers);
        }
    }

    private static async Task<string?> ExcerptAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[ResponseExcerptBytes];
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), ct) is var n and > 0) read += n;
        if (read == 0) return null;
        var text = Encoding.UTF8.GetString(buffer, 0, read);
        while (Encoding.UTF8.GetByteCount(text) > ResponseExcerptBytes || text.Length > ResponseExcerptBytes) text = text[..^1];
        return text;
    }

    private static int Elapsed(long started) => (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    private static string Truncate(string text) => text.Length <= 1000 ? text : text[..1000];

    public void Dispose() => _http.Dispose();
}
