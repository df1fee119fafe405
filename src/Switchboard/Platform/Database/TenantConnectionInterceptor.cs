using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using Switchboard.Platform.Tenancy;

namespace Switchboard.Platform.Database;

/// <summary>
/// Puts the scope's tenant and user on every connection EF opens, so PostgreSQL row-level security
/// sees them. EF opens connections through the sync path for sync queries and the async path for
/// async ones, so both are covered. Npgsql resets session state when a connection returns to the pool.
/// A change of identity while a connection is open is applied to it at once, unless it already carries
/// exactly those settings (the request's own connection, see <see cref="OpenWithAsync{T}"/>).
/// </summary>
public sealed class TenantConnectionInterceptor : DbConnectionInterceptor
{
    private const string SetSql =
        "select set_config('app.tenant_id', $1, false), set_config('app.user_id', $2, false), set_config('app.platform', $3, false)";

    private readonly TenantContext _tenant;
    private DbConnection? _open;
    private SessionSettings? _applied;

    public TenantConnectionInterceptor(TenantContext tenant)
    {
        _tenant = tenant;
        _tenant.Changed += ReapplyToOpenConnectionAsync;
    }

    private SessionSettings Current => new(_tenant.TenantId, _tenant.UserId, _tenant.IsPlatform);

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        var settings = Current;
        using var command = BuildCommand((NpgsqlConnection)connection, settings);
        command.ExecuteNonQuery();
        Track(connection, settings);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        var settings = Current;
        await using var command = BuildCommand((NpgsqlConnection)connection, settings);
        await command.ExecuteNonQueryAsync(cancellationToken);
        Track(connection, settings);
    }

    public override void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Track(null, null);

    public override Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        Track(null, null);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Opens <paramref name="connection"/> (the DbContext's own) and sends <paramref name="settings"/> and
    /// <paramref name="query"/> in one round trip. EF did not open it, so EF leaves it open for the rest of the
    /// scope: every later query of the scope reuses it without setting anything again. The settings are what the
    /// caller claims; it must check them with <paramref name="query"/> before anything else runs on the connection.
    /// </summary>
    public async Task<T> OpenWithAsync<T>(NpgsqlConnection connection, SessionSettings settings, NpgsqlBatchCommand query,
        Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        if (connection.State != ConnectionState.Open) await connection.OpenAsync(ct);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { SetCommand(settings), query } };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        Track(connection, settings);
        await reader.NextResultAsync(ct);
        return await read(reader, ct);
    }

    private void Track(DbConnection? connection, SessionSettings? settings)
    {
        _open = connection;
        _applied = settings;
    }

    private async Task ReapplyToOpenConnectionAsync()
    {
        var settings = Current;
        if (_open is not { State: ConnectionState.Open } connection || settings == _applied) return;
        await using var command = BuildCommand((NpgsqlConnection)connection, settings);
        await command.ExecuteNonQueryAsync();
        _applied = settings;
    }

    private static NpgsqlCommand BuildCommand(NpgsqlConnection connection, SessionSettings settings) =>
        BuildCommand(connection, settings.TenantId, settings.UserId, settings.Platform);

    /// <summary>The session settings RLS reads, for a connection EF does not open (bulk work on a raw connection).</summary>
    public static NpgsqlCommand BuildCommand(NpgsqlConnection connection, Guid? tenantId, Guid? userId, bool platform)
    {
        var command = new NpgsqlCommand(SetSql, connection);
        AddParameters(command.Parameters, new SessionSettings(tenantId, userId, platform));
        return command;
    }

    private static NpgsqlBatchCommand SetCommand(SessionSettings settings)
    {
        var command = new NpgsqlBatchCommand(SetSql);
        AddParameters(command.Parameters, settings);
        return command;
    }

    private static void AddParameters(NpgsqlParameterCollection parameters, SessionSettings settings)
    {
        parameters.Add(new NpgsqlParameter { Value = settings.TenantId?.ToString() ?? "" });
        parameters.Add(new NpgsqlParameter { Value = settings.UserId?.ToString() ?? "" });
        parameters.Add(new NpgsqlParameter { Value = settings.Platform ? "on" : "off" });
    }
}

/// <summary>What a connection's session is set to for RLS: tenant, user, and whether the platform path is on.</summary>
public readonly record struct SessionSettings(Guid? TenantId, Guid? UserId, bool Platform);
