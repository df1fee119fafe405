namespace Switchboard.Platform.Identity.TwoFactor;

/// <summary>The result of checking a code: which kind matched, and how many recovery codes are left after it.</summary>
public sealed record CodeCheck(bool Ok, bool UsedRecoveryCode, int RecoveryCodesLeft)
{
    public static readonly CodeCheck Wrong = new(false, false, 0);
}

/// <summary>
/// A person's second factors and recovery codes: which methods they have, checking a code (TOTP or recovery code),
/// issuing a new set of recovery codes, removing everything. Changes join the caller's unit of work; a code counts as
/// used only when the caller saves, and of two requests racing with one code only one saves (concurrency tokens).
/// </summary>
[Scoped]
public sealed class SecondFactorCodes(SwitchboardDbContext db, TotpSecrets totp, TimeProvider clock)
{
    /// <summary>The confirmed methods of the user, e.g. ["totp"]; empty when they have no second factor.</summary>
    public async Task<IReadOnlyList<string>> MethodsAsync(Guid userId, CancellationToken ct) =>
        await db.Set<UserSecondFactor>().AsNoTracking()
            .Where(f => f.UserId == userId && f.ConfirmedAt != null).Select(f => f.Method).Distinct().OrderBy(m => m).ToListAsync(ct);

    public Task<UserSecondFactor?> TotpAsync(Guid userId, CancellationToken ct) =>
        db.Set<UserSecondFactor>().SingleOrDefaultAsync(f => f.UserId == userId && f.Method == SecondFactorMethods.Totp, ct);

    public Task<int> RecoveryCodesLeftAsync(Guid userId, CancellationToken ct) =>
        db.Set<UserRecoveryCode>().CountAsync(c => c.UserId == userId && c.UsedAt == null, ct);

    /// <summary>
    /// Checks <paramref name="code"/> against the user's confirmed TOTP factor (a code of a step already used is refused)
    /// or, when <paramref name="allowRecovery"/>, against their unused recovery codes; marks what matched as used.
    /// </summary>
    public async Task<CodeCheck> CheckAsync(Guid userId, string? code, bool allowRecovery, CancellationToken ct)
    {
        code = code?.Trim() ?? "";
        if (code.Length is 0 or > 64) return CodeCheck.Wrong;
        var now = clock.GetUtcNow();
        if (allowRecovery && RecoveryCodes.Looks(code))
        {
            var hash = RecoveryCodes.Hash(code);
            var unused = await db.Set<UserRecoveryCode>().Where(c => c.UserId == userId && c.UsedAt == null).ToListAsync(ct);
            var match = unused.FirstOrDefault(c => System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(c.CodeHash, hash));
            if (match is null) return CodeCheck.Wrong;
            match.UsedAt = now;
            return new CodeCheck(true, true, unused.Count - 1);
        }
        var factor = await TotpAsync(userId, ct);
        if (factor is not { ConfirmedAt: not null, SecretProtected: { } secret }) return CodeCheck.Wrong;
        if (totp.MatchStep(secret, code, now) is not { } step || step <= (factor.LastUsedStep ?? -1)) return CodeCheck.Wrong;
        factor.LastUsedStep = step;
        factor.LastUsedAt = now;
        return new CodeCheck(true, false, 0);
    }

    /// <summary>Replaces the user's recovery codes with ten new ones, returned in plain text this once.</summary>
    public async Task<IReadOnlyList<string>> NewRecoveryCodesAsync(Guid userId, CancellationToken ct)
    {
        await db.Set<UserRecoveryCode>().Where(c => c.UserId == userId).ExecuteDeleteAsync(ct);
        var now = clock.GetUtcNow();
        var codes = Enumerable.Range(0, RecoveryCodes.Count).Select(_ => RecoveryCodes.New()).ToList();
        db.Set<UserRecoveryCode>().AddRange(codes.Select(code => new UserRecoveryCode
        {
            Id = Guid.CreateVersion7(), UserId = userId, CodeHash = RecoveryCodes.Hash(code), CreatedAt = now,
        }));
        return codes;
    }

    /// <summary>Removes every second factor, recovery code and remembered device of the user (turned off or reset); true if there was a factor.</summary>
    public async Task<bool> RemoveAllAsync(Guid userId, CancellationToken ct)
    {
        var removed = await db.Set<UserSecondFactor>().Where(f => f.UserId == userId).ExecuteDeleteAsync(ct);
        await db.Set<UserRecoveryCode>().Where(c => c.UserId == userId).ExecuteDeleteAsync(ct);
        await db.Set<MfaRememberedDevice>().Where(d => d.UserId == userId).ExecuteDeleteAsync(ct);
        return removed > 0;
    }
}
