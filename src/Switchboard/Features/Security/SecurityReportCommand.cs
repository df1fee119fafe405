using Switchboard.Platform.Cli;
using Switchboard.Platform.Protection;

namespace Switchboard.Features.Security;

/// <summary>
/// <c>switchboard security-report [--tenant SLUG] [--json]</c>: every tenant's security report (or one tenant's), as
/// text for a person or JSON for a script, each read inside its tenant as the application reads it, and the platform's
/// IP blocks in force.
/// </summary>
public sealed class SecurityReportCommand(IServiceProvider services, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : ICliCommand
{
    public static string Verb => "security-report";

    public static string Usage => """
          security-report [--tenant SLUG] [--json]
                                               Print every tenant's security report (or one tenant's): members without
                                               two-factor sign-in, admins, dormant members, locked accounts, API keys
                                               without expiry or unused, failed sign-ins; and the IP blocks in force.
        """.TrimEnd();

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var tenants = await CliTenants.ListAsync(services, CliTenants.SlugOption(args), ct);

        var reports = new List<(Tenant Tenant, SecurityReportDto Report)>();
        foreach (var tenant in tenants)
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<TenantContext>().EnterTenantAsync(TenantMessages.Settings(tenant), TenantRole.Superadmin);
            reports.Add((tenant, await scope.ServiceProvider.GetRequiredService<SecurityReports>().BuildAsync(tenant.Id, ct)));
        }

        var blocks = await ActiveBlocksAsync(ct);
        if (args.Contains("--json"))
        {
            var body = new { tenants = reports.Select(r => new { tenant = r.Tenant.Slug, name = r.Tenant.Name, report = r.Report }), ipBlocks = blocks };
            await output.WriteLineAsync(JsonSerializer.Serialize(body, json.Value.SerializerOptions));
            return 0;
        }
        foreach (var (tenant, report) in reports) await WriteTextAsync(output, tenant, report);
        await output.WriteLineAsync(blocks.Count == 0
            ? "platform IP blocks: none active"
            : $"platform IP blocks: {blocks.Count:N0} active: " + string.Join(", ", blocks.Select(b =>
                $"{b.Network} ({b.Source}, {(b.ExpiresAt is { } until ? $"until {until:yyyy-MM-dd HH:mm} UTC" : "no expiry")}: {b.Reason})")));
        await output.WriteLineAsync($"{reports.Count:N0} tenant(s), {reports.Sum(r => r.Report.Findings):N0} finding(s) to look at.");
        return 0;
    }

    /// <summary>The platform blocklist's blocks in force now (ADR 0046), newest first: the superadmin's page lists them all.</summary>
    private async Task<List<ActiveBlock>> ActiveBlocksAsync(CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        return await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().IpBlocks.AsNoTracking()
            .Where(b => b.LiftedAt == null && (b.ExpiresAt == null || b.ExpiresAt > now))
            .OrderByDescending(b => b.CreatedAt)
            .Select(b => new ActiveBlock(b.Network, b.Source, b.Reason, b.CreatedAt, b.ExpiresAt))
            .ToListAsync(ct);
    }

    private sealed record ActiveBlock(string Network, string Source, string Reason, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

    private static async Task WriteTextAsync(TextWriter output, Tenant tenant, SecurityReportDto report)
    {
        var days = (int)SecurityReports.DormantAfter.TotalDays;
        await output.WriteLineAsync($"tenant {tenant.Slug} ({tenant.Name}): {report.Members:N0} active member(s), {report.Admins.Count:N0} admin(s)");
        await output.WriteLineAsync($"  IP allowlist: {(report.IpAllowlist.Count == 0 ? "off (any address)" : string.Join(", ", report.IpAllowlist))}");
        await output.WriteLineAsync($"  without two-factor sign-in (required of: {report.Mfa}): {Members(report.WithoutSecondFactor)}");
        await output.WriteLineAsync($"  admins: {Members(report.Admins)}");
        await output.WriteLineAsync($"  dormant for {days} days: {Members(report.DormantMembers, m => m.LastActiveAt is { } at ? $"last active {at:yyyy-MM-dd}" : "never active")}");
        await output.WriteLineAsync($"  locked: {Members(report.LockedMembers, m => $"until {m.LockedUntil:yyyy-MM-dd HH:mm} UTC")}");
        await output.WriteLineAsync($"  API keys without expiry: {Keys(report.KeysWithoutExpiry)}");
        await output.WriteLineAsync($"  API keys unused for {days} days: {Keys(report.UnusedKeys)}");
        var failed = report.FailedSignIns;
        await output.WriteLineAsync(failed.Total == 0
            ? "  failed sign-ins in 24 hours: none"
            : $"  failed sign-ins in 24 hours: {failed.Total:N0} ({Counts(failed.ByReason)}); from {Counts(failed.TopAddresses)}");
    }

    private static string Members(IReadOnlyList<ReportMember> members, Func<ReportMember, string>? detail = null) =>
        members.Count == 0 ? "none" : string.Join(", ", members.Select(m => $"{m.Name} <{m.Email}>{(detail is null ? "" : $" ({detail(m)})")}"));

    private static string Keys(IReadOnlyList<ReportKey> keys) =>
        keys.Count == 0 ? "none" : string.Join(", ", keys.Select(k => $"\"{k.Name}\" ({ApiKeySecrets.Display(k.Prefix)})"));

    private static string Counts(IReadOnlyList<CountOf> counts) => string.Join(", ", counts.Select(c => $"{c.Value} {c.Count:N0}"));
}
