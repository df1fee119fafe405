using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Features.Telephony;

/// <summary>How a provider's card (declared by the provider's <see cref="ProviderSchema"/>) is shown and posted.</summary>
public static class ProviderForm
{
    /// <summary>The input name of a field inside this provider's card; ids must be unique on the page.</summary>
    public static string InputId(this ProviderSchema form, string field) => $"{form.Name}-{field}";

    /// <summary>
    /// Only this provider's fields, typed as the schema expects. An empty setting clears it; a secret is sent only
    /// when typed, so leaving it empty keeps the stored one. A number that does not parse is sent as text so the
    /// service reports it next to the field.
    /// </summary>
    public static ProviderSettingsWrite ToBody(this ProviderSchema form, IFormCollection posted)
    {
        var body = new JsonObject();
        foreach (var field in form.Fields)
        {
            var text = posted[field.Name].ToString().Trim();
            body[field.Name] = field.Kind switch
            {
                ProviderFieldKind.Boolean => JsonValue.Create(text == "true"),
                _ when text.Length == 0 => null,
                ProviderFieldKind.Number when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
                _ => JsonValue.Create(text),
            };
        }
        foreach (var secret in form.Secrets.Where(s => !s.Generated))
            if (posted[secret.Name].ToString() is { Length: > 0 } value) body[secret.Name] = value;
        return new ProviderSettingsWrite { Members = body.ToDictionary(m => m.Key, m => JsonSerializer.SerializeToElement(m.Value)) };
    }

    public static string? Text(JsonElement? value) => value switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { } v => v.GetRawText(),
    };
}
