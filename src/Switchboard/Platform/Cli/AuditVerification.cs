namespace Switchboard.Platform.Cli;

/// <summary>
/// <c>switchboard audit verify [--tenant SLUG]</c>: recomputes every tenant's audit chain and the platform's (or one
/// tenant's) with <see cref="AuditChainVerifier"/>, one line per chain, each read inside its tenant as the application
/// reads it (row-level security applies). Exit code 1 when any chain is broken.
/// </summary>
public static class AuditVerification
{
    public static async Task<int> RunAsync(IServiceProvider services, string? slug, TextWriter output, CancellationToken ct)
    {
        var tenants = await CliTenants.ListAsync(services, slug, ct);

        var chains = tenants.Select(t => ($"tenant {t.Slug}", (Guid?)t.Id, (Func<TenantContext, Task>)(ctx => ctx.EnterTenantAsync(TenantMessages.Settings(t), TenantRole.Superadmin))))
            .ToList();
        if (slug is null) chains.Add(("platform", null, ctx => ctx.EnterPlatformAsync()));

        var broken = 0;
        long rows = 0;
        foreach (var (name, tenantId, enter) in chains)
        {
            await using var scope = services.CreateAsyncScope();
            await enter(scope.ServiceProvider.GetRequiredService<TenantContext>());
            var report = await scope.ServiceProvider.GetRequiredService<AuditChainVerifier>().VerifyAsync(tenantId, ct);
            rows += report.Checked;
            if (report.Ok)
            {
                await output.WriteLineAsync($"{name}: {report.Checked:N0} rows, intact{(report.HeadHash is { } head ? $" (head {head})" : "")}");
                continue;
            }
            broken++;
            await output.WriteLineAsync($"{name}: BROKEN after {report.Checked:N0} intact rows. {report.Problem}");
        }
        await output.WriteLineAsync(broken == 0
            ? $"Checked {rows:N0} rows in {chains.Count:N0} chain(s): all intact."
            : $"Checked {rows:N0} rows in {chains.Count:N0} chain(s): {broken:N0} broken.");
        return broken == 0 ? 0 : 1;
    }
}
