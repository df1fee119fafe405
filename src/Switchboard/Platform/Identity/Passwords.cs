using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Switchboard.Platform.Identity;

/// <summary>
/// The one place a new password is judged and set, for the reset link and for a user changing their own. The rules are
/// Identity's password validators today (PlatformComposition: length, upper, lower, digit); the per-tenant policy of
/// issue 12 §3 replaces <see cref="ProblemsAsync"/> without touching its callers.
/// </summary>
[Scoped]
public sealed class Passwords(UserManager<AppUser> users)
{
    /// <summary>The rules as a sentence, for the forms that ask for a new password.</summary>
    public string Hint
    {
        get
        {
            var rules = users.Options.Password;
            var kinds = new List<string>();
            if (rules.RequireUppercase) kinds.Add("an upper-case letter");
            if (rules.RequireLowercase) kinds.Add("a lower-case letter");
            if (rules.RequireDigit) kinds.Add("a digit");
            if (rules.RequireNonAlphanumeric) kinds.Add("a symbol");
            var with = kinds.Count switch
            {
                0 => "",
                1 => " with " + kinds[0],
                _ => " with " + string.Join(", ", kinds[..^1]) + " and " + kinds[^1],
            };
            return $"At least {rules.RequiredLength} characters{with}.";
        }
    }

    public async Task<IReadOnlyList<string>> ProblemsAsync(AppUser user, string password)
    {
        var problems = new List<string>();
        foreach (var validator in users.PasswordValidators)
            problems.AddRange((await validator.ValidateAsync(users, user, password)).Errors.Select(e => e.Description));
        return problems;
    }

    /// <summary>
    /// Gives the user <paramref name="password"/> (already judged by <see cref="ProblemsAsync"/>) in the unit of work:
    /// a new hash, a new security stamp, and the failed-attempt count and any lockout cleared. Sessions are the caller's
    /// business (a reset ends all of them, a change all but the caller's).
    /// </summary>
    public void Set(AppUser user, string password)
    {
        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        user.AccessFailedCount = 0;
        user.LockoutEnd = null;
        NewStamps(user);
    }

    /// <summary>What Identity does on a security-relevant change: a new security stamp (and concurrency stamp).</summary>
    public static void NewStamps(AppUser user)
    {
        user.SecurityStamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
    }
}
