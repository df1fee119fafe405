using System.Text;
using Microsoft.AspNetCore.Identity;

namespace Switchboard.Platform.Identity;

/// <summary>
/// The password rules that apply to one user: the strictest among the tenants they belong to (ADR 0042), after NIST
/// SP 800-63B — a minimum length, no composition rules, no common or guessable passwords, none built from the user's
/// name, email or tenant names, none of the last <see cref="History"/> passwords again, and optionally a maximum age.
/// </summary>
public sealed record PasswordRules(int MinLength, int History, int? MaxAgeDays, IReadOnlyList<string> TenantNames)
{
    public const int DefaultMinLength = 12;
    public const int DefaultHistory = 5;

    /// <summary>Longer input is refused before hashing: it is no one's password, only work for the server.</summary>
    public const int MaxLength = 1024;

    /// <summary>The rules as a sentence, for the forms that ask for a new password.</summary>
    public string Hint =>
        $"At least {MinLength} characters. A phrase of unrelated words works well; common passwords and your name, " +
        "email or workspace name are refused" + (History > 0 ? $", as are your last {History} passwords." : ".");

    public bool IsExpired(DateTimeOffset changedAt, DateTimeOffset now) => MaxAgeDays is { } days && changedAt.AddDays(days) <= now;
}

/// <summary>Reads the <see cref="PasswordRules"/> that apply and judges a new password against them.</summary>
[Scoped]
public sealed class PasswordPolicy(SwitchboardDbContext db, IPasswordHasher<AppUser> hasher)
{
    public const string TooShortFormat = "Use at least {0} characters.";
    public const string TooLong = "Use at most 1,024 characters.";
    public const string Reused = "You have used this password recently. Choose one you have not used before.";

    /// <summary>
    /// The strictest rules among the user's active memberships and <paramref name="tenantId"/> (the tenant the password is
    /// set in, which a new member joins only afterwards). A user who belongs to no tenant gets the defaults.
    /// </summary>
    public async Task<PasswordRules> RulesForAsync(Guid? userId, Guid? tenantId, CancellationToken ct)
    {
        var row = (await db.Database.SqlQuery<RulesRow>($"""
            select min_length as "MinLength", history as "History", max_age_days as "MaxAgeDays", tenant_names as "TenantNames"
            from password_rules({userId}, {tenantId})
            """).ToListAsync(ct)).Single();
        return new PasswordRules(row.MinLength, row.History, row.MaxAgeDays, row.TenantNames);
    }

    /// <summary>What is wrong with <paramref name="password"/> as the user's new password; empty when it may be set.</summary>
    public async Task<IReadOnlyList<string>> ProblemsAsync(AppUser user, string password, PasswordRules rules, CancellationToken ct)
    {
        if (password.Length > PasswordRules.MaxLength) return [TooLong];
        // Each Unicode code point counts as one character, after NFKC normalisation (SP 800-63B 5.1.1.2).
        var normalised = password.IsNormalized(NormalizationForm.FormKC) ? password : password.Normalize(NormalizationForm.FormKC);
        if (normalised.EnumerateRunes().Count() < rules.MinLength) return [string.Format(TooShortFormat, rules.MinLength)];
        if (PasswordStrength.Problem(normalised, ContextWords(user, rules)) is { } weak) return [weak];
        if (await WasUsedAsync(user, password, rules.History, ct)) return [Reused];
        return [];
    }

    /// <summary>Whether the password is the current one or one of the <paramref name="history"/> − 1 before it.</summary>
    private async Task<bool> WasUsedAsync(AppUser user, string password, int history, CancellationToken ct)
    {
        if (history == 0) return false;
        var hashes = new List<string>();
        if (user.PasswordHash is { Length: > 0 } current) hashes.Add(current);
        if (history > 1)
            hashes.AddRange(await db.Set<PasswordHistoryEntry>().AsNoTracking()
                .Where(h => h.UserId == user.Id).OrderByDescending(h => h.ReplacedAt).Take(history - 1)
                .Select(h => h.PasswordHash).ToListAsync(ct));
        return hashes.Any(hash => hasher.VerifyHashedPassword(user, hash, password) != PasswordVerificationResult.Failed);
    }

    /// <summary>The words a password must not be built from: the user's names, the parts of their email, their tenants' names.</summary>
    private static IEnumerable<string> ContextWords(AppUser user, PasswordRules rules)
    {
        var email = user.Email ?? "";
        var at = email.IndexOf('@');
        var local = at < 0 ? email : email[..at];
        var domainLabels = at < 0 ? [] : email[(at + 1)..].Split('.')[..^1];
        IEnumerable<string> phrases = [user.FirstName, user.LastName, local, .. domainLabels, .. rules.TenantNames];
        return phrases.SelectMany(p => new[] { p.Replace(" ", "") }.Concat(p.Split([' ', '.', '-', '_', '+'])))
            .Select(w => w.Trim().ToLowerInvariant())
            .Where(w => w.Length >= 3)
            .Distinct();
    }

    private sealed record RulesRow(int MinLength, int History, int? MaxAgeDays, string[] TenantNames);
}

/// <summary>One earlier password's hash, kept so it cannot be chosen again (table <c>password_history</c>).</summary>
public sealed class PasswordHistoryEntry
{
    /// <summary>More than any tenant may ask for (the policy's history is at most 24).</summary>
    public const int MaxKept = 24;

    public Guid UserId { get; set; }
    public required string PasswordHash { get; set; }
    public DateTimeOffset ReplacedAt { get; set; }
}

internal sealed class PasswordHistoryEntryConfiguration : IEntityTypeConfiguration<PasswordHistoryEntry>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<PasswordHistoryEntry> e)
    {
        e.ToTable("password_history");
        e.HasKey(h => new { h.UserId, h.ReplacedAt });
    }
}

/// <summary>
/// Identity's hook for the passwords it sets itself (accounts created with a password: invitations, imports, the
/// superadmin command): the same policy, in the tenant the request is in.
/// </summary>
public sealed class PolicyPasswordValidator(PasswordPolicy policy, TenantContext ctx) : IPasswordValidator<AppUser>
{
    public async Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password)
    {
        var rules = await policy.RulesForAsync(user.Id == Guid.Empty ? null : user.Id, ctx.TenantId, CancellationToken.None);
        var problems = await policy.ProblemsAsync(user, password ?? "", rules, CancellationToken.None);
        return problems.Count == 0
            ? IdentityResult.Success
            : IdentityResult.Failed([.. problems.Select(p => new IdentityError { Code = "PasswordPolicy", Description = p })]);
    }
}
