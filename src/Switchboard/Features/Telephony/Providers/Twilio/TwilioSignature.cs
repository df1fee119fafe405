using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Primitives;

namespace Switchboard.Features.Telephony.Providers.Twilio;

/// <summary>
/// Twilio's webhook signature (<c>X-Twilio-Signature</c>): Base64(HMAC-SHA1(authToken, url + sorted params)).
/// Ours rather than the Twilio SDK's RequestValidator (ADR 0016); behaviour follows the official
/// SDKs' RequestValidator (twilio-python, twilio-node, twilio-csharp) and is pinned by their published vectors.
/// </summary>
public static class TwilioSignature
{
    public const string HeaderName = "X-Twilio-Signature";
    public const string BodyHashParameter = "bodySHA256";

    /// <summary>
    /// The signature Twilio would send for a form POST to <paramref name="url"/>. The URL is used exactly as
    /// given (scheme/host casing, percent-encoding and query string untouched), because Twilio signs the
    /// literal URL it requested; parameters are the decoded form values.
    /// </summary>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> formParams)
    {
        ArgumentException.ThrowIfNullOrEmpty(authToken);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(formParams);
        return Convert.ToBase64String(HmacSha1(authToken, url + CanonicalParams(formParams)));
    }

    /// <summary>
    /// True when <paramref name="signatureHeader"/> matches the URL either with or without its port. Like the
    /// SDKs, two variants are tried: the URL with the port removed, and the URL with the scheme's default port
    /// added when it has none (a URL that already has a port is kept as is). Twilio's own signing is
    /// inconsistent about ports (its SDK comments say so), and proxies in front of us may add or drop them.
    /// A signature made over a non-default port only ever matches a URL carrying that same port.
    /// </summary>
    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> formParams, string? signatureHeader)
    {
        ArgumentException.ThrowIfNullOrEmpty(authToken);
        if (string.IsNullOrEmpty(signatureHeader)) return false;
        var canonical = Encoding.UTF8.GetBytes(CanonicalParams(formParams));
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, Encoding.UTF8.GetBytes(authToken));
        var (withoutPort, withPort) = PortVariants(url);
        // Non-short-circuit '|' so both comparisons always run.
        return MatchesBase64(hmac, withoutPort, canonical, signatureHeader) | MatchesBase64(hmac, withPort, canonical, signatureHeader);
    }

    /// <summary>
    /// Validates a JSON-bodied request: Twilio puts <c>bodySHA256=&lt;hex SHA-256 of the raw body&gt;</c> in the
    /// URL and signs the URL alone (no parameters). Both must hold: the hash matches the exact bytes received,
    /// and the signature matches the URL, so the signature covers the body through its hash.
    /// </summary>
    public static bool IsValidJson(string authToken, string url, ReadOnlySpan<byte> rawBody, string? signatureHeader)
    {
        ArgumentException.ThrowIfNullOrEmpty(authToken);
        if (string.IsNullOrEmpty(signatureHeader)) return false;
        if (QueryValue(url, BodyHashParameter) is not { } claimedHex || !TryDecodeHex(claimedHex, out var claimedHash)) return false;
        var bodyMatches = CryptographicOperations.FixedTimeEquals(SHA256.HashData(rawBody), claimedHash);
        return IsValid(authToken, url, [], signatureHeader) & bodyMatches;
    }

    /// <summary>As above for a body already read as text; Twilio hashes its UTF-8 bytes.</summary>
    public static bool IsValidJson(string authToken, string url, string body, string? signatureHeader) =>
        IsValidJson(authToken, url, Encoding.UTF8.GetBytes(body), signatureHeader);

    /// <summary>Lower-case hex SHA-256, the form Twilio puts in <c>bodySHA256</c>.</summary>
    public static string ComputeBodyHash(ReadOnlySpan<byte> rawBody) => Convert.ToHexStringLower(SHA256.HashData(rawBody));

    /// <summary>Flattens an ASP.NET form (one key, many values) into the pairs the signature is computed over.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Pairs(IEnumerable<KeyValuePair<string, StringValues>> form) =>
        form.SelectMany(field => field.Value.Select(value => KeyValuePair.Create(field.Key, value ?? "")));

    /// <summary>
    /// Keys sorted ordinally; a repeated key contributes each distinct value, values sorted ordinally. That
    /// de-duplication is what twilio-python (<c>sorted(set(values))</c>) and twilio-node (<c>new Set</c>) do,
    /// and the same published vector holds for [5678, 1234] and [5678, 1234, 1234].
    /// </summary>
    private static string CanonicalParams(IEnumerable<KeyValuePair<string, string>> formParams)
    {
        // Sorting the pairs by key, then value (both ordinal) and skipping repeats of a pair gives the same order as
        // grouping by key and sorting each key's distinct values, without the LINQ groups on the hot path.
        var pairs = formParams.Select(p => KeyValuePair.Create(p.Key, p.Value ?? "")).ToArray();
        Array.Sort(pairs, static (a, b) => string.CompareOrdinal(a.Key, b.Key) is var byKey and not 0 ? byKey : string.CompareOrdinal(a.Value, b.Value));
        var builder = new StringBuilder();
        for (var i = 0; i < pairs.Length; i++)
        {
            if (i > 0 && pairs[i].Key == pairs[i - 1].Key && pairs[i].Value == pairs[i - 1].Value) continue;
            builder.Append(pairs[i].Key).Append(pairs[i].Value);
        }
        return builder.ToString();
    }

    /// <summary>
    /// Base64(HMAC-SHA1(key, url + canonical params)) compared in constant time with the presented text. One keyed
    /// HMAC serves both port variants, and neither the data nor the expected signature is built as a string.
    /// </summary>
    private static bool MatchesBase64(IncrementalHash hmac, string url, byte[] canonical, string presented)
    {
        hmac.AppendData(Encoding.UTF8.GetBytes(url));
        hmac.AppendData(canonical);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
        hmac.GetHashAndReset(hash);
        Span<char> expected = stackalloc char[32];
        Convert.TryToBase64Chars(hash, expected, out var written);
        return CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected[..written]), MemoryMarshal.AsBytes(presented.AsSpan()));
    }

    /// <summary>Shared with SignalWire's RELAY scheme, which signs differently but normalises ports the same way.</summary>
    internal static bool MatchesAnyPortVariant(string url, string presented, Func<string, string> sign)
    {
        var (withoutPort, withPort) = PortVariants(url);
        // Non-short-circuit '|' so both comparisons always run.
        return FixedTimeEquals(sign(withoutPort), presented) | FixedTimeEquals(sign(withPort), presented);
    }

    internal static byte[] HmacSha1(string key, string data) =>
        HMACSHA1.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(data));

    internal static bool FixedTimeEquals(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(presented));

    /// <summary>
    /// Edits only the port of the authority and leaves every other character as received, which is what the
    /// SDK vectors require (e.g. "HTTP://Username:Password@MyCompany.com/..." keeps its casing and credentials).
    /// URLs that are not absolute http(s) come back unchanged in both slots.
    /// </summary>
    internal static (string WithoutPort, string WithPort) PortVariants(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0) return (url, url);
        var scheme = url[..schemeEnd];
        int defaultPort;
        if (scheme.Equals("https", StringComparison.OrdinalIgnoreCase)) defaultPort = 443;
        else if (scheme.Equals("http", StringComparison.OrdinalIgnoreCase)) defaultPort = 80;
        else return (url, url);

        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0) authorityEnd = url.Length;
        var authority = url[authorityStart..authorityEnd];
        var hostStart = authority.LastIndexOf('@') + 1;
        // An IPv6 literal contains colons of its own; the port colon comes after its closing bracket.
        var searchFrom = authority.IndexOf(']', hostStart) is var bracket and >= 0 ? bracket : hostStart;
        var colon = authority.IndexOf(':', searchFrom);

        var prefix = url[..authorityStart];
        var suffix = url[authorityEnd..];
        var hostPart = colon < 0 ? authority : authority[..colon];
        var hasPort = colon >= 0 && colon < authority.Length - 1;
        var withoutPort = prefix + hostPart + suffix;
        var withPort = hasPort ? url : $"{prefix}{hostPart}:{defaultPort}{suffix}";
        return (withoutPort, withPort);
    }

    /// <summary>First value of a query parameter, percent-decoded; the fragment is not part of the query.</summary>
    internal static string? QueryValue(string url, string name)
    {
        var start = url.IndexOf('?');
        if (start < 0) return null;
        var end = url.IndexOf('#', start);
        var query = url[(start + 1)..(end < 0 ? url.Length : end)];
        foreach (var pair in query.Split('&'))
        {
            var eq = pair.IndexOf('=');
            var key = eq < 0 ? pair : pair[..eq];
            if (Uri.UnescapeDataString(key.Replace('+', ' ')) == name)
                return eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
        }
        return null;
    }

    private static bool TryDecodeHex(string hex, out byte[] bytes)
    {
        bytes = [];
        if (hex.Length != SHA256.HashSizeInBytes * 2) return false;
        try { bytes = Convert.FromHexString(hex); return true; }
        catch (FormatException) { return false; }
    }
}
