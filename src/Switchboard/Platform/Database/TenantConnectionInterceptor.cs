using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Switchboard.Platform.Database;

/// <summary>
/// Puts the scope's tenant and user on every connection EF opens, so PostgreSQL row-level security
/// sees them. EF opens connections through the sync path for sync queries and the async path for
/// async ones, so both are covered. Npgsql resets session state when a connection returns to the pool.
/// One instance serves every (pooled) context: the scope's state lives in <see cref="SwitchboardDbContext.Connection"/>.
/// </summary>
[Singleton]
public sealed class TenantConnectionInterceptor : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        Of(eventData).Apply((NpgsqlConnection)connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Of(eventData).ApplyAsync((NpgsqlConnection)connection, cancellationToken);

    public override void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Of(eventData).Closed();

    public override Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        Of(eventData).Closed();
        return Task.CompletedTask;
    }

    private static TenantConnection Of(ConnectionEndEventData eventData) =>
        (eventData.Context as SwitchboardDbContext)?.Connection
        ?? throw new InvalidOperationException("TenantConnectionInterceptor serves SwitchboardDbContext only.");

    /// <summary>The session settings RLS reads, for a connection EF does not open (bulk work on a raw connection).</summary>
    public static NpgsqlCommand BuildCommand(NpgsqlConnection connection, Guid? tenantId, Guid? userId, bool platform) =>
        TenantConnection.BuildCommand(connection, new SessionSettings(tenantId, userId, platform));
}

/// <summary>What a connection's session is set to for RLS: tenant, user, and whether the platform path is on.</summary>
public readonly record struct SessionSettings(Guid? TenantId, Guid? UserId, bool Platform);
