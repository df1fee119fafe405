using Switchboard.Features.Auth;
using Switchboard.Features.Invitations;
using Switchboard.Features.Users;

namespace Switchboard.Platform.Cli;

/// <summary>
/// <c>switchboard users …</c>: people and their accounts from a shell, through the services the API uses (ADR 0067):
/// <see cref="UserService"/>, <see cref="InvitationService"/>, <see cref="UserImport"/>, <see cref="ForgotPassword"/> and
/// <see cref="AccountChanges"/>. Every change is audited with the actor "cli".
/// </summary>
public sealed class UsersCommand(IServiceProvider services) : ICliCommand
{
    public static string Verb => "users";

    public static string Usage => """
          users create --tenant SLUG --email E --role R [--name "FIRST LAST"] [--password P]
                                               Add a member: with --password a new account (or an existing one) joins at once;
                                               without, an invitation email with a one-time link to choose a password.
          users import --tenant SLUG --in FILE.csv [--password P] [--invite]
                                               Add the people of a CSV (email, firstName, lastName, role, department, phone)
                                               as the superadmin import does, or invite them with --invite.
          users list [--tenant SLUG]           Members of one tenant, or of every tenant, and the superadmins.
          users reset-password --email E [--password P]
                                               Send a reset link (queued, sent by the running app), or set the password now
                                               (every session of the account ends).
          users unlock --email E               End the account's lockout after failed sign-ins.
          users disable --email E [--tenant SLUG]
                                               Deactivate the membership in one tenant, or the whole account (sessions end).
        """.TrimEnd();

    private const string Subcommands = "users needs a subcommand: create, import, list, reset-password, unlock or disable.";

    public Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct) => args.FirstOrDefault() switch
    {
        "create" => CreateAsync(args, output, ct),
        "import" => ImportAsync(args, output, ct),
        "list" => ListAsync(args, output, ct),
        "reset-password" => ResetPasswordAsync(args, output, ct),
        "unlock" => UnlockAsync(args, output, ct),
        "disable" => DisableAsync(args, output, ct),
        _ => throw new CliUsageException(Subcommands),
    };

    private async Task<int> CreateAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var email = CliScopes.Required(args, "--email", "users create");
        var role = CliScopes.Required(args, "--role", "users create");
        var name = CliScopes.OptionalValue(args, "--name", "users create");
        var password = CliScopes.OptionalValue(args, "--password", "users create");
        if (!TenantRoles.MembershipRoles.Contains(role))
            throw new CliUsageException($"--role must be one of {string.Join(", ", TenantRoles.MembershipRoles)}; got '{role}'.");
        var tenant = await CliScopes.RequiredTenantAsync(services, args, "users create", ct);

        if (password is null)
        {
            await using var scope = await CliScopes.TenantAsync(services, tenant);
            var invitation = CliScopes.Value(await scope.ServiceProvider.GetRequiredService<InvitationService>()
                .CreateAsync(new InvitationCreate { Email = Optional.Of<string?>(email), Role = Optional.Of<string?>(role) }, ct));
            await output.WriteLineAsync($"Invited {invitation.Email} to {tenant.Slug} as {invitation.Role}: the email's one-time link (valid until {invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC) lets them choose a password.");
            return 0;
        }

        var (first, last) = SplitName(name, email);
        await using (var scope = await CliScopes.TenantAsync(services, tenant, asSuperadmin: true))
        {
            var user = CliScopes.Value(await scope.ServiceProvider.GetRequiredService<UserService>().CreateAsync(new UserCreate
            {
                Email = Optional.Of<string?>(email), Role = Optional.Of<string?>(role), Password = Optional.Of<string?>(password),
                FirstName = Optional.Of<string?>(first), LastName = Optional.Of<string?>(last),
            }, ct));
            await output.WriteLineAsync($"Added {user.Email} ({user.FirstName} {user.LastName}) to {tenant.Slug} as {user.Role}.");
        }
        return 0;
    }

    private async Task<int> ImportAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var path = CliScopes.Required(args, "--in", "users import");
        var password = CliScopes.OptionalValue(args, "--password", "users import");
        var invite = args.Contains("--invite");
        if (invite && password is not null) throw new CliUsageException("users import takes --password or --invite, not both: invited people choose their own password.");
        if (!File.Exists(path)) throw new CliUsageException($"No file {path}.");
        var bytes = await File.ReadAllBytesAsync(path, ct);
        if (bytes.Length > UserImport.MaxBytes) throw new CliUsageException($"{path} is larger than {UserImport.MaxBytes / 1024 / 1024} MB.");
        var tenant = await CliScopes.RequiredTenantAsync(services, args, "users import", ct);

        await using var scope = await CliScopes.TenantAsync(services, tenant, asSuperadmin: !invite);
        var import = scope.ServiceProvider.GetRequiredService<UserImport>();
        IReadOnlyList<UserImportError> errors;
        if (invite)
        {
            var result = CliScopes.Value(await import.InviteAsync(bytes, ct));
            await output.WriteLineAsync($"{tenant.Slug}: {result.Invited} invited, {result.Skipped} skipped (members or invited already), {result.Errors.Count} row(s) refused.");
            errors = result.Errors;
        }
        else
        {
            var result = CliScopes.Value(await import.ImportAsync(bytes, password, ct));
            await output.WriteLineAsync($"{tenant.Slug}: {result.Created} account(s) created, {result.AddedToTenant} existing account(s) added, {result.Skipped} skipped (members already), {result.Errors.Count} row(s) refused.");
            errors = result.Errors;
        }
        foreach (var error in errors) await output.WriteLineAsync($"  row {error.Row}, {error.Column} '{error.Value}': {error.Reason}");
        return errors.Count == 0 ? 0 : 1;
    }

    private async Task<int> ListAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var slug = CliTenants.SlugOption(args);
        var tenants = await CliTenants.ListAsync(services, slug, ct);
        var count = 0;
        foreach (var tenant in tenants)
        {
            await using var scope = await CliScopes.TenantAsync(services, tenant);
            var members = CliScopes.Value(await scope.ServiceProvider.GetRequiredService<UserService>().ListAsync(ct));
            foreach (var m in members.OrderBy(m => m.Email, StringComparer.OrdinalIgnoreCase))
            {
                count++;
                var state = !m.IsActive ? "inactive" : m.LockedUntil is { } until ? $"locked until {until:yyyy-MM-dd HH:mm} UTC" : "active";
                await output.WriteLineAsync($"{tenant.Slug,-20} {m.Email,-36} {m.Role,-9} {state,-10} {m.FirstName} {m.LastName}");
            }
        }
        if (slug is null)
        {
            await using var scope = await CliScopes.PlatformAsync(services);
            var admins = await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().Users.AsNoTracking()
                .Where(u => u.IsSuperadmin).OrderBy(u => u.Email).Select(u => new { u.Email, u.IsActive, u.FirstName, u.LastName }).ToListAsync(ct);
            foreach (var a in admins)
                await output.WriteLineAsync($"{"(platform)",-20} {a.Email,-36} {"superadmin",-9} {(a.IsActive ? "active" : "inactive"),-10} {a.FirstName} {a.LastName}");
            count += admins.Count;
        }
        await output.WriteLineAsync($"{count} user(s) in {tenants.Count} tenant(s){(slug is null ? " and the platform" : "")}.");
        return 0;
    }

    private async Task<int> ResetPasswordAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var email = CliScopes.Required(args, "--email", "users reset-password");
        var password = CliScopes.OptionalValue(args, "--password", "users reset-password");
        await using var scope = await CliScopes.PlatformAsync(services);
        var user = await CliScopes.AccountAsync(scope, email);
        if (password is null)
        {
            CliScopes.Value(await scope.ServiceProvider.GetRequiredService<ForgotPassword>().RequestAsync(new ForgotPasswordRequest(user.Email), ct));
            await output.WriteLineAsync($"Queued a password reset email to {user.Email}: the running app sends it (a one-time link, valid one hour).");
            return 0;
        }
        var problems = await scope.ServiceProvider.GetRequiredService<AccountChanges>().SetPasswordAsync(user, password, keepSession: null, AuditActions.UserPasswordReset, ct);
        if (problems.Count > 0) throw new CliUsageException($"--password: {string.Join(" ", problems)}");
        await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().SaveChangesAsync(ct);
        await output.WriteLineAsync($"Set a new password for {user.Email}; every session of the account has ended.");
        return 0;
    }

    private async Task<int> UnlockAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var email = CliScopes.Required(args, "--email", "users unlock");
        await using var scope = await CliScopes.PlatformAsync(services);
        var user = await CliScopes.AccountAsync(scope, email);
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        if (user.LockoutEnd is not { } end || end <= now)
        {
            await output.WriteLineAsync($"{user.Email} is not locked.");
            return 0;
        }
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        await scope.ServiceProvider.GetRequiredService<AccountEmails>().AccountUnlockedAsync(user, "A platform administrator", "Switchboard", ct);
        scope.ServiceProvider.GetRequiredService<AuditLog>().Add(AuditActions.UserUnlocked, null, "user", user.Id.ToString(), new { email = user.Email, lockedUntil = end });
        await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().SaveChangesAsync(ct);
        await output.WriteLineAsync($"Unlocked {user.Email} (was locked until {end:yyyy-MM-dd HH:mm} UTC).");
        return 0;
    }

    private async Task<int> DisableAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var email = CliScopes.Required(args, "--email", "users disable");
        if (CliTenants.SlugOption(args) is not null)
        {
            var tenant = await CliScopes.RequiredTenantAsync(services, args, "users disable", ct);
            Guid id;
            await using (var platform = await CliScopes.PlatformAsync(services)) id = (await CliScopes.AccountAsync(platform, email)).Id;
            await using var scope = await CliScopes.TenantAsync(services, tenant);
            var member = CliScopes.Value(await scope.ServiceProvider.GetRequiredService<UserService>()
                .UpdateAsync(id, new UserUpdate { IsActive = Optional.Of<bool?>(false) }, ct), $"{email} is not a member of {tenant.Slug}.");
            await output.WriteLineAsync($"Deactivated {member.Email} in {tenant.Slug}; their sessions there have ended.");
            return 0;
        }

        await using (var scope = await CliScopes.PlatformAsync(services))
        {
            var user = await CliScopes.AccountAsync(scope, email);
            if (!user.IsActive)
            {
                await output.WriteLineAsync($"{user.Email} is already disabled.");
                return 0;
            }
            user.IsActive = false;
            scope.ServiceProvider.GetRequiredService<AuditLog>().Add(AuditActions.UserDisabled, null, "user", user.Id.ToString(), new { email = user.Email });
            await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().SaveChangesAsync(ct);
            var ended = await scope.ServiceProvider.GetRequiredService<SessionStore>().RevokeAllForUserAsync(user.Id, SessionEndReasons.EndedByAdmin, ct);
            await output.WriteLineAsync($"Disabled the account {user.Email} in every tenant; {ended} session(s) ended.");
        }
        return 0;
    }


    private static (string First, string Last) SplitName(string? name, string email)
    {
        var words = (name ?? email[..Math.Max(email.IndexOf('@'), 1)]).Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return words.Length switch
        {
            0 => (email, "-"),
            1 => (words[0], "-"),
            _ => (words[0], words[1]),
        };
    }
}
