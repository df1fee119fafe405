using System.Buffers.Text;

namespace Switchboard.Platform.Identity.TwoFactor;

/// <summary>
/// "Remember this device for 30 days" at the second-factor step: the browser gets an HttpOnly cookie (Secure over
/// https, like the session cookie) holding the device's id and a random secret; the server keeps the secret's SHA-256
/// with the user it belongs to. It counts only for that user, until it expires, and only while it is newer than their
/// last password change; turning off or resetting the second factor deletes the user's devices.
/// </summary>
[Scoped]
public sealed class RememberedDevices(SwitchboardDbContext db, TimeProvider clock)
{
    public const string CookieName = "switchboard-device";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    /// <summary>Remembers the browser for the user (saved with the caller's unit of work); the cookie's value.</summary>
    public string Remember(Guid userId, string? userAgent)
    {
        var (secret, hash) = SecretTokens.New();
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7();
        db.Set<MfaRememberedDevice>().Add(new MfaRememberedDevice
        {
            Id = id, UserId = userId, TokenHash = hash, CreatedAt = now, ExpiresAt = now + Lifetime,
            UserAgent = userAgent is { Length: > 512 } ? userAgent[..512] : userAgent,
        });
        return Base64Url.EncodeToString(id.ToByteArray()) + "." + secret;
    }

    /// <summary>True when <paramref name="cookie"/> is a live remembered device of <paramref name="user"/>.</summary>
    public async Task<bool> IsRememberedAsync(AppUser user, string? cookie, CancellationToken ct)
    {
        if (cookie?.Split('.') is not [var idPart, var secret] || !SecretTokens.TryHash(secret, out var hash)) return false;
        Span<byte> raw = stackalloc byte[24];
        if (!Base64Url.IsValid(idPart, out var length) || length != 16 || !Base64Url.TryDecodeFromChars(idPart, raw, out var written) || written != 16) return false;
        var id = new Guid(raw[..16]);
        var now = clock.GetUtcNow();
        var device = await db.Set<MfaRememberedDevice>().AsNoTracking()
            .SingleOrDefaultAsync(d => d.Id == id && d.UserId == user.Id && d.ExpiresAt > now && d.CreatedAt >= user.PasswordChangedAt, ct);
        return device is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(device.TokenHash, hash);
    }

    public static CookieOptions CookieOptions(HttpRequest request, DateTimeOffset expires) => new()
    {
        HttpOnly = true, Secure = request.IsHttps, SameSite = SameSiteMode.Lax, Path = "/", Expires = expires, IsEssential = true,
    };
}
