using Npgsql;

namespace Switchboard.Platform.Observability;

public sealed record MigrationStatusDto(int Applied, string? Last, DateTimeOffset? LastAppliedAt);
public sealed record QueueStatusDto(string Queue, string Kind, long Depth, long Due, double OldestDueAgeSeconds);
public sealed record ReplicationStatusDto(string Role, int? Standbys, double? LagSeconds);
public sealed record InstanceDto(Guid Id, string Host, int Pid, string Version, DateTimeOffset StartedAt, DateTimeOffset SeenAt, bool IsThisInstance);

/// <summary>
/// GET /api/v1/status. Replication is null when this server has no standby and is none. StandbyReads: whether reports,
/// exports and search may read on a standby (<c>ConnectionStrings:SwitchboardStandby</c> is set, ADR 0070).
/// </summary>
public sealed record PlatformStatusDto(
    string Version, string? Commit, DateTimeOffset CheckedAt, MigrationStatusDto Migrations,
    IReadOnlyList<QueueStatusDto> Jobs, IReadOnlyList<QueueStatusDto> Outboxes, long LiveCalls,
    ReplicationStatusDto? Replication, bool StandbyReads, IReadOnlyList<InstanceDto> Instances);

/// <summary>
/// What a superadmin reads on the Status page and at /api/v1/status: the build, the migrations, the backlogs, replication
/// and the instances seen in the last minute. Several small platform queries, fine for a person's page, not for a probe
/// (/health/ready stays the cheap one).
/// </summary>
[Scoped]
public sealed class PlatformStatus(TenantContext ctx, DatabaseConnections connections, BacklogSnapshots backlog, AppInstance instance, TimeProvider clock)
{
    public static readonly TimeSpan SeenWithin = TimeSpan.FromMinutes(1);

    public async Task<Outcome<PlatformStatusDto>> ReadAsync(CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return new Outcome<PlatformStatusDto>.Forbidden("Only superadmins can read the platform's status.");
        var now = clock.GetUtcNow();
        var snapshot = await backlog.ReadNowAsync(ct);
        var queues = snapshot.Queues.Select(q => new QueueStatusDto(q.Queue, q.Kind, q.Depth, q.Due, Math.Round(q.OldestDueAge(snapshot.ReadAt), 1))).ToList();

        await using var connection = new NpgsqlConnection(connections.Runtime);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var migrations = await MigrationsAsync(connection, transaction, ct);
        var instances = await InstancesAsync(connection, transaction, now, ct);
        await transaction.CommitAsync(ct);

        return new PlatformStatusDto(BuildInfo.Version, BuildInfo.Commit, now, migrations,
            queues.Where(q => q.Queue == "job").OrderBy(q => q.Kind, StringComparer.Ordinal).ToList(),
            queues.Where(q => q.Queue != "job").OrderBy(q => q.Queue, StringComparer.Ordinal).ToList(),
            snapshot.LiveCalls.Sum(c => c.Count), ToDto(snapshot.Replication), connections.Standby is not null, instances);
    }

    private static async Task<MigrationStatusDto> MigrationsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            select (select count(*) from schema_migrations), m.version, m.name, m.applied_at
            from (select 1) one left join (select * from schema_migrations order by version desc limit 1) m on true
            """, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new MigrationStatusDto((int)reader.GetInt64(0),
            reader.IsDBNull(1) ? null : $"{reader.GetInt32(1):D4}_{reader.GetString(2)}",
            reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3));
    }

    private static ReplicationStatusDto? ToDto(Replication replication) => replication.Replicates
        ? new ReplicationStatusDto(replication.IsStandby ? "standby" : "primary", replication.Standbys,
            replication.LagSeconds is { } lag ? Math.Round(lag, 3) : null)
        : null;

    private async Task<IReadOnlyList<InstanceDto>> InstancesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            select id, host, pid, version, started_at, seen_at from app_instances where seen_at >= $1 order by started_at, id
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = now - SeenWithin });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var instances = new List<InstanceDto>();
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetGuid(0);
            instances.Add(new InstanceDto(id, reader.GetString(1), reader.GetInt32(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5), id == instance.Id));
        }
        return instances;
    }
}
