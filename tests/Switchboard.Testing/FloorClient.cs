using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Switchboard.Testing;

/// <summary>
/// A browser on the live floor hub, as far as the server can tell: signs in through the /signin form (cookie
/// and antiforgery token), negotiates, and speaks SignalR's JSON protocol over a WebSocket, recording every
/// "event" it is sent. Written here because the SignalR .NET client's transport package is not on our mirror;
/// the protocol is small: https://github.com/dotnet/aspnetcore/blob/main/src/SignalR/docs/specs/HubProtocol.md
/// </summary>
public sealed partial class FloorClient : IAsyncDisposable
{
    public const string HubPath = "/hubs/floor";
    private const char RecordSeparator = '\u001e';

    private readonly ClientWebSocket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<FloorEvent> _received = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Task _receiving;

    private FloorClient(ClientWebSocket socket, string afterHandshake)
    {
        _socket = socket;
        _receiving = Task.Run(() => ReceiveLoopAsync(afterHandshake));
    }

    public IReadOnlyList<FloorEvent> Received
    {
        get { lock (_received) return _received.ToList(); }
    }

    /// <summary>
    /// Signs in through the page form and returns the browser's cookies. Over https, <paramref name="trustedCertificate"/>
    /// is the one server certificate accepted (a test's self-signed one).
    /// </summary>
    public static async Task<CookieContainer> SignInAsync(Uri baseAddress, string email, string? tenantSlug = null, string password = SwitchboardHost.Password,
        X509Certificate2? trustedCertificate = null)
    {
        var cookies = new CookieContainer();
        using var http = Browser(baseAddress, cookies, trustedCertificate);
        var form = await http.GetStringAsync("/signin");
        var token = AntiforgeryToken().Match(form);
        if (!token.Success) throw new InvalidOperationException("The sign-in page has no antiforgery token.");
        var response = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email,
            ["Password"] = password,
            ["TenantSlug"] = tenantSlug ?? "",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        }));
        if (response.StatusCode != HttpStatusCode.Redirect || cookies.GetCookies(baseAddress)["switchboard"] is null)
            throw new InvalidOperationException($"Signing in as {email} failed: {(int)response.StatusCode}.");
        return cookies;
    }

    /// <summary>The status the hub's negotiate endpoint answers for these cookies (200 when a connection would be allowed).</summary>
    public static async Task<HttpStatusCode> NegotiateStatusAsync(Uri baseAddress, CookieContainer cookies, string? bearerToken = null, string? origin = null)
    {
        using var http = Browser(baseAddress, cookies);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{HubPath}/negotiate?negotiateVersion=1");
        if (bearerToken is not null) request.Headers.Authorization = new("Bearer", bearerToken);
        if (origin is not null) request.Headers.Add("Origin", origin);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>
    /// Negotiates and connects over a WebSocket (wss for an https address, accepting only <paramref name="trustedCertificate"/>
    /// if given), sending <paramref name="origin"/> as a browser would when given.
    /// </summary>
    public static async Task<FloorClient> ConnectAsync(Uri baseAddress, CookieContainer cookies, CancellationToken ct = default,
        X509Certificate2? trustedCertificate = null, string? origin = null)
    {
        using var http = Browser(baseAddress, cookies, trustedCertificate);
        var negotiate = await http.PostAsync($"{HubPath}/negotiate?negotiateVersion=1", null, ct);
        if (!negotiate.IsSuccessStatusCode) throw new InvalidOperationException($"Negotiate answered {(int)negotiate.StatusCode}.");
        using var negotiated = JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync(ct));
        var connectionToken = negotiated.RootElement.GetProperty("connectionToken").GetString();

        var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        if (trustedCertificate is not null) socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) => IsTrusted(certificate, trustedCertificate);
        if (origin is not null) socket.Options.SetRequestHeader("Origin", origin);
        var url = new UriBuilder(baseAddress) { Scheme = baseAddress.Scheme == Uri.UriSchemeHttps ? "wss" : "ws", Path = HubPath, Query = "id=" + Uri.EscapeDataString(connectionToken!) }.Uri;
        await socket.ConnectAsync(url, ct);
        await SendRecordAsync(socket, """{"protocol":"json","version":1}""", ct);
        var (handshake, rest) = await ReadHandshakeAsync(socket, ct);
        using (handshake)
        {
            if (handshake.RootElement.TryGetProperty("error", out var error))
                throw new InvalidOperationException($"Hub handshake refused: {error.GetString()}");
        }
        return new FloorClient(socket, rest);
    }

    /// <summary>The first received event matching <paramref name="match"/>, waiting up to <paramref name="timeout"/>.</summary>
    public async Task<FloorEvent> WaitForAsync(Func<FloorEvent, bool> match, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            if (Received.FirstOrDefault(match) is { } found) return found;
            if (_receiving.IsCompleted) throw new InvalidOperationException("The hub connection closed before the event arrived.");
            try
            {
                await _arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No matching event within {timeout}. Received: {string.Join(", ", Received.Select(e => e.Type))}");
            }
        }
    }

    public Task<FloorEvent> WaitForAsync(string type, TimeSpan timeout) => WaitForAsync(e => e.Type == type, timeout);

    private async Task ReceiveLoopAsync(string afterHandshake)
    {
        var pending = new StringBuilder(afterHandshake);
        var buffer = new byte[16 * 1024];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        var utf8 = Encoding.UTF8.GetDecoder(); // keeps a character split across two reads
        try
        {
            while (true)
            {
                var text = pending.ToString();
                var end = text.LastIndexOf(RecordSeparator);
                if (end >= 0)
                {
                    pending.Clear().Append(text[(end + 1)..]);
                    foreach (var record in text[..end].Split(RecordSeparator)) Handle(record);
                }
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close) return;
                pending.Append(chars, 0, utf8.GetChars(buffer, 0, result.Count, chars, 0));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Closed by DisposeAsync or by the server; WaitForAsync reports it.
        }
        finally
        {
            _arrived.Release();
        }
    }

    private void Handle(string record)
    {
        using var message = JsonDocument.Parse(record);
        var root = message.RootElement;
        // Type 1 is an invocation; pings (6) and the rest carry nothing for us.
        if (root.GetProperty("type").GetInt32() != 1 || root.GetProperty("target").GetString() != "event") return;
        var payload = root.GetProperty("arguments")[0];
        var received = new FloorEvent(payload.GetProperty("type").GetString()!, payload.GetProperty("data").Clone());
        lock (_received) _received.Add(received);
        _arrived.Release();
    }

    private static async Task<(JsonDocument Response, string Remainder)> ReadHandshakeAsync(ClientWebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[4096];
        var text = new StringBuilder();
        while (!text.ToString().Contains(RecordSeparator))
        {
            var result = await socket.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException("The hub closed the connection during the handshake.");
            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
        var all = text.ToString();
        var end = all.IndexOf(RecordSeparator);
        return (JsonDocument.Parse(all[..end]), all[(end + 1)..]);
    }

    private static Task SendRecordAsync(ClientWebSocket socket, string json, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, endOfMessage: true, ct);

    private static HttpClient Browser(Uri baseAddress, CookieContainer cookies, X509Certificate2? trustedCertificate = null)
    {
        var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        if (trustedCertificate is not null) handler.ServerCertificateCustomValidationCallback = (_, certificate, _, _) => IsTrusted(certificate, trustedCertificate);
        return new HttpClient(handler) { BaseAddress = baseAddress };
    }

    private static bool IsTrusted(X509Certificate? presented, X509Certificate2 trusted) =>
        presented is not null && presented.GetCertHashString() == trusted.Thumbprint;

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // Already gone.
            }
        }
        await _stop.CancelAsync();
        await _receiving;
        _socket.Dispose();
        _stop.Dispose();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*?value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

/// <summary>One "event" the hub sent: the type and its data, exactly as a page's script would see them.</summary>
public sealed record FloorEvent(string Type, JsonElement Data);
