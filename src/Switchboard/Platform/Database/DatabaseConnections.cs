using Npgsql;

namespace Switchboard.Platform.Database;

/// <summary>
/// The connection strings in use. <c>ConnectionStrings:Switchboard</c> is the runtime role (never superuser,
/// never BYPASSRLS). <c>ConnectionStrings:SwitchboardOwner</c>, when set, is used for migrations only.
/// <c>ConnectionStrings:SwitchboardSession</c>, when set, is the runtime role on a connection that keeps its session: the
/// LISTEN connections and an import's work table need one. Behind a transaction-pooling PgBouncer it points at
/// PostgreSQL itself (or a session-pooling PgBouncer database); otherwise it is the runtime connection (ADR 0062).
/// <c>ConnectionStrings:SwitchboardStandby</c>, when set, is the runtime role on the nodes that may serve reports, exports
/// and search, usually the multi-host string with <c>Target Session Attributes=prefer-standby</c> (<see cref="StandbyReads"/>).
/// </summary>
[Singleton]
public sealed class DatabaseConnections(IOptions<ConnectionStringsOptions> options)
{
    public const string RuntimeKey = "ConnectionStrings:Switchboard";
    public const string OwnerKey = "ConnectionStrings:SwitchboardOwner";
    public const string SessionKey = "ConnectionStrings:SwitchboardSession";
    public const string StandbyKey = "ConnectionStrings:SwitchboardStandby";

    public string Runtime => options.Value.Runtime!;
    public string Migrations => string.IsNullOrWhiteSpace(options.Value.Owner) ? Runtime : options.Value.Owner;
    public string Session => string.IsNullOrWhiteSpace(options.Value.Session) ? Runtime : options.Value.Session;

    /// <summary>Null when every read goes to the primary.</summary>
    public string? Standby => string.IsNullOrWhiteSpace(options.Value.Standby) ? null : options.Value.Standby;

    /// <summary>
    /// Closes the idle connections of this app's pools (runtime, migrations, session, standby), as after a connection to a server that
    /// went away broke: the next requests open fresh ones, to the new primary after a failover. Pools that other code in
    /// the same process opened are left alone (NpgsqlConnection.ClearAllPools would close them too).
    /// </summary>
    public void ClearPools() => ClearPools([Runtime, Migrations, Session, Standby]);

    /// <summary>Closes the idle connections of the pools of these connection strings, and of no other.</summary>
    public static void ClearPools(IEnumerable<string?> connectionStrings)
    {
        foreach (var connectionString in connectionStrings.OfType<string>().Distinct())
        {
            using var connection = new NpgsqlConnection(connectionString);
            NpgsqlConnection.ClearPool(connection);
        }
    }
}

/// <summary>A configuration or environment problem that stops startup; its message is the one line shown.</summary>
public sealed class StartupException(string message) : Exception(message);
