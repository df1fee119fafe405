using Switchboard.Features.Calls;

namespace Switchboard.Features.Telephony;

/// <summary>
/// One telephony provider: everything that differs between Twilio, SignalWire and the Simulator lives behind
/// this, in the provider's own folder under <c>Providers/</c>. Callers resolve a provider by name from
/// <see cref="TelephonyProviders"/> and never branch on its name.
/// </summary>
public interface ITelephonyProvider
{
    /// <summary>The name in URLs, settings and call rows ("twilio"); also the provider's key in the registry.</summary>
    string Name => Schema.Name;

    /// <summary>Its settings and secrets, their validation, and how the settings page shows them.</summary>
    ProviderSchema Schema { get; }

    /// <summary>
    /// Starts an outbound click-to-call (the agent's phone first, then the lead) and returns the provider's id of
    /// the call. Anything the provider queues on the scope's unit of work is saved with the call by the caller.
    /// Throws <see cref="TelephonyApiException"/> when the provider refuses.
    /// </summary>
    Task<string> PlaceCallAsync(Call call, ProviderCredentials credentials, string? agentPhone, CancellationToken ct);

    /// <summary>Ends a live call; the end state then arrives through the provider's callbacks.</summary>
    Task HangUpAsync(Call call, ProviderCredentials credentials, CancellationToken ct);

    /// <summary>
    /// Deletes a call's recording and its media at the provider (retention, ADR 0071), given the recording URL its
    /// callback reported. A recording that is already gone counts as deleted. Throws <see cref="TelephonyApiException"/>
    /// when the provider refuses.
    /// </summary>
    Task DeleteRecordingAsync(string recordingUrl, ProviderCredentials credentials, CancellationToken ct);

    /// <summary>Checks a callback's signature over <paramref name="signedUrl"/> and its body, reading the body.</summary>
    Task<WebhookCheck> VerifyAsync(HttpRequest request, string signedUrl, ProviderCredentials credentials, CancellationToken ct);

    /// <summary>Reads a verified callback's fields into the one shape the calling code works with.</summary>
    ProviderCallback Read(IReadOnlyList<KeyValuePair<string, string>> fields);

    /// <summary>Writes an answer the provider is waiting for (TwiML or its equivalent).</summary>
    IResult Answer(CallAnswer answer);
}

/// <summary>The outcome of checking a callback's signature.</summary>
public abstract record WebhookCheck
{
    /// <summary>Signed correctly; <see cref="Fields"/> are the form fields received (empty for a JSON body).</summary>
    public sealed record Valid(IReadOnlyList<KeyValuePair<string, string>> Fields) : WebhookCheck;

    /// <summary>A bad or missing signature; <see cref="HadSignature"/> tells which, for the audit row.</summary>
    public sealed record Invalid(bool HadSignature) : WebhookCheck;

    /// <summary>The tenant has not set the secret this provider's callbacks are signed with.</summary>
    public sealed record NotConfigured : WebhookCheck;
}
