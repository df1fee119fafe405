using Npgsql;

namespace Switchboard.Platform.Database;

/// <summary>
/// Startup checks, in order, each failing with one clear line: every setting is valid (see <see cref="StartupSettings"/>),
/// the database answers, the runtime role is neither superuser nor BYPASSRLS, migrations are applied (or applied now
/// when allowed), no applied migration has changed.
/// </summary>
[Singleton]
public sealed class DatabaseStartup(StartupSettings startupSettings, DatabaseConnections connections, MigrationRunner migrations, IOptions<DatabaseOptions> options,
    ILogger<DatabaseStartup> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        startupSettings.Validate();
        await CheckRuntimeRoleAsync(ct);
        if (options.Value.ApplyMigrationsOnStartup)
        {
            await Reachable(() => migrations.ApplyAsync(connections.Migrations, ct), "migration");
        }
        else
        {
            var status = await Reachable(() => migrations.StatusAsync(connections.Runtime, ct), "runtime");
            var pending = status.Where(m => !m.Applied).Select(m => $"{m.Version:D4}_{m.Name}").ToList();
            if (pending.Count > 0)
                throw new StartupException($"Migrations are pending ({string.Join(", ", pending)}) and Database:ApplyMigrationsOnStartup is false. Run `switchboard migrate` first.");
        }
        await WarnIfUnpreparedAsync(ct);
        logger.LogInformation("Database ready");
    }

    /// <summary>Search still works on a database without the superuser preparation, only slowly at scale: say so once.</summary>
    private async Task WarnIfUnpreparedAsync(CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connections.Runtime);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(SuperuserPreparation.CheckSql, conn);
        if (await cmd.ExecuteScalarAsync(ct) is not true)
            logger.LogWarning("The database has not had the superuser preparation (README, Preparing the database): search and list filters " +
                              "cannot use their indexes under row-level security and will be slow on large tenants.");
    }

    private async Task CheckRuntimeRoleAsync(CancellationToken ct)
    {
        var (name, super, bypass) = await Reachable(async () =>
        {
            await using var conn = new NpgsqlConnection(connections.Runtime);
            await conn.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand("select rolname, rolsuper, rolbypassrls from pg_roles where rolname = current_user", conn);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return (reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2));
        }, "runtime");
        if (super || bypass)
            throw new StartupException(
                $"The runtime database role '{name}' is {(super ? "a superuser" : "BYPASSRLS")}, which would bypass row-level security between tenants. Use a role with NOSUPERUSER NOBYPASSRLS (see README, Preparing the database).");
    }

    private static async Task<T> Reachable<T>(Func<Task<T>> action, string which)
    {
        try
        {
            return await action();
        }
        catch (NpgsqlException e) when (e is not PostgresException || ((PostgresException)e).SqlState.StartsWith("28", StringComparison.Ordinal) || ((PostgresException)e).SqlState == "3D000")
        {
            throw new StartupException($"Cannot connect to PostgreSQL with the {which} connection string: {e.Message}");
        }
    }
}
