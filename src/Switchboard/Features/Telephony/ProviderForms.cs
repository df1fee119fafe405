using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Switchboard.Features.Telephony;

namespace Switchboard.Features.Telephony;

public enum ProviderFieldKind
{
    Text,
    Url,
    Phone,
    Number,
    Boolean,
}

public sealed record ProviderField(string Name, string Label, ProviderFieldKind Kind = ProviderFieldKind.Text, string? Hint = null);

/// <summary>A secret the admin types in, or one the app generates itself (never shown, never typed).</summary>
public sealed record ProviderSecret(string Name, string Label, bool Generated = false);

/// <summary>How each provider's settings appear on the telephony page, and how a posted card becomes a PutAsync body.</summary>
public sealed record ProviderForm(string Provider, string Title, string Description, string WebhookHint, bool Simulated, ProviderField[] Fields, ProviderSecret[] Secrets)
{
    private static readonly ProviderField CallerId =
        new("callerId", "Caller ID", ProviderFieldKind.Phone, "The number your calls come from. Any format; saved in international form.");

    public static IReadOnlyList<ProviderForm> All { get; } =
    [
        new(ProviderNames.Twilio, "Twilio", "Place and receive calls through your Twilio account.",
            "In the Twilio console, open your phone number and set \"A call comes in\" to this URL, method HTTP POST.", false,
            [
                new("accountSid", "Account SID", Hint: "Starts with AC; on your Twilio console's dashboard."),
                CallerId,
                new("apiBaseUrl", "API base URL", ProviderFieldKind.Url, "Leave empty to use Twilio's own API."),
            ],
            [new("authToken", "Auth token")]),
        new(ProviderNames.SignalWire, "SignalWire", "Place and receive calls through your SignalWire space.",
            "In your SignalWire space, open the phone number, choose LaML webhooks and set \"When a call comes in\" to this URL.", false,
            [
                new("spaceUrl", "Space URL", ProviderFieldKind.Url, "Such as https://example.signalwire.com."),
                new("projectId", "Project ID"),
                CallerId,
            ],
            [new("apiToken", "API token"), new("signingKey", "Signing key")]),
        new(ProviderNames.Simulator, "Simulator", "Fake calls for training and demos: nobody is dialled and nothing is billed.",
            "The simulator sends its inbound calls here by itself; there is nothing to configure.", true,
            [
                CallerId,
                new("answerRate", "Answer rate", ProviderFieldKind.Number, "Share of calls answered, 0 to 1."),
                new("voicemailRate", "Voicemail rate", ProviderFieldKind.Number, "Share of calls going to voicemail, 0 to 1."),
                new("busyRate", "Busy rate", ProviderFieldKind.Number, "0 to 1."),
                new("failRate", "Fail rate", ProviderFieldKind.Number, "0 to 1."),
                new("ringSeconds", "Ring seconds", ProviderFieldKind.Number, "How long a call rings before it is answered."),
                new("talkSeconds", "Talk seconds", ProviderFieldKind.Number, "How long the simulated callee talks."),
                new("transcripts", "Generate transcripts", ProviderFieldKind.Boolean),
            ],
            [new("signingKey", "Signing key", Generated: true)]),
    ];

    public static ProviderForm? Find(string? provider) => All.SingleOrDefault(f => f.Provider == provider);

    /// <summary>The input name of a field inside this provider's card; ids must be unique on the page.</summary>
    public string InputId(string field) => $"{Provider}-{field}";

    /// <summary>
    /// Only this provider's fields, typed as the schema expects. An empty setting clears it; a secret is sent only
    /// when typed, so leaving it empty keeps the stored one. A number that does not parse is sent as text so the
    /// service reports it next to the field.
    /// </summary>
    public JsonElement ToBody(IFormCollection form)
    {
        var body = new JsonObject();
        foreach (var field in Fields)
        {
            var text = form[field.Name].ToString().Trim();
            body[field.Name] = field.Kind switch
            {
                ProviderFieldKind.Boolean => JsonValue.Create(text == "true"),
                _ when text.Length == 0 => null,
                ProviderFieldKind.Number when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
                _ => JsonValue.Create(text),
            };
        }
        foreach (var secret in Secrets.Where(s => !s.Generated))
            if (form[secret.Name].ToString() is { Length: > 0 } value) body[secret.Name] = value;
        return JsonSerializer.SerializeToElement(body);
    }

    public static string? Text(JsonElement? value) => value switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { } v => v.GetRawText(),
    };
}
