namespace Switchboard.Features.Telephony.Providers.Simulator;

public enum SimulatedOutcome
{
    Answered,
    Voicemail,
    NoAnswer,
    Busy,
    Failed,
}

/// <summary>How one simulated call goes, drawn from the tenant's simulator settings.</summary>
public sealed record SimulationPlan(SimulatedOutcome Outcome, double RingSeconds, double TalkSeconds, bool Transcripts)
{
    public static SimulationPlan From(ProviderCredentials provider, Random random)
    {
        double Setting(string name, double fallback) =>
            double.TryParse(provider.Setting(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : fallback;
        var answer = Setting("answerRate", 0.6);
        var voicemail = Setting("voicemailRate", 0.15);
        var busy = Setting("busyRate", 0.1);
        var fail = Setting("failRate", 0.02);
        var draw = random.NextDouble();
        // Rates are shares of all calls, taken in this order: answerRate 1 means every call is answered.
        var outcome = draw < answer ? SimulatedOutcome.Answered
            : draw < answer + voicemail ? SimulatedOutcome.Voicemail
            : draw < answer + voicemail + busy ? SimulatedOutcome.Busy
            : draw < answer + voicemail + busy + fail ? SimulatedOutcome.Failed
            : SimulatedOutcome.NoAnswer;
        // A little jitter around the configured durations, as real calls vary.
        var ring = Setting("ringSeconds", 4) * (0.75 + random.NextDouble() / 2);
        var talk = Setting("talkSeconds", 25) * (0.5 + random.NextDouble());
        return new SimulationPlan(outcome, ring, talk, provider.Setting("transcripts") is not ("false" or "False"));
    }
}

internal static class SampleTranscripts
{
    private static readonly string[] Samples =
    [
        "Agent: Hi, this is Jordan from Acme. Is now a good time? Contact: Sure, a couple of minutes. Agent: We help teams cut their phone bill. Contact: Send me the pricing and call me next Tuesday.",
        "Agent: Hello, I'm calling about the demo you requested. Contact: Yes, we're evaluating options this quarter. Agent: Great, can I book thirty minutes with your team? Contact: Thursday afternoon works.",
        "Agent: Hi, do you have a moment? Contact: Not really, we're happy with our current provider. Agent: Understood. May I check back in six months? Contact: That's fine.",
    ];

    public static string Pick(Random random) => Samples[random.Next(Samples.Length)];
}
