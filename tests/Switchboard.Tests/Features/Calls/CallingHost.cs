using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Features.Telephony;
using Switchboard.Features.Telephony.Providers.Twilio;
using Switchboard.Testing;
using Switchboard.Tests.Features.Telephony;

namespace Switchboard.Tests.Features.Calls;

/// <summary>
/// A tenant whose active provider is Twilio, pointed at a local server that speaks Twilio's REST protocol;
/// calling hours open all day; agents with their own phones. Tests post callbacks signed like Twilio's.
/// </summary>
public class CallingHost : SwitchboardHostWithTenant
{
    public FakeTwilioServer Twilio { get; private set; } = null!;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Jobs:PollSeconds"] = "0.2" };

    public override async Task InitializeAsync()
    {
        Twilio = await FakeTwilioServer.StartAsync();
        await base.InitializeAsync();
        var admin = await As("admin");
        (await admin.PutAsJsonAsync("/api/v1/telephony/providers/twilio", new
        {
            accountSid = FakeTwilioServer.AccountSid, authToken = FakeTwilioServer.AuthToken, callerId = "(212) 555-0100",
            apiBaseUrl = Twilio.BaseUrl.ToString(), active = true,
        })).EnsureSuccessStatusCode();
        (await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { callingHours = AllDay(), maxAttemptsPerDay = 50 })).EnsureSuccessStatusCode();
        foreach (var (role, phone) in new[] { ("agent", "(415) 555-0101"), ("agent2", "(415) 555-0102"), ("manager", "(415) 555-0103") })
            (await admin.PatchAsJsonAsync($"/api/v1/users/{Tenant.Users[role]}", new { phone })).EnsureSuccessStatusCode();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Twilio.DisposeAsync();
    }

    /// <summary>Every day open 00:00–23:59. The calling-hours rules themselves are covered by ComplianceRulesTests.</summary>
    public static object AllDay() => new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" }
        .ToDictionary(d => d, _ => (object?)new { start = "00:00", end = "00:00" });

    public async Task<Guid> LeadAsync(string ownerRole = "agent", string phone = "(212) 555-0150", object? extra = null)
    {
        var manager = await As("manager");
        var body = new Dictionary<string, object?> { ["lastName"] = "Prospect", ["phone"] = phone, ["ownerId"] = Tenant.Users[ownerRole] };
        if (extra is not null) foreach (var p in extra.GetType().GetProperties()) body[p.Name] = p.GetValue(extra);
        var response = await manager.PostAsJsonAsync("/api/v1/leads", body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public string Webhook(string kind, string? query = null, string provider = TwilioProvider.ProviderName, Guid? tenantId = null) =>
        new Uri(BaseAddress, $"api/v1/telephony/{provider}/{tenantId ?? Tenant.Id}/{kind}{(query is null ? "" : "?" + query)}").ToString();

    /// <summary>POSTs a form to a webhook, signed as Twilio signs it (or with the given signature).</summary>
    public async Task<HttpResponseMessage> PostSignedAsync(string url, Dictionary<string, string> form, string? signature = null, string key = FakeTwilioServer.AuthToken)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.HeaderName, signature ?? TwilioSignature.Compute(key, url, form));
        return await client.SendAsync(request);
    }

    /// <summary>Places a click-to-call as the agent and waits until the provider's id of the agent's leg (the parent call) is stored.</summary>
    public async Task<(Guid CallId, string Sid)> PlaceCallAsync(Guid lead, string role = "agent")
    {
        var caller = await As(role);
        var response = await caller.PostAsJsonAsync("/api/v1/calls", new { leadId = lead });
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Accepted);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var call = await WaitForCallAsync(caller, id, c => c.GetProperty("providerCallId").ValueKind == JsonValueKind.String);
        return (id, call.GetProperty("providerCallId").GetString()!);
    }

    /// <summary>A Twilio status callback's form; a child leg (the lead's, in click-to-call) names its parent.</summary>
    public static Dictionary<string, string> Status(string sid, string status, int sequence, string? parent = null, string? duration = null)
    {
        var form = new Dictionary<string, string> { ["CallSid"] = sid, ["AccountSid"] = FakeTwilioServer.AccountSid, ["CallStatus"] = status, ["SequenceNumber"] = sequence.ToString() };
        if (parent is not null) form["ParentCallSid"] = parent;
        if (duration is not null) form["CallDuration"] = duration;
        return form;
    }

    /// <summary>Polls the API until the predicate holds and returns that call; fails with the last call seen.</summary>
    public static Task<JsonElement> WaitForCallAsync(HttpClient client, Guid callId, Func<JsonElement, bool> until, int seconds = 20) =>
        Eventually.Until(() => client.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}"), until, TimeSpan.FromSeconds(seconds),
            $"call {callId} to reach the awaited state");
}
