using System.Text.RegularExpressions;

namespace Switchboard.Features.Accounts;

/// <summary>Company web domains as stored: lowercase host name without scheme, "www.", port or path.</summary>
public static partial class Domains
{
    /// <summary>"https://www.Example.com/about" becomes "example.com"; null when what is left is not a host name.</summary>
    public static string? Normalize(string input)
    {
        var text = input.Trim().ToLowerInvariant();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) text = text[(scheme + 3)..];
        var end = text.IndexOfAny(['/', '?', '#']);
        if (end >= 0) text = text[..end];
        var at = text.LastIndexOf('@');
        if (at >= 0) text = text[(at + 1)..];
        var port = text.IndexOf(':');
        if (port >= 0) text = text[..port];
        text = text.TrimEnd('.');
        if (text.StartsWith("www.", StringComparison.Ordinal)) text = text[4..];
        return text.Length <= 253 && HostName().IsMatch(text) ? text : null;
    }

    // The same rule as the accounts.domain check constraint.
    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")]
    private static partial Regex HostName();
}
