using Switchboard.Platform.Cli;

namespace Switchboard.Features.Retention;

/// <summary>
/// <c>switchboard retention --dry-run|--execute [--tenant SLUG]</c>: every tenant's retention (or one tenant's), each
/// run inside its tenant as the nightly job runs it; one line per class with rows and the oldest date.
/// </summary>
public sealed class RetentionCommand(IServiceProvider services) : ICliCommand
{
    public static string Verb => "retention";

    public static string Usage => """
          retention --dry-run|--execute [--tenant SLUG]
                                               List per tenant and class what its data retention would remove (rows, oldest
                                               date), or remove it in batches; every run is audited in its tenant.
        """.TrimEnd();

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var dryRun = args.Contains("--dry-run");
        if (dryRun == args.Contains("--execute")) throw new CliException("retention needs one of --dry-run or --execute.");
        var tenants = await CliTenants.ListAsync(services, CliTenants.SlugOption(args), ct);
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        long total = 0;
        foreach (var tenant in tenants)
        {
            await using var scope = await scopes.EnterTenantAsync(tenant.Id, "retention", ct);
            if (scope is not { } entered) continue;
            var run = await entered.ServiceProvider.GetRequiredService<RetentionRunner>().RunAsync(dryRun, "cli", ct);
            total += run.Rows;
            await output.WriteLineAsync($"tenant {tenant.Slug}: {run.Rows:N0} row(s) {(dryRun ? "would go" : "removed")}");
            foreach (var c in run.Classes)
                await output.WriteLineAsync(c.Days is null
                    ? $"  {c.Class,-16} kept for ever"
                    : $"  {c.Class,-16} {c.Rows,10:N0}  older than {c.Days:N0} days (before {c.Cutoff:yyyy-MM-dd HH:mm} UTC){(c.Oldest is { } oldest ? $", oldest {oldest:yyyy-MM-dd}" : "")}");
        }
        await output.WriteLineAsync($"{tenants.Count:N0} tenant(s), {total:N0} row(s) {(dryRun ? "would go (dry run: nothing removed)" : "removed")}.");
        return 0;
    }
}
