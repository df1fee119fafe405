using Microsoft.AspNetCore.Identity;

namespace Switchboard.Platform.Cli;

public static class Superadmins
{
    /// <summary>Creates the superadmin, or makes an existing user superadmin with the given password. Idempotent.</summary>
    public static async Task<string> EnsureAsync(IServiceProvider services, string email, string password, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();

        var user = await users.FindByEmailAsync(email);
        var created = user is null;
        if (user is null)
        {
            user = new AppUser
            {
                Id = Guid.CreateVersion7(), UserName = email, Email = email, EmailConfirmed = true,
                FirstName = "Platform", LastName = "Administrator", IsSuperadmin = true, CreatedAt = clock.GetUtcNow(), LockoutEnabled = true,
            };
            Check(await users.CreateAsync(user, password));
        }
        else
        {
            // Run again with the same password, the command changes nothing about it (the history would refuse it as reused).
            var unchanged = user.PasswordHash is { } hash && users.PasswordHasher.VerifyHashedPassword(user, hash, password) != PasswordVerificationResult.Failed;
            if (!unchanged)
            {
                foreach (var validator in users.PasswordValidators) Check(await validator.ValidateAsync(users, user, password));
                scope.ServiceProvider.GetRequiredService<Passwords>().Set(user, password);
            }
            user.IsSuperadmin = true;
            user.IsActive = true;
            user.LockoutEnd = null;
            Check(await users.UpdateAsync(user));
        }
        await audit.WriteAsync(created ? AuditActions.SuperadminCreated : AuditActions.SuperadminUpdated, null, "user", user.Id.ToString(), new { email }, ct);
        return created ? $"Created superadmin {email}." : $"Updated {email}: superadmin, password set.";
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new CliException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
