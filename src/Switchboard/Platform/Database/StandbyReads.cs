using System.Diagnostics;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using Switchboard.Platform.Observability;

namespace Switchboard.Platform.Database;

/// <summary>
/// Reads that a standby may serve — reports, exports, search (ADR 0070). With
/// <c>ConnectionStrings:SwitchboardStandby</c> set, the first such read of a request opens a second DI scope whose
/// database is that connection (<c>Target Session Attributes=prefer-standby</c>), entered as the same tenant and user,
/// and keeps one connection of it open for the request. Before anything is read there, the standby must have replayed
/// the primary's WAL up to where it stood when the read began (<c>pg_current_wal_lsn()</c> on the primary against
/// <c>pg_last_wal_replay_lsn()</c> on the standby): whatever was committed before the read began — the reader's own
/// writes and everyone else's — is visible, so a standby read is never staler than a primary read started at the same
/// moment. A standby that has not caught up within <c>Database:StandbyWaitMilliseconds</c>, or cannot be reached,
/// hands the read back to the primary. Without the setting every read is the request's own (the primary's).
/// </summary>
// Wide on purpose: the request's services and a scope factory for the standby's; route, connections and options decide
// where a read goes; metrics and the log record where it went.
[Scoped]
public sealed class StandbyReads(
    IServiceProvider services, IServiceScopeFactory scopes, DatabaseRoute route, DatabaseConnections connections,
    IOptions<DatabaseOptions> options, SwitchboardInstruments instruments, ILogger<StandbyReads> log) : IAsyncDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);
    private IServiceProvider? _reads;
    private AsyncServiceScope? _scope;

    /// <summary>Where this request's reads ran: null before the first (or without a standby setting), then "standby" or "primary".</summary>
    public string? ServedBy { get; private set; }

    /// <summary>The services to read with: a caught-up standby's scope, or this request's own.</summary>
    public async Task<IServiceProvider> ServicesAsync(CancellationToken ct)
    {
        if (_reads is not null) return _reads;
        // Unset, or this is the standby scope itself: its reads are already where they belong.
        if (connections.Standby is null || route.IsStandby) return _reads = services;
        var scope = scopes.CreateAsyncScope();
        string? node = null;
        try
        {
            node = await CaughtUpAsync(scope.ServiceProvider, ct);
        }
        catch (Exception e) when (DatabaseErrors.IsUnavailable(e) && !ct.IsCancellationRequested)
        {
            log.LogWarning("Standby reads: the standby connection failed ({Message}); reading from the primary.", e.Message);
        }
        finally
        {
            if (node is null) await scope.DisposeAsync();
        }
        if (node is null)
        {
            Served("primary");
            return _reads = services;
        }
        _scope = scope;
        Served(node);
        return _reads = scope.ServiceProvider;
    }

    /// <summary>A service of the read scope (see <see cref="ServicesAsync"/>): its queries run where the reads do.</summary>
    public async Task<T> ServiceAsync<T>(CancellationToken ct) where T : notnull =>
        (await ServicesAsync(ct)).GetRequiredService<T>();

    /// <summary>The database context to read with; it refuses to save when it is the standby's.</summary>
    public Task<SwitchboardDbContext> ContextAsync(CancellationToken ct) => ServiceAsync<SwitchboardDbContext>(ct);

    /// <summary>
    /// Enters the new scope as this request's tenant and user, opens its connection (kept for the request, so every read
    /// runs on the server checked here) and waits for that server to replay what the primary had written. Returns what
    /// the node is ("standby", or "primary" where prefer-standby found no standby), or null when it did not catch up.
    /// </summary>
    private async Task<string?> CaughtUpAsync(IServiceProvider standby, CancellationToken ct)
    {
        standby.GetRequiredService<DatabaseRoute>().IsStandby = true;
        await standby.GetRequiredService<TenantContext>().EnterSameAsAsync(services.GetRequiredService<TenantContext>());
        var primary = services.GetRequiredService<SwitchboardDbContext>();
        var target = await primary.Database.SqlQuery<long>($"select (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint as \"Value\"").SingleAsync(ct);

        var db = standby.GetRequiredService<SwitchboardDbContext>();
        await db.Database.OpenConnectionAsync(ct);
        // Real time, not the app's TimeProvider: this waits on a server, and a test's frozen clock must not stall it.
        var started = Stopwatch.GetTimestamp();
        var wait = TimeSpan.FromMilliseconds(options.Value.StandbyWaitMilliseconds);
        while (true)
        {
            var position = await db.Database.SqlQuery<ReplayPosition>($"""
                select pg_is_in_recovery() as "InRecovery", coalesce((pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint, 0) as "Replayed"
                """).SingleAsync(ct);
            // prefer-standby lands on the primary when no standby is up: it has everything.
            if (!position.InRecovery) return "primary";
            if (position.Replayed >= target) return "standby";
            if (Stopwatch.GetElapsedTime(started) >= wait)
            {
                log.LogInformation("Standby reads: the standby is {Bytes} bytes of WAL behind after {Wait} ms; reading from the primary.",
                    target - position.Replayed, options.Value.StandbyWaitMilliseconds);
                return null;
            }
            await Task.Delay(Poll, ct);
        }
    }

    private void Served(string by)
    {
        ServedBy = by;
        instruments.StandbyReadServed(by);
    }

    public async ValueTask DisposeAsync()
    {
        if (_scope is { } scope) await scope.DisposeAsync();
    }

    private sealed record ReplayPosition(bool InRecovery, long Replayed);
}

/// <summary>Which database a DI scope's <see cref="SwitchboardDbContext"/> talks to: the primary unless <see cref="StandbyReads"/> made it a standby scope.</summary>
[Scoped]
public sealed class DatabaseRoute
{
    public bool IsStandby { get; set; }
}

/// <summary>
/// The pool of contexts on <c>ConnectionStrings:SwitchboardStandby</c>: the same model and tenant interceptor as the
/// primary's, and a guard that refuses SaveChanges — a standby scope only reads (on a lone primary, reached through
/// prefer-standby after a failover, a write would otherwise go through unnoticed).
/// </summary>
[Singleton]
public sealed class StandbyContexts(DatabaseConnections connections, TenantConnectionInterceptor tenant)
{
    private readonly Lazy<PooledDbContextFactory<SwitchboardDbContext>> _pool = new(() => new(
        new DbContextOptionsBuilder<SwitchboardDbContext>()
            .UseNpgsql(connections.Standby ?? throw new InvalidOperationException($"{DatabaseConnections.StandbyKey} is not set."))
            .AddInterceptors(tenant, ReadOnlyGuard.Instance)
            .Options));

    public SwitchboardDbContext CreateDbContext() => _pool.Value.CreateDbContext();

    private sealed class ReadOnlyGuard : SavingChangesInterceptor
    {
        public static readonly ReadOnlyGuard Instance = new();

        protected override void BeforeSave(DbContext? context) =>
            throw new InvalidOperationException("A standby read scope never writes: write with the request's own services (StandbyReads, ADR 0070).");
    }
}
