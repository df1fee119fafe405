using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Switchboard.Features.Telephony.Providers.Twilio;

/// <summary>Twilio: REST calls with the account's SID and auth token; callbacks are signed with the auth token.</summary>
public sealed class TwilioProvider(TwilioRestClient rest, PublicUrls urls) : TwilioCompatibleProvider(rest, urls)
{
    public const string ProviderName = "twilio";

    public static readonly ProviderSchema Definition = new(ProviderName, "Twilio", "Place and receive calls through your Twilio account.",
        "In the Twilio console, open your phone number and set \"A call comes in\" to this URL, method HTTP POST.",
        [
            new("accountSid", "Account SID", Hint: "Starts with AC; on your Twilio console's dashboard."),
            ProviderField.CallerId,
            new("apiBaseUrl", "API base URL", ProviderFieldKind.Url, "Leave empty to use Twilio's own API."),
        ],
        [new("authToken", "Auth token")],
        ["accountSid", "authToken", "callerId"]);

    public override ProviderSchema Schema => Definition;

    protected override TelephonyApiCredentials ApiCredentials(ProviderCredentials credentials) => TelephonyApiCredentials.Twilio(
        credentials.Setting("accountSid")!, credentials.Secret("authToken")!,
        credentials.Setting("apiBaseUrl") is { } baseUrl ? new Uri(baseUrl) : null);

    protected override string? SigningKey(ProviderCredentials credentials) => credentials.Secret("authToken");

    protected override string? Signature(IHeaderDictionary headers) => headers[TwilioSignature.HeaderName].ToString();
}

public static class TwilioRegistration
{
    public static IServiceCollection AddTwilioProvider(this IServiceCollection services)
    {
        TwilioRestClient.Register(services);
        return services.AddTelephonyProvider<TwilioProvider>(TwilioProvider.ProviderName);
    }
}
