using System.Buffers.Text;
using System.Security.Cryptography;

namespace Switchboard.Platform.Identity;

/// <summary>
/// The shape of an API key: <c>sb_live_&lt;prefix&gt;_&lt;secret&gt;</c>. The prefix (12 lower-case letters and digits)
/// names the key in lists and logs; the secret is 32 random bytes as base64url. Only the SHA-256 of the whole key is
/// stored: a 256-bit random secret cannot be guessed, so a slow password hash would add cost to every request and no
/// safety (ADR 0043).
/// </summary>
public static class ApiKeySecrets
{
    public const string Header = "X-Api-Key";
    public const string Marker = "sb_live_";
    public const int PrefixLength = 12;
    private const int SecretLength = 43; // 32 bytes as unpadded base64url
    private const string PrefixAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static int Length => Marker.Length + PrefixLength + 1 + SecretLength;

    public static (string Key, string Prefix, byte[] Hash) New()
    {
        var prefix = RandomNumberGenerator.GetString(PrefixAlphabet, PrefixLength);
        var key = $"{Marker}{prefix}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
        return (key, prefix, Hash(key));
    }

    /// <summary>The prefix and stored hash of a key as a request carried it; false for anything that cannot be one of ours.</summary>
    public static bool TryRead(string? key, out string prefix, out byte[] hash)
    {
        prefix = "";
        hash = [];
        if (key is null || key.Length != Length || !key.StartsWith(Marker, StringComparison.Ordinal) || key[Marker.Length + PrefixLength] != '_') return false;
        var candidate = key.AsSpan(Marker.Length, PrefixLength);
        foreach (var c in candidate)
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c)) return false;
        if (!Base64Url.IsValid(key.AsSpan(Marker.Length + PrefixLength + 1), out var bytes) || bytes != 32) return false;
        prefix = candidate.ToString();
        hash = Hash(key);
        return true;
    }

    /// <summary>How a key is shown after creation: its marker and prefix, never its secret.</summary>
    public static string Display(string prefix) => $"{Marker}{prefix}_…";

    private static byte[] Hash(string key) => SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(key));
}
