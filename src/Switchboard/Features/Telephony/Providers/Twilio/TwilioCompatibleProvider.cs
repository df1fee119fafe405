using Switchboard.Features.Calls;

namespace Switchboard.Features.Telephony.Providers.Twilio;

/// <summary>
/// A provider that speaks Twilio's protocol: the 2010-04-01 Calls REST API, signed form callbacks and TwiML.
/// Twilio itself and SignalWire's compatibility API differ only in credentials and in which secret signs callbacks.
/// </summary>
public abstract class TwilioCompatibleProvider(TwilioRestClient rest, PublicUrls urls) : ITelephonyProvider
{
    public abstract ProviderSchema Schema { get; }

    /// <summary>Where and as whom to call the REST API.</summary>
    protected abstract TelephonyApiCredentials ApiCredentials(ProviderCredentials credentials);

    /// <summary>The secret callbacks are signed with; null when not set.</summary>
    protected abstract string? SigningKey(ProviderCredentials credentials);

    protected abstract string? Signature(IHeaderDictionary headers);

    /// <summary>The agent's phone first; answering it fetches the "connect" TwiML that dials the lead.</summary>
    public async Task<string> PlaceCallAsync(Call call, ProviderCredentials credentials, string? agentPhone, CancellationToken ct)
    {
        var resource = await rest.CreateCallAsync(ApiCredentials(credentials), new OutboundCall(
            agentPhone ?? throw new InvalidOperationException("The agent has no phone number."),
            call.FromNumber,
            urls.Webhook(Schema.Name, call.TenantId, "connect", $"callId={call.Id}"),
            urls.Webhook(Schema.Name, call.TenantId, "status"),
            urls.Webhook(Schema.Name, call.TenantId, "recording")), ct);
        return resource.Sid;
    }

    public async Task HangUpAsync(Call call, ProviderCredentials credentials, CancellationToken ct) =>
        await rest.HangUpAsync(ApiCredentials(credentials), call.ProviderCallId ?? throw new InvalidOperationException("The call has no provider id."), ct);

    public Task DeleteRecordingAsync(string recordingUrl, ProviderCredentials credentials, CancellationToken ct) =>
        rest.DeleteRecordingAsync(ApiCredentials(credentials), TwilioRestClient.RecordingSid(recordingUrl), ct);

    public Task<WebhookCheck> VerifyAsync(HttpRequest request, string signedUrl, ProviderCredentials credentials, CancellationToken ct) =>
        TwilioWebhookCheck.VerifyAsync(request, signedUrl, SigningKey(credentials), Signature(request.Headers), ct);

    public ProviderCallback Read(IReadOnlyList<KeyValuePair<string, string>> fields) => TwilioCallbackForm.Parse(fields).ToCallback();

    public IResult Answer(CallAnswer answer) => TwiML.Of(answer).ToResult();
}
