using Npgsql;

namespace Switchboard.Platform.Database;

/// <summary>One-statement commands on an open connection, for the start-up code that runs before EF Core (cluster, migrations).</summary>
internal static class NpgsqlCommands
{
    public static async Task ExecAsync(this NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task<object?> ScalarAsync(this NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync(ct);
    }
}
