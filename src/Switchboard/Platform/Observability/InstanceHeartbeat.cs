using System.Reflection;
using Npgsql;

namespace Switchboard.Platform.Observability;

/// <summary>This process as /api/v1/status lists it: one id per start, its host, pid, build and start time.</summary>
[Singleton]
public sealed class AppInstance(TimeProvider clock)
{
    public Guid Id { get; } = Guid.CreateVersion7();
    public string Host { get; } = Environment.MachineName;
    public int Pid { get; } = Environment.ProcessId;
    public DateTimeOffset StartedAt { get; } = clock.GetUtcNow();
    public string Version => BuildInfo.InformationalVersion;
}

/// <summary>The build: the version and the git commit the SDK embeds in the informational version ("1.0.0+sha").</summary>
public static class BuildInfo
{
    public static string InformationalVersion { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static string Version => InformationalVersion.Split('+')[0];
    public static string? Commit => InformationalVersion.Split('+') is [_, var sha, ..] && sha.Length > 0 ? sha : null;
}

/// <summary>
/// Upserts this instance's app_instances row every Observability:HeartbeatSeconds and deletes rows not seen for a day
/// (so the table stays as small as the fleet). A database that does not answer only delays the next beat.
/// </summary>
public sealed class InstanceHeartbeat(AppInstance instance, DatabaseConnections connections, IOptions<ObservabilityOptions> options,
    TimeProvider clock, ILogger<InstanceHeartbeat> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Heartbeat, clock);
        do
        {
            try
            {
                await BeatAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException || (e is OperationCanceledException && !stoppingToken.IsCancellationRequested))
            {
                logger.LogWarning(e, "Instance heartbeat failed; retrying in {Seconds} s.", options.Value.HeartbeatSeconds);
            }
        } while (await Next(timer, stoppingToken));
    }

    private static async Task<bool> Next(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct); }
        catch (OperationCanceledException) { return false; }
    }

    public async Task BeatAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = new NpgsqlConnection(connections.Runtime);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var upsert = new NpgsqlCommand("""
            insert into app_instances (id, host, pid, version, started_at, seen_at) values ($1, $2, $3, $4, $5, $6)
            on conflict (id) do update set seen_at = excluded.seen_at
            """, connection, transaction))
        {
            foreach (var value in new object[] { instance.Id, instance.Host, instance.Pid, instance.Version, instance.StartedAt, now })
                upsert.Parameters.Add(new NpgsqlParameter { Value = value });
            await upsert.ExecuteNonQueryAsync(ct);
        }
        await using (var prune = new NpgsqlCommand("delete from app_instances where seen_at < $1", connection, transaction))
        {
            prune.Parameters.Add(new NpgsqlParameter { Value = now - TimeSpan.FromDays(1) });
            await prune.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }
}
