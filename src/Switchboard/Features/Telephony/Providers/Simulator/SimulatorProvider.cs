using Switchboard.Features.Calls;
using Switchboard.Features.Telephony.Providers.Twilio;

namespace Switchboard.Features.Telephony.Providers.Simulator;

/// <summary>
/// Fake calls for demos and load tests (<see cref="CallSimulator"/>). It signs and posts its callbacks as Twilio
/// does, with a key it generates itself, so they are verified, read and answered like Twilio's.
/// </summary>
public sealed class SimulatorProvider(CallSimulator simulator) : ITelephonyProvider
{
    public const string ProviderName = "simulator";

    public static readonly ProviderSchema Definition = new(ProviderName, "Simulator", "Fake calls for training and demos: nobody is dialled and nothing is billed.",
        "The simulator sends its inbound calls here by itself; there is nothing to configure.",
        [
            ProviderField.CallerId,
            Rate("answerRate", "Answer rate", "Share of calls answered, 0 to 1."),
            Rate("voicemailRate", "Voicemail rate", "Share of calls going to voicemail, 0 to 1."),
            Rate("busyRate", "Busy rate", "0 to 1."),
            Rate("failRate", "Fail rate", "0 to 1."),
            Seconds("ringSeconds", "Ring seconds", "How long a call rings before it is answered."),
            Seconds("talkSeconds", "Talk seconds", "How long the simulated callee talks."),
            new("transcripts", "Generate transcripts", ProviderFieldKind.Boolean),
        ],
        [new("signingKey", "Signing key", Generated: true)],
        ["signingKey"])
    {
        Simulated = true,
        RingsAgentPhone = false,
    };

    public ProviderSchema Schema => Definition;

    public async Task<string> PlaceCallAsync(Call call, ProviderCredentials credentials, string? agentPhone, CancellationToken ct)
    {
        await simulator.StartOutboundAsync(call, credentials, ct);
        return call.ProviderCallId!;
    }

    public Task HangUpAsync(Call call, ProviderCredentials credentials, CancellationToken ct) => simulator.HangUpAsync(call, ct);

    /// <summary>Nothing to delete: a simulated call's recording URL (simulator.invalid) points at no stored media.</summary>
    public Task DeleteRecordingAsync(string recordingUrl, ProviderCredentials credentials, CancellationToken ct) => Task.CompletedTask;

    public Task<WebhookCheck> VerifyAsync(HttpRequest request, string signedUrl, ProviderCredentials credentials, CancellationToken ct) =>
        TwilioWebhookCheck.VerifyAsync(request, signedUrl, credentials.Secret("signingKey"), request.Headers[TwilioSignature.HeaderName].ToString(), ct);

    public ProviderCallback Read(IReadOnlyList<KeyValuePair<string, string>> fields) => TwilioCallbackForm.Parse(fields).ToCallback();

    public IResult Answer(CallAnswer answer) => TwiML.Of(answer).ToResult();

    private static ProviderField Rate(string name, string label, string hint) =>
        new(name, label, ProviderFieldKind.Number, hint) { Range = (0, 1, $"{name} must be a number between 0 and 1.") };

    private static ProviderField Seconds(string name, string label, string hint) =>
        new(name, label, ProviderFieldKind.Number, hint) { Range = (0, 3600, $"{name} must be a number of seconds between 0 and 3600.") };
}

public static class SimulatorRegistration
{
    public static IServiceCollection AddSimulatorProvider(this IServiceCollection services)
    {
        services.AddHttpClient(SimulatorCallbackHandler.HttpClientName);
        services.AddJobHandler<SimulatorCallbackHandler>();
        return services.AddTelephonyProvider<SimulatorProvider>(SimulatorProvider.ProviderName);
    }
}
