using System.Buffers.Text;
using System.Security.Cryptography;

namespace Switchboard.Platform.Identity;

/// <summary>
/// Single-use secrets sent in links (invitations, password resets): 32 random bytes as base64url for the link, and
/// only their SHA-256 stored, so that a copy of the database opens nothing.
/// </summary>
public static class SecretTokens
{
    public static (string Token, byte[] Hash) New()
    {
        var raw = RandomNumberGenerator.GetBytes(32);
        return (Base64Url.EncodeToString(raw), SHA256.HashData(raw));
    }

    /// <summary>The stored hash of a token as a link carried it; false for anything that cannot be one of ours.</summary>
    public static bool TryHash(string? token, out byte[] hash)
    {
        hash = [];
        // TryDecodeFromChars throws, rather than answering false, on characters outside the alphabet.
        if (string.IsNullOrEmpty(token) || token.Length > 64 || !Base64Url.IsValid(token, out var length) || length != 32) return false;
        Span<byte> raw = stackalloc byte[48];
        if (!Base64Url.TryDecodeFromChars(token, raw, out var written) || written != 32) return false;
        hash = SHA256.HashData(raw[..written]);
        return true;
    }
}
