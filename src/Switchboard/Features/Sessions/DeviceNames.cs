namespace Switchboard.Features.Sessions;

/// <summary>
/// A readable name for the device of a session from its User-Agent header: "Chrome on Linux", "Safari on iPhone",
/// "curl". Our own few lines, not a parser library: none is served to this project (ADR 0044), and the list only has to
/// tell a person which of their sessions is which, not identify every browser version. Order matters: Edge and Opera
/// also say Chrome, Chrome also says Safari, and every browser says Mozilla.
/// </summary>
public static class DeviceNames
{
    public const string Unknown = "Unknown device";

    private static readonly (string Token, string Name)[] Browsers =
    [
        ("Edg/", "Edge"), ("EdgA/", "Edge"), ("EdgiOS/", "Edge"), ("OPR/", "Opera"), ("Opera", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"), ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"),
        ("HeadlessChrome/", "Headless Chrome"), ("CriOS/", "Chrome"), ("Chromium/", "Chromium"), ("Chrome/", "Chrome"),
        ("Version/", "Safari"),
    ];

    private static readonly (string Token, string Name)[] Systems =
    [
        ("Windows", "Windows"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("CrOS", "ChromeOS"),
        ("Macintosh", "macOS"), ("Mac OS X", "macOS"), ("Linux", "Linux"),
    ];

    public static string Describe(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return Unknown;
        var browser = First(Browsers, userAgent);
        var system = First(Systems, userAgent);
        if (browser is not null) return system is null ? browser : $"{browser} on {system}";
        if (system is not null) return system;
        // Not a browser: an API client names itself first ("curl/8.5.0", "python-requests/2.31").
        var product = userAgent.Trim().Split([' ', '/'], 2)[0];
        return product.Length is > 0 and <= 40 && product != "Mozilla" ? product : Unknown;
    }

    private static string? First((string Token, string Name)[] known, string userAgent)
    {
        foreach (var (token, name) in known)
            if (userAgent.Contains(token, StringComparison.Ordinal)) return name;
        return null;
    }
}
