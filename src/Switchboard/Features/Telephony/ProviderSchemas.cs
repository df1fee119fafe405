using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Switchboard.Platform.Phones;
using Switchboard.Platform.Web;

namespace Switchboard.Features.Telephony;

/// <summary>The settings and secrets each provider takes, and their validation.</summary>
public sealed record ProviderSchema(string Name, string[] Settings, string[] Secrets, string[] Required)
{
    public void Validate(JsonObject settings, IReadOnlyDictionary<string, string> secrets, ValidationErrors errors, string defaultCountry)
    {
        if (settings["callerId"] is JsonValue callerValue && callerValue.TryGetValue<string>(out var callerId))
        {
            var parsed = PhoneNumbers.Normalize(callerId, defaultCountry);
            if (parsed.Success) settings["callerId"] = parsed.E164;
            else errors.Add("callerId", parsed.Error!);
        }
        foreach (var url in new[] { "apiBaseUrl", "spaceUrl" })
            if (settings[url] is JsonValue v && v.TryGetValue<string>(out var text) &&
                (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
                errors.Add(url, $"'{text}' is not an absolute http(s) URL.");
        foreach (var rate in new[] { "answerRate", "voicemailRate", "busyRate", "failRate" })
            if (settings[rate] is JsonValue r && (!r.TryGetValue<double>(out var value) || value is < 0 or > 1))
                errors.Add(rate, $"{rate} must be a number between 0 and 1.");
        foreach (var seconds in new[] { "ringSeconds", "talkSeconds" })
            if (settings[seconds] is JsonValue s && (!s.TryGetValue<double>(out var value) || value is < 0 or > 3600))
                errors.Add(seconds, $"{seconds} must be a number of seconds between 0 and 3600.");
    }

    /// <summary>An active provider must have everything needed to place and verify calls.</summary>
    public void ValidateComplete(JsonObject settings, IReadOnlyDictionary<string, string> secrets, ValidationErrors errors)
    {
        foreach (var name in Required)
        {
            var present = Secrets.Contains(name) ? secrets.ContainsKey(name) : settings[name] is not null;
            if (!present) errors.Add(name, $"{name} is required to activate {Name}.");
        }
    }
}

public static class ProviderSchemas
{
    private static readonly Dictionary<string, ProviderSchema> Schemas = new()
    {
        [ProviderNames.Twilio] = new(ProviderNames.Twilio,
            ["accountSid", "callerId", "apiBaseUrl"], ["authToken"], ["accountSid", "authToken", "callerId"]),
        [ProviderNames.SignalWire] = new(ProviderNames.SignalWire,
            ["spaceUrl", "projectId", "callerId"], ["apiToken", "signingKey"], ["spaceUrl", "projectId", "apiToken", "signingKey", "callerId"]),
        [ProviderNames.Simulator] = new(ProviderNames.Simulator,
            ["callerId", "answerRate", "voicemailRate", "busyRate", "failRate", "ringSeconds", "talkSeconds", "transcripts"], ["signingKey"], ["signingKey"]),
    };

    public static bool TryGet(string provider, [NotNullWhen(true)] out ProviderSchema? schema) => Schemas.TryGetValue(provider, out schema);
}
