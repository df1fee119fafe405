namespace Switchboard.Platform.Cli;

/// <summary>The tenants a command works on: every tenant by slug, or the one <c>--tenant SLUG</c> names.</summary>
public static class CliTenants
{
    /// <summary>The slug <c>--tenant</c> names, or null when absent; <c>--tenant</c> without a slug is a <see cref="CliException"/>.</summary>
    public static string? SlugOption(string[] args)
    {
        var slug = SwitchboardCli.Option(args, "--tenant");
        if (args.Contains("--tenant") && string.IsNullOrWhiteSpace(slug)) throw new CliException("--tenant needs a tenant's slug.");
        return slug;
    }

    /// <summary>Every tenant by slug, or the one <paramref name="slug"/> names (unknown: a <see cref="CliException"/>).</summary>
    public static async Task<List<Tenant>> ListAsync(IServiceProvider services, string? slug, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var tenants = await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().Tenants.AsNoTracking()
            .Where(t => slug == null || t.Slug == slug).OrderBy(t => t.Slug).ToListAsync(ct);
        if (slug is not null && tenants.Count == 0) throw new CliException($"No tenant has the slug '{slug}'.");
        return tenants;
    }
}
