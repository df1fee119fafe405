using System.Text.Json.Nodes;

namespace Switchboard.Features.Telephony;

public enum ProviderFieldKind
{
    Text,
    Url,
    Phone,
    Number,
    Boolean,
}

/// <summary>A setting: how it is validated (by kind, and a range for numbers) and how the settings page shows it.</summary>
public sealed record ProviderField(string Name, string Label, ProviderFieldKind Kind = ProviderFieldKind.Text, string? Hint = null)
{
    /// <summary>For numbers: the allowed range and the message when a value is outside it or not a number.</summary>
    public (double Min, double Max, string Message)? Range { get; init; }

    public static readonly ProviderField CallerId =
        new("callerId", "Caller ID", ProviderFieldKind.Phone, "The number your calls come from. Any format; saved in international form.");
}

/// <summary>A secret the admin types in, or one the app generates itself (never shown, never typed).</summary>
public sealed record ProviderSecret(string Name, string Label, bool Generated = false);

/// <summary>
/// The settings and secrets one provider takes, their validation, and its card on the settings page. Declared by
/// the provider (<see cref="ITelephonyProvider.Schema"/>); the settings service and page work from it alone.
/// </summary>
public sealed record ProviderSchema(string Name, string Title, string Description, string WebhookHint, ProviderField[] Fields, ProviderSecret[] Secrets, string[] Required)
{
    /// <summary>A simulated provider: nobody is dialled and nothing is billed (shown as such on the settings page).</summary>
    public bool Simulated { get; init; }

    /// <summary>Click-to-call rings the agent's own phone first, so the agent needs a phone number.</summary>
    public bool RingsAgentPhone { get; init; } = true;

    public IEnumerable<string> SettingNames => Fields.Select(f => f.Name);
    public IEnumerable<string> SecretNames => Secrets.Select(s => s.Name);

    public void Validate(JsonObject settings, ValidationErrors errors, string defaultCountry)
    {
        foreach (var field in Fields)
        {
            if (settings[field.Name] is not JsonValue value) continue;
            switch (field.Kind)
            {
                case ProviderFieldKind.Phone when value.TryGetValue<string>(out var phone):
                    var parsed = PhoneNumbers.Normalize(phone, defaultCountry);
                    if (parsed.Success) settings[field.Name] = parsed.E164;
                    else errors.Add(field.Name, parsed.Error!);
                    break;
                case ProviderFieldKind.Url when value.TryGetValue<string>(out var text):
                    if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
                        errors.Add(field.Name, $"'{text}' is not an absolute http(s) URL.");
                    break;
                case ProviderFieldKind.Number when field.Range is { } range:
                    if (!value.TryGetValue<double>(out var number) || number < range.Min || number > range.Max) errors.Add(field.Name, range.Message);
                    break;
            }
        }
    }

    /// <summary>An active provider must have everything needed to place and verify calls.</summary>
    public void ValidateComplete(JsonObject settings, IReadOnlyDictionary<string, string> secrets, ValidationErrors errors)
    {
        foreach (var name in Required)
        {
            var present = SecretNames.Contains(name) ? secrets.ContainsKey(name) : settings[name] is not null;
            if (!present) errors.Add(name, $"{name} is required to activate {Name}.");
        }
    }
}
