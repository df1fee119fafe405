using Switchboard.Features.Invitations;
using Switchboard.Features.Tenants;

namespace Switchboard.Platform.Cli;

/// <summary>
/// <c>switchboard tenant create|deactivate|reactivate|stats</c> (beside <c>tenant export|import</c>): tenants through
/// <see cref="TenantService"/>, the superadmin API's service, so the checks and the platform audit rows are the API's
/// (ADR 0067). Stats are counted inside the tenant, under its row-level security.
/// </summary>
public sealed class TenantAdministration(IServiceProvider services)
{
    public static string Usage => """
          tenant create --slug S --name N [--admin-email E] [--time-zone Z] [--currency C] [--country CC]
                                               Create a tenant (defaults UTC, USD, US) and invite its first administrator.
          tenant deactivate --tenant SLUG      Deactivate a tenant: its members lose access at once.
          tenant reactivate --tenant SLUG      Give a deactivated tenant its access back.
          tenant stats [--tenant SLUG]         Members, leads, contacts, calls, audit rows and the rows of every tenant
                                               table, per tenant.
        """.TrimEnd();

    public Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct) => args.First() switch
    {
        "create" => CreateAsync(args, output, ct),
        "deactivate" => SetActiveAsync(args, active: false, output, ct),
        "reactivate" => SetActiveAsync(args, active: true, output, ct),
        _ => StatsAsync(args, output, ct),
    };

    private async Task<int> CreateAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var slug = CliScopes.Required(args, "--slug", "tenant create");
        var name = CliScopes.Required(args, "--name", "tenant create");
        var adminEmail = CliScopes.OptionalValue(args, "--admin-email", "tenant create");
        var body = new TenantWrite
        {
            Slug = Optional.Of<string?>(slug), Name = Optional.Of<string?>(name),
            TimeZone = Optional.Of<string?>(CliScopes.OptionalValue(args, "--time-zone", "tenant create") ?? "UTC"),
            Currency = Optional.Of<string?>(CliScopes.OptionalValue(args, "--currency", "tenant create") ?? "USD"),
            DefaultCountry = Optional.Of<string?>(CliScopes.OptionalValue(args, "--country", "tenant create") ?? "US"),
        };
        if (adminEmail is not null && (!MimeKit.MailboxAddress.TryParse(adminEmail, out _) || !adminEmail.Contains('@')))
            throw new CliUsageException($"--admin-email: '{adminEmail}' is not an email address.");

        TenantDto created;
        await using (var scope = await CliScopes.PlatformAsync(services))
            created = CliScopes.Value(await scope.ServiceProvider.GetRequiredService<TenantService>().CreateAsync(body, ct));
        await output.WriteLineAsync($"Created tenant {created.Slug} ({created.Name}), id {created.Id}.");
        if (adminEmail is null) return 0;

        var tenant = (await CliTenants.ListAsync(services, created.Slug, ct)).Single();
        await using var inside = await CliScopes.TenantAsync(services, tenant);
        var invitation = CliScopes.Value(await inside.ServiceProvider.GetRequiredService<InvitationService>()
            .CreateAsync(new InvitationCreate { Email = Optional.Of<string?>(adminEmail), Role = Optional.Of<string?>("admin") }, ct));
        await output.WriteLineAsync($"Invited {invitation.Email} as its administrator: the email's one-time link (valid until {invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC) lets them choose a password.");
        return 0;
    }

    private async Task<int> SetActiveAsync(string[] args, bool active, TextWriter output, CancellationToken ct)
    {
        var verb = active ? "tenant reactivate" : "tenant deactivate";
        var tenant = await CliScopes.RequiredTenantAsync(services, args, verb, ct);
        if (tenant.IsActive == active)
        {
            await output.WriteLineAsync($"{tenant.Slug} is already {(active ? "active" : "deactivated")}.");
            return 0;
        }
        await using var scope = await CliScopes.PlatformAsync(services);
        var updated = CliScopes.Value(await scope.ServiceProvider.GetRequiredService<TenantService>()
            .UpdateAsync(tenant.Id, new TenantWrite { IsActive = Optional.Of<bool?>(active) }, ct));
        await output.WriteLineAsync(active ? $"Reactivated {updated.Slug}: its members can sign in again." : $"Deactivated {updated.Slug}: its members have lost access.");
        return 0;
    }

    private async Task<int> StatsAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var tenants = await CliTenants.ListAsync(services, CliTenants.SlugOption(args), ct);
        foreach (var tenant in tenants)
        {
            await using var scope = await CliScopes.TenantAsync(services, tenant);
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
            var tables = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var entity in db.Model.GetEntityTypes()
                         .Where(e => typeof(ITenantOwned).IsAssignableFrom(e.ClrType) && !e.IsOwned() && e.FindPrimaryKey() is not null && e.GetTableName() is not null && e.BaseType is null))
            {
                var count = await (Task<int>)CountMethod.MakeGenericMethod(entity.ClrType).Invoke(null, [db, ct])!;
                tables[entity.GetTableName()!] = count;
            }
            var audit = await db.AuditLog.CountAsync(a => a.TenantId == tenant.Id, ct);
            var jobs = await db.Jobs.CountAsync(j => j.TenantId == tenant.Id && j.CompletedAt == null && j.FailedAt == null, ct);
            int Rows(string table) => tables.GetValueOrDefault(table);
            await output.WriteLineAsync($"{tenant.Slug} ({tenant.Name}, {(tenant.IsActive ? "active" : "deactivated")}): {Rows("tenant_memberships"):N0} member(s), " +
                $"{Rows("leads"):N0} lead(s), {Rows("contacts"):N0} contact(s), {Rows("calls"):N0} call(s), {audit:N0} audit row(s), {jobs:N0} pending job(s); " +
                $"{tables.Values.Sum() + audit:N0} row(s) in {tables.Count(t => t.Value > 0) + (audit > 0 ? 1 : 0)} table(s)");
            foreach (var (table, count) in tables.Where(t => t.Value > 0)) await output.WriteLineAsync($"  {table,-36} {count,10:N0}");
        }
        await output.WriteLineAsync($"{tenants.Count} tenant(s).");
        return 0;
    }

    private static readonly System.Reflection.MethodInfo CountMethod =
        typeof(TenantAdministration).GetMethod(nameof(CountAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    private static Task<int> CountAsync<T>(SwitchboardDbContext db, CancellationToken ct) where T : class => db.Set<T>().CountAsync(ct);
}
