using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using Switchboard.Platform.Tenancy;

namespace Switchboard.Platform.Database;

/// <summary>
/// Puts the scope's tenant and user on every connection EF opens, so PostgreSQL row-level security
/// sees them. EF opens connections through the sync path for sync queries and the async path for
/// async ones, so both are covered. Npgsql resets session state when a connection returns to the pool.
/// </summary>
public sealed class TenantConnectionInterceptor : DbConnectionInterceptor
{
    private readonly TenantContext _tenant;
    private DbConnection? _open;

    public TenantConnectionInterceptor(TenantContext tenant)
    {
        _tenant = tenant;
        _tenant.Changed += ReapplyToOpenConnectionAsync;
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        _open = connection;
        using var command = BuildCommand(connection);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        _open = connection;
        await using var command = BuildCommand(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => _open = null;

    public override Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        _open = null;
        return Task.CompletedTask;
    }

    private async Task ReapplyToOpenConnectionAsync()
    {
        if (_open is { State: System.Data.ConnectionState.Open } connection)
        {
            await using var command = BuildCommand(connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private NpgsqlCommand BuildCommand(DbConnection connection) =>
        BuildCommand((NpgsqlConnection)connection, _tenant.TenantId, _tenant.UserId, _tenant.IsPlatform);

    /// <summary>The session settings RLS reads, for a connection EF does not open (bulk work on a raw connection).</summary>
    public static NpgsqlCommand BuildCommand(NpgsqlConnection connection, Guid? tenantId, Guid? userId, bool platform)
    {
        var command = new NpgsqlCommand(
            "select set_config('app.tenant_id', $1, false), set_config('app.user_id', $2, false), set_config('app.platform', $3, false)",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId?.ToString() ?? "" });
        command.Parameters.Add(new NpgsqlParameter { Value = userId?.ToString() ?? "" });
        command.Parameters.Add(new NpgsqlParameter { Value = platform ? "on" : "off" });
        return command;
    }
}
