using Npgsql;

namespace Switchboard.Platform.Audit;

/// <summary>
/// Audit rows that committed while their chain's lock was busy wait in audit_backlog for the chain's next seal
/// (ADR 0049). Readers that must see every committed row in the chain (verification, export) seal it first.
/// </summary>
public static class AuditBacklog
{
    /// <summary>Seals the chain's backlog, waiting for the chain's lock if a seal holds it (never for long: its holder waits for nothing).</summary>
    public static async Task SealAsync(SwitchboardDbContext db, Guid? tenantId, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"select audit_seal_backlogs({AuditChainLink.ChainOf(tenantId)}, true)", ct);
}

/// <summary>
/// Seals the audit rows that committed while their chain's lock was busy (ADR 0049), once a second. Under load the
/// next audited commit of the same tenant seals them first anyway; this sweep is for the last rows before a quiet
/// spell. Every instance runs one: a chain whose lock another instance (or a committing writer) holds is skipped,
/// since its holder seals the backlog. One query a second when there is nothing to do.
/// </summary>
internal sealed class AuditBacklogSweep(DatabaseConnections connections, TimeProvider clock, ILogger<AuditBacklogSweep> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await WaitAsync(timer, stoppingToken))
        {
            try
            {
                await using var conn = new NpgsqlConnection(connections.Runtime);
                await conn.OpenAsync(stoppingToken);
                await using var seal = new NpgsqlCommand("select audit_seal_backlogs(null, false)", conn);
                await seal.ExecuteNonQueryAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                // The rows stay in the backlog (verification counts them as not sealed yet) until the next sweep or commit.
                logger.LogWarning(e, "Could not seal the audit backlog; trying again in {Interval}", Interval);
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
