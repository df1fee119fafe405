using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Switchboard.Tests.Features.Telephony;

/// <summary>
/// A local stand-in for api.twilio.com (and SignalWire's /api/laml mirror of it) on 127.0.0.1 with a random
/// port. It speaks the real wire protocol — Basic auth, form-encoded bodies, Twilio-shaped JSON and error
/// bodies — and records every request so tests can assert exactly what our client sent.
/// Faults can be scripted per request to exercise the retry rules.
/// </summary>
public sealed class FakeTwilioServer : IAsyncDisposable
{
    public const string AccountSid = "AC00000000000000000000000000000001";
    public const string AuthToken = "fake-auth-token-0123456789";

    private readonly WebApplication app;
    private readonly ConcurrentQueue<Fault> faults = new();
    private readonly ConcurrentQueue<ReceivedRequest> received = new();
    private readonly ConcurrentDictionary<string, string> callStatuses = new();
    private readonly ConcurrentDictionary<string, byte> recordings = new();

    public sealed record ReceivedRequest(string Method, string Path, string? Authorization, string? ContentType, IReadOnlyList<KeyValuePair<string, string>> Form)
    {
        public IReadOnlyList<string> Values(string key) => Form.Where(p => p.Key == key).Select(p => p.Value).ToList();
    }

    /// <summary>What the next request gets instead of normal handling.</summary>
    public abstract record Fault;
    public sealed record Status(int Code, int TwilioCode, string Message) : Fault;
    public sealed record DropConnection : Fault;
    public sealed record Stall : Fault;

    private FakeTwilioServer(WebApplication app) => this.app = app;

    public Uri BaseUrl { get; private set; } = null!;
    public IReadOnlyList<ReceivedRequest> Received => [.. received];

    public static async Task<FakeTwilioServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new FakeTwilioServer(builder.Build());
        server.Map("/2010-04-01");
        server.Map("/api/laml/2010-04-01"); // SignalWire's compatibility API mounts the same paths here
        await server.app.StartAsync();
        var address = server.app.Urls.Single(); // the port Kestrel actually bound
        server.BaseUrl = new Uri(address);
        return server;
    }

    public void Enqueue(Fault fault) => faults.Enqueue(fault);

    /// <summary>Waits (up to 30 s) until the server has recorded at least this many requests.</summary>
    public async Task WaitForRequestsAsync(int count)
    {
        for (var waited = TimeSpan.Zero; received.Count < count && waited < TimeSpan.FromSeconds(30); waited += TimeSpan.FromMilliseconds(20))
            await Task.Delay(20);
    }

    private void Map(string prefix)
    {
        app.MapPost(prefix + "/Accounts/{account}/Calls.json", (HttpContext http, string account) => Handle(http, account, CreateCall));
        app.MapPost(prefix + "/Accounts/{account}/Calls/{sid}.json", (HttpContext http, string account, string sid) => Handle(http, account, form => UpdateCall(sid, form)));
        app.MapGet(prefix + "/Accounts/{account}/Calls/{sid}.json", (HttpContext http, string account, string sid) => Handle(http, account, _ => FetchCall(sid)));
        app.MapDelete(prefix + "/Accounts/{account}/Recordings/{sid}.json", (HttpContext http, string account, string sid) => Handle(http, account, _ => DeleteRecording(sid)));
    }

    private async Task Handle(HttpContext http, string account, Func<IReadOnlyList<KeyValuePair<string, string>>, (int Status, string Json)> respond)
    {
        var form = http.Request.HasFormContentType
            ? (await http.Request.ReadFormAsync()).SelectMany(f => f.Value.Select(v => KeyValuePair.Create(f.Key, v ?? ""))).ToList()
            : [];
        received.Enqueue(new(http.Request.Method, http.Request.Path, http.Request.Headers.Authorization.ToString(), http.Request.ContentType, form));

        if (faults.TryDequeue(out var fault))
        {
            switch (fault)
            {
                case DropConnection:
                    http.Abort(); // the request arrived; the client never learns what happened
                    return;
                case Stall:
                    await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { });
                    return;
                case Status s:
                    await Write(http, s.Code, Error(s.TwilioCode, s.Message, s.Code));
                    return;
            }
        }

        if (!IsAuthorized(http.Request.Headers.Authorization.ToString(), account))
        {
            await Write(http, 401, Error(20003, "Authenticate", 401));
            return;
        }
        var (status, json) = respond(form);
        await Write(http, status, json);
    }

    private static bool IsAuthorized(string header, string account)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}"));
        return header == expected && account == AccountSid;
    }

    private (int, string) CreateCall(IReadOnlyList<KeyValuePair<string, string>> form)
    {
        var to = form.FirstOrDefault(p => p.Key == "To").Value;
        var from = form.FirstOrDefault(p => p.Key == "From").Value;
        if (string.IsNullOrEmpty(to) || !to.StartsWith('+') || to.Length < 8 || !to[1..].All(char.IsAsciiDigit))
            return (400, Error(21211, $"The 'To' number {to} is not a valid phone number.", 400));
        if (string.IsNullOrEmpty(from))
            return (400, Error(21213, "No 'From' number is specified", 400));
        var sid = "CA" + Guid.NewGuid().ToString("N");
        callStatuses[sid] = "queued";
        return (201, Call(sid, "queued", to, from));
    }

    private (int, string) UpdateCall(string sid, IReadOnlyList<KeyValuePair<string, string>> form)
    {
        if (!callStatuses.ContainsKey(sid)) return (404, Error(20404, $"The requested resource /2010-04-01/Accounts/{AccountSid}/Calls/{sid}.json was not found", 404));
        var status = form.FirstOrDefault(p => p.Key == "Status").Value;
        if (status is "completed" or "canceled") callStatuses[sid] = status;
        return (200, Call(sid, callStatuses[sid], "+14155550100", "+15005550006"));
    }

    private (int, string) FetchCall(string sid) =>
        callStatuses.TryGetValue(sid, out var status)
            ? (200, Call(sid, status, "+14155550100", "+15005550006"))
            : (404, Error(20404, "The requested resource was not found", 404));

    /// <summary>Deleting a recording answers 204 with no body; one that does not exist (any more) answers Twilio's 404.</summary>
    private (int, string) DeleteRecording(string sid) =>
        recordings.TryRemove(sid, out _)
            ? (204, "")
            : (404, Error(20404, $"The requested resource /2010-04-01/Accounts/{AccountSid}/Recordings/{sid}.json was not found", 404));

    /// <summary>Lets a test start from a recording the provider holds, and returns its RecordingUrl as a callback reports it.</summary>
    public string SeedRecording(string sid)
    {
        recordings[sid] = 0;
        return $"https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Recordings/{sid}";
    }

    public bool HasRecording(string sid) => recordings.ContainsKey(sid);

    /// <summary>Lets a test start from a call that already exists on the provider.</summary>
    public void SeedCall(string sid, string status) => callStatuses[sid] = status;

    private static string Call(string sid, string status, string to, string from) => System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["sid"] = sid,
        ["account_sid"] = AccountSid,
        ["status"] = status,
        ["to"] = to,
        ["from"] = from,
        ["direction"] = "outbound-api",
        ["api_version"] = "2010-04-01",
        ["date_created"] = null,
        ["uri"] = $"/2010-04-01/Accounts/{AccountSid}/Calls/{sid}.json",
    });

    private static string Error(int code, string message, int status) => System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["code"] = code,
        ["message"] = message,
        ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
        ["status"] = status,
    });

    private static async Task Write(HttpContext http, int status, string json)
    {
        http.Response.StatusCode = status;
        if (status == 204) return;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
