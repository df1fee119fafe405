using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard.Features.Telephony.Providers.Twilio;

namespace Switchboard.Features.Telephony.Providers.SignalWire;

/// <summary>
/// SignalWire through its Twilio-compatible (LaML) API: REST calls under the space's /api/laml with the project id
/// and API token; callbacks are signed with the space's signing key, in its own header or Twilio's.
/// </summary>
public sealed class SignalWireProvider(TwilioRestClient rest, PublicUrls urls) : TwilioCompatibleProvider(rest, urls)
{
    public const string ProviderName = "signalwire";

    public static readonly ProviderSchema Definition = new(ProviderName, "SignalWire", "Place and receive calls through your SignalWire space.",
        "In your SignalWire space, open the phone number, choose LaML webhooks and set \"When a call comes in\" to this URL.",
        [
            new("spaceUrl", "Space URL", ProviderFieldKind.Url, "Such as https://example.signalwire.com."),
            new("projectId", "Project ID"),
            ProviderField.CallerId,
        ],
        [new("apiToken", "API token"), new("signingKey", "Signing key")],
        ["spaceUrl", "projectId", "apiToken", "signingKey", "callerId"]);

    public override ProviderSchema Schema => Definition;

    protected override TelephonyApiCredentials ApiCredentials(ProviderCredentials credentials) =>
        new(new Uri(credentials.Setting("spaceUrl")!.TrimEnd('/') + "/api/laml"), credentials.Setting("projectId")!, credentials.Secret("apiToken")!)
        {
            DisplayName = "SignalWire",
        };

    protected override string? SigningKey(ProviderCredentials credentials) => credentials.Secret("signingKey");

    protected override string? Signature(IHeaderDictionary headers) => SignalWireSignature.ReadSignature(headers);
}

public static class SignalWireRegistration
{
    /// <summary>Shares Twilio's REST client (<see cref="TwilioRestClient.Register"/>).</summary>
    public static IServiceCollection AddSignalWireProvider(this IServiceCollection services)
    {
        TwilioRestClient.Register(services);
        return services.AddTelephonyProvider<SignalWireProvider>(SignalWireProvider.ProviderName);
    }
}
