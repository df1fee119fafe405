using System.Security.Cryptography;
using System.Text.Json;

namespace Switchboard.Platform.Identity.Passkeys;

/// <summary>
/// The server's side of a WebAuthn ceremony (ADR 0050): the options sent to the browser are kept until its answer comes
/// back, for five minutes, and used once. The answer is matched by the challenge its clientDataJSON carries (32 random
/// bytes the library chose; only their SHA-256 is indexed); the library then checks that challenge, origin and
/// signature agree with the stored options. Nothing else is read from the answer here.
/// </summary>
[Scoped]
public sealed class PasskeyCeremonies(SwitchboardDbContext db, TimeProvider clock)
{
    /// <summary>Keeps <paramref name="options"/> (their JSON) for the ceremony; saved at once.</summary>
    public async Task StartAsync(string purpose, Guid? userId, byte[] challenge, string options, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // Ceremonies nobody finished are removed as new ones start: the table holds minutes of them, not history.
        await db.Set<WebAuthnCeremony>().Where(c => c.ExpiresAt < now).ExecuteDeleteAsync(ct);
        db.Set<WebAuthnCeremony>().Add(new WebAuthnCeremony
        {
            Id = Guid.CreateVersion7(), ChallengeHash = SHA256.HashData(challenge), Purpose = purpose, UserId = userId, Options = options,
            CreatedAt = now, ExpiresAt = now + RelyingParty.Timeout,
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Spends the live ceremony of <paramref name="purpose"/> (and of <paramref name="userId"/> when given) whose challenge
    /// <paramref name="clientDataJson"/> names, and returns its options' JSON; null when there is none (expired, used,
    /// another's, or no challenge of ours). Of two answers racing with one challenge only one gets the options.
    /// </summary>
    public async Task<string?> TakeAsync(byte[]? clientDataJson, string purpose, Guid? userId, CancellationToken ct)
    {
        if (Challenge(clientDataJson) is not { } challenge || !SecretTokens.TryHash(challenge, out var hash)) return null;
        var now = clock.GetUtcNow();
        var live = db.Set<WebAuthnCeremony>().Where(c => c.ChallengeHash == hash && c.Purpose == purpose && c.UsedAt == null && c.ExpiresAt > now);
        if (userId is { } user) live = live.Where(c => c.UserId == user);
        var ceremony = await live.AsNoTracking().SingleOrDefaultAsync(ct);
        if (ceremony is null) return null;
        var spent = await db.Set<WebAuthnCeremony>().Where(c => c.Id == ceremony.Id && c.UsedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.UsedAt, now), ct);
        return spent == 1 ? ceremony.Options : null;
    }

    /// <summary>The challenge (base64url) of a clientDataJSON; null when it is not JSON with a string challenge.</summary>
    private static string? Challenge(byte[]? clientDataJson)
    {
        if (clientDataJson is not { Length: > 0 and <= 4096 }) return null;
        try
        {
            using var doc = JsonDocument.Parse(clientDataJson);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("challenge", out var c) && c.ValueKind == JsonValueKind.String
                ? c.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
