using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Switchboard.Features.Calls;

namespace Switchboard.Features.Telephony.Providers.Twilio;

/// <summary>
/// Where and as whom to call a Twilio-compatible REST API (api.twilio.com, or SignalWire's LaML endpoint).
/// The username is also the account id in the URL path: Twilio's Account SID, SignalWire's Project ID.
/// </summary>
public sealed record TelephonyApiCredentials(Uri BaseUrl, string Username, string Password)
{
    public string DisplayName { get; init; } = "The telephony provider";

    public static TelephonyApiCredentials Twilio(string accountSid, string authToken, Uri? apiBaseUrl = null) =>
        new(apiBaseUrl ?? new Uri("https://api.twilio.com"), accountSid, authToken) { DisplayName = "Twilio" };

    public static TelephonyApiCredentials SignalWire(string space, string projectId, string apiToken) =>
        new(new Uri($"https://{space}.signalwire.com/api/laml"), projectId, apiToken) { DisplayName = "SignalWire" };

    // A record prints every property by default; the password must never reach a log line.
    public override string ToString() => $"{DisplayName} at {BaseUrl} as {Username}";
}

public enum AnsweringMachineDetection { Enable, DetectMessageEnd }

/// <summary>An outbound call: Twilio fetches <see cref="TwimlUrl"/> when the callee answers.</summary>
public sealed record OutboundCall(string To, string From, Uri TwimlUrl, Uri StatusCallback, Uri RecordingStatusCallback)
{
    public bool Record { get; init; } = true;
    public int? RingTimeoutSeconds { get; init; }
    public AnsweringMachineDetection? MachineDetection { get; init; }
}

/// <summary>The parts of Twilio's Call resource the dialer needs.</summary>
public sealed record CallResource(string Sid, string Status, string? AccountSid, string? To, string? From, string? Direction);

/// <summary>
/// Twilio's 2010-04-01 Calls and Recordings API, spoken by hand (see ADR 0016 for why not the Twilio SDK). SignalWire's compatibility API
/// serves the same paths under /api/laml, so one client serves both; credentials come per call because they
/// belong to the tenant.
/// Retries: reads, the hang-up (setting Status=completed twice ends the same call once) and deleting a recording retry
/// on connection failures, timeouts, 429 and 5xx. Creating a call retries only when the request provably never reached the
/// provider (DNS, TCP connect or TLS failure) or was refused with 429; a timeout, a dropped response or a 5xx
/// leaves us not knowing whether the provider placed the call, and a blind retry would ring the lead twice.
/// </summary>
public sealed partial class TwilioRestClient
{
    public const string HttpClientName = "telephony";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly string[] StatusEvents = ["initiated", "ringing", "answered", "completed"];

    private readonly IHttpClientFactory httpClientFactory;
    private readonly TimeSpan attemptTimeout;
    private readonly ResiliencePipeline<HttpResponseMessage> repeatable;
    private readonly ResiliencePipeline<HttpResponseMessage> callCreation;

    /// <summary>The client and its HTTP client, whose connections go through the private-network guard (the API URL is the tenant's choice).</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName).WithPrivateNetworkGuard();
        services.TryAddSingleton<TwilioRestClient>();
    }

    public TwilioRestClient(IHttpClientFactory httpClientFactory)
        : this(httpClientFactory, attemptTimeout: TimeSpan.FromSeconds(15), retryDelay: TimeSpan.FromMilliseconds(500)) { }

    /// <summary>Tests shorten the waits; production uses the public constructor.</summary>
    internal TwilioRestClient(IHttpClientFactory httpClientFactory, TimeSpan attemptTimeout, TimeSpan retryDelay)
    {
        this.httpClientFactory = httpClientFactory;
        this.attemptTimeout = attemptTimeout;
        repeatable = Pipeline(retryDelay, attemptTimeout, outcome => outcome switch
        {
            { Exception: HttpRequestException e } => !Refused(e, out _),
            { Exception: TimeoutRejectedException } => true,
            { Result.StatusCode: var status } => (int)status >= 500 || status == HttpStatusCode.TooManyRequests,
            _ => false,
        });
        callCreation = Pipeline(retryDelay, attemptTimeout, outcome => outcome switch
        {
            { Exception: HttpRequestException e } => NeverReachedServer(e) && !Refused(e, out _),
            { Result.StatusCode: HttpStatusCode.TooManyRequests } => true,
            _ => false,
        });
    }

    public async Task<CallResource> CreateCallAsync(TelephonyApiCredentials credentials, OutboundCall call, CancellationToken ct)
    {
        List<KeyValuePair<string, string>> form =
        [
            new("To", call.To),
            new("From", call.From),
            new("Url", call.TwimlUrl.AbsoluteUri),
            new("StatusCallback", call.StatusCallback.AbsoluteUri),
            new("StatusCallbackMethod", "POST"),
            .. StatusEvents.Select(e => new KeyValuePair<string, string>("StatusCallbackEvent", e)),
            new("RecordingStatusCallback", call.RecordingStatusCallback.AbsoluteUri),
        ];
        if (call.Record) form.Add(new("Record", "true"));
        if (call.RingTimeoutSeconds is { } timeout) form.Add(new("Timeout", timeout.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (call.MachineDetection is { } amd) form.Add(new("MachineDetection", amd.ToString()));

        return ParseCall(credentials, await SendAsync(credentials, HttpMethod.Post, CallsPath(credentials), form, callCreation, createsCall: true, ct));
    }

    /// <summary>Ends the call whatever its state; repeating it is harmless, so it is retried.</summary>
    public async Task<CallResource> HangUpAsync(TelephonyApiCredentials credentials, string callSid, CancellationToken ct) =>
        ParseCall(credentials, await SendAsync(credentials, HttpMethod.Post, ResourcePath(credentials, "Calls", callSid), [new("Status", "completed")], repeatable, createsCall: false, ct));

    public async Task<CallResource> GetCallAsync(TelephonyApiCredentials credentials, string callSid, CancellationToken ct) =>
        ParseCall(credentials, await SendAsync(credentials, HttpMethod.Get, ResourcePath(credentials, "Calls", callSid), form: null, repeatable, createsCall: false, ct));

    /// <summary>
    /// Deletes a recording and its media (Twilio answers 204). One already gone (404) counts as deleted, so repeating it
    /// is harmless and it is retried like a read.
    /// </summary>
    public async Task DeleteRecordingAsync(TelephonyApiCredentials credentials, string recordingSid, CancellationToken ct) =>
        await SendAsync(credentials, HttpMethod.Delete, ResourcePath(credentials, "Recordings", recordingSid), form: null, repeatable, createsCall: false, ct,
            goneIsDone: true);

    /// <summary>
    /// The recording's sid in a RecordingUrl a callback reported (<c>…/Accounts/{account}/Recordings/{sid}</c>, with or
    /// without a media extension such as <c>.mp3</c>). Only the sid is taken: a request about the recording goes to the
    /// tenant's own API base URL and account, never to the URL as stored.
    /// </summary>
    public static string RecordingSid(string recordingUrl)
    {
        if (Uri.TryCreate(recordingUrl, UriKind.Absolute, out var uri)
            && uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) is [.., "Recordings", var last]
            && last.Split('.')[0] is var sid && SidPattern().IsMatch(sid))
            return sid;
        throw new TelephonyApiException($"The recording URL {recordingUrl} does not end in /Recordings/{{sid}} as Twilio's API does.", TelephonyFailure.Rejected);
    }

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex SidPattern();

    private static string AccountPath(TelephonyApiCredentials c) =>
        $"{c.BaseUrl.AbsoluteUri.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(c.Username)}";

    private static string CallsPath(TelephonyApiCredentials c) => $"{AccountPath(c)}/Calls.json";

    /// <summary>One resource of the account: a call (<c>Calls</c>) or a recording (<c>Recordings</c>).</summary>
    private static string ResourcePath(TelephonyApiCredentials c, string collection, string sid)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sid);
        return $"{AccountPath(c)}/{collection}/{Uri.EscapeDataString(sid)}.json";
    }

    /// <summary>Sends the request and returns the success body; with <paramref name="goneIsDone"/>, a 404 is a success with no body.</summary>
    private async Task<string> SendAsync(
        TelephonyApiCredentials credentials, HttpMethod method, string url, IReadOnlyList<KeyValuePair<string, string>>? form,
        ResiliencePipeline<HttpResponseMessage> pipeline, bool createsCall, CancellationToken ct, bool goneIsDone = false)
    {
        var http = httpClientFactory.CreateClient(HttpClientName);
        var auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));
        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(async token =>
            {
                // A request message can be sent only once, so every attempt builds its own.
                using var request = new HttpRequestMessage(method, url);
                request.Headers.Authorization = auth;
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                if (form is not null) request.Content = new FormUrlEncodedContent(form);
                return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token);
            }, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or TimeoutRejectedException or OperationCanceledException)
        {
            throw TransportFailure(credentials, e, createsCall);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.IsSuccessStatusCode) return body;
            if (goneIsDone && response.StatusCode == HttpStatusCode.NotFound) return "";
            throw ProviderFailure(credentials, response.StatusCode, body, createsCall);
        }
    }

    private TelephonyApiException TransportFailure(TelephonyApiCredentials credentials, Exception e, bool createsCall)
    {
        if (e is HttpRequestException refused && Refused(refused, out var reason))
            return new($"{credentials.DisplayName} was not called: {reason}", TelephonyFailure.Rejected, inner: e);
        if (e is HttpRequestException http && NeverReachedServer(http))
            return new($"{credentials.DisplayName} could not be reached ({http.HttpRequestError}).", TelephonyFailure.Unreachable, inner: e);
        if (createsCall)
            return new($"{credentials.DisplayName} did not answer the call request within {attemptTimeout.TotalSeconds:0.#}s or dropped the connection; "
                + "the call may or may not have been placed, so it was not retried.", TelephonyFailure.OutcomeUnknown, inner: e);
        return new($"{credentials.DisplayName} did not answer in time after retries.", TelephonyFailure.Unreachable, inner: e);
    }

    private static TelephonyApiException ProviderFailure(TelephonyApiCredentials credentials, HttpStatusCode status, string body, bool createsCall)
    {
        var error = TryParse<ErrorBody>(body);
        var code = (int)status;
        var failure = status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => TelephonyFailure.AuthenticationFailed,
            HttpStatusCode.TooManyRequests => TelephonyFailure.RateLimited,
            _ when code >= 500 => createsCall ? TelephonyFailure.OutcomeUnknown : TelephonyFailure.ProviderError,
            _ => TelephonyFailure.Rejected,
        };
        var message = new StringBuilder($"{credentials.DisplayName} answered HTTP {code}");
        if (error?.Code is { } providerCode) message.Append($", error {providerCode}");
        message.Append(": ").Append(string.IsNullOrWhiteSpace(error?.Message) ? status.ToString() : error.Message.Trim());
        if (!message.ToString().EndsWith('.')) message.Append('.');
        if (error?.MoreInfo is { Length: > 0 } more) message.Append(" See ").Append(more);
        return new(Redact(message.ToString(), credentials), failure, code, error?.Code, error?.MoreInfo);
    }

    private static CallResource ParseCall(TelephonyApiCredentials credentials, string body) =>
        TryParse<CallResource>(body) is { Sid.Length: > 0, Status.Length: > 0 } call
            ? call
            : throw new TelephonyApiException($"{credentials.DisplayName} answered success without a call sid and status.", TelephonyFailure.ProviderError);

    private static T? TryParse<T>(string body) where T : class
    {
        try { return JsonSerializer.Deserialize<T>(body, Json); }
        catch (JsonException) { return null; }
    }

    // Provider messages never contain our secret today; this keeps it that way if one ever echoes a request.
    private static string Redact(string text, TelephonyApiCredentials credentials) =>
        credentials.Password.Length > 0 ? text.Replace(credentials.Password, "[redacted]", StringComparison.Ordinal) : text;

    /// <summary>The private-network guard refused the connection (the API URL points at a private or metadata address).</summary>
    private static bool Refused(HttpRequestException e, out string reason)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is RefusedAddressException refused)
            {
                reason = refused.Message;
                return true;
            }
        reason = "";
        return false;
    }

    private static bool NeverReachedServer(HttpRequestException e) => e.HttpRequestError is
        HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError;

    private static ResiliencePipeline<HttpResponseMessage> Pipeline(TimeSpan delay, TimeSpan attemptTimeout, Func<Polly.Outcome<HttpResponseMessage>, bool> shouldRetry) =>
        new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = 3,
                Delay = delay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(shouldRetry(args.Outcome)),
            })
            .AddTimeout(attemptTimeout)
            .Build();

    private sealed record ErrorBody(int? Code, string? Message, string? MoreInfo, int? Status);
}
