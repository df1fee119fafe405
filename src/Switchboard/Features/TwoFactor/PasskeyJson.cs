namespace Switchboard.Features.TwoFactor;

/// <summary>The browser's answer as the pages' forms carry it (passkeys.js puts it in a hidden field as JSON).</summary>
public static class PasskeyJson
{
    /// <summary>The answer in <paramref name="json"/>; null when it is missing, too long or not one (the service then says what is wrong).</summary>
    public static T? Read<T>(string? json) where T : class
    {
        if (string.IsNullOrWhiteSpace(json) || json.Length > 64 * 1024) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(json);
        }
        catch (Exception e) when (e is JsonException or FormatException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }
}
