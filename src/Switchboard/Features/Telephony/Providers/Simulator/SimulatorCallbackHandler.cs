using Switchboard.Features.Telephony.Providers.Twilio;

namespace Switchboard.Features.Telephony.Providers.Simulator;

/// <summary>Delivers one simulated callback: a form POST signed with the simulator's key, as Twilio signs its own.</summary>
public sealed class SimulatorCallbackHandler(IHttpClientFactory http, ProviderSettingsService providers) : IJobHandler
{
    public const string HttpClientName = "simulator";

    public string Kind => CallSimulator.CallbackJob;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var callback = job.Read<SimulatedCallback>();
        var provider = await providers.ConfiguredAsync(SimulatorProvider.ProviderName, ct);
        if (provider?.Secret("signingKey") is not { } key) return; // the simulator was switched off; nothing to deliver
        using var request = new HttpRequestMessage(HttpMethod.Post, callback.Url) { Content = new FormUrlEncodedContent(callback.Form) };
        request.Headers.Add(TwilioSignature.HeaderName, TwilioSignature.Compute(key, callback.Url, callback.Form));
        using var response = await http.CreateClient(HttpClientName).SendAsync(request, ct);
        // Like a real provider, retry (through the job's backoff) until the endpoint accepts it.
        if ((int)response.StatusCode >= 500 || response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
            throw new HttpRequestException($"The webhook answered {(int)response.StatusCode}.");
    }
}
