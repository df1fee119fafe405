namespace Switchboard.Platform.Cli;

/// <summary>Bad usage of a command (a missing or malformed option): the command line prints it on one line and exits with code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);

/// <summary>
/// How the administrator's commands act (ADR 0067): in a new DI scope whose audit actor is the system actor
/// <see cref="Actor"/>, through the same services the API uses, entered into a tenant (row-level security applies) or
/// on the platform path. The command line is a superadmin out of band: it has no user id of its own.
/// </summary>
public static class CliScopes
{
    /// <summary>The audit rows' actor name for every change made from the command line.</summary>
    public const string Actor = "cli";

    /// <summary>A scope on the platform path (tenant-less tables, platform audit rows), as a superadmin.</summary>
    public static async Task<AsyncServiceScope> PlatformAsync(IServiceProvider services)
    {
        var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<AuditActor>().System(Actor);
        var ctx = scope.ServiceProvider.GetRequiredService<TenantContext>();
        await ctx.EnterAsync(Guid.Empty, isSuperadmin: true, tenant: null, role: null);
        await ctx.EnterPlatformAsync();
        return scope;
    }

    /// <summary>
    /// A scope inside <paramref name="tenant"/> with the superadmin role. <paramref name="asSuperadmin"/>: also a
    /// superadmin identity (for the services that create accounts); otherwise no user at all, so nothing the services
    /// record names a user (an invitation's inviter stays empty).
    /// </summary>
    public static async Task<AsyncServiceScope> TenantAsync(IServiceProvider services, Tenant tenant, bool asSuperadmin = false)
    {
        var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<AuditActor>().System(Actor);
        var ctx = scope.ServiceProvider.GetRequiredService<TenantContext>();
        if (asSuperadmin) await ctx.EnterAsync(Guid.Empty, isSuperadmin: true, TenantMessages.Settings(tenant), TenantRole.Superadmin);
        else await ctx.EnterTenantAsync(TenantMessages.Settings(tenant), TenantRole.Superadmin);
        return scope;
    }

    /// <summary>The tenant <c>--tenant SLUG</c> names (required: a <see cref="CliUsageException"/> when absent; unknown: a <see cref="CliException"/>).</summary>
    public static async Task<Tenant> RequiredTenantAsync(IServiceProvider services, string[] args, string command, CancellationToken ct)
    {
        var slug = CliTenants.SlugOption(args) ?? throw new CliUsageException($"{command} needs --tenant SLUG.");
        return (await CliTenants.ListAsync(services, slug, ct)).Single();
    }

    /// <summary>The account with <paramref name="email"/> (any tenant, or none), or a <see cref="CliException"/> naming the email.</summary>
    public static async Task<AppUser> AccountAsync(AsyncServiceScope scope, string email) =>
        await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>().FindByEmailAsync(email)
        ?? throw new CliException($"No account has the email '{email}'.");

    /// <summary>The value of a required option, or a <see cref="CliUsageException"/> naming it.</summary>
    public static string Required(string[] args, string name, string command) =>
        SwitchboardCli.Option(args, name) is { Length: > 0 } value && !value.StartsWith("--", StringComparison.Ordinal)
            ? value : throw new CliUsageException($"{command} needs {name} {name.TrimStart('-').ToUpperInvariant()}.");

    /// <summary>An optional option's value; present without a value is bad usage.</summary>
    public static string? OptionalValue(string[] args, string name, string command)
    {
        if (!args.Contains(name)) return null;
        return Required(args, name, command);
    }

    /// <summary>Turns a service's refusal into the command line's: invalid input → exit 2, anything else → exit 1, each on one line.</summary>
    public static T Value<T>(Outcome<T> outcome, string? notFound = null) => outcome switch
    {
        Outcome<T>.Ok ok => ok.Value,
        Outcome<T>.Invalid invalid => throw new CliUsageException(string.Join(" ", invalid.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")))),
        Outcome<T>.NotFound => throw new CliException(notFound ?? "Not found."),
        Outcome<T>.Forbidden f => throw new CliException(f.Message),
        Outcome<T>.Conflict c => throw new CliException(c.Message),
        Outcome<T>.PreconditionFailed p => throw new CliException(p.Message),
        _ => throw new CliException(outcome.ToString()),
    };
}
