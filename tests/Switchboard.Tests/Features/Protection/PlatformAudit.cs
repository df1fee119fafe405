using Npgsql;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Protection;

/// <summary>Platform audit rows (no tenant) as the database holds them, read on the platform path as superadmin code reads them.</summary>
public static class PlatformAudit
{
    public static async Task<List<string>> ReadAsync(SwitchboardHost host, string sql, params object[] values)
    {
        await using var conn = new NpgsqlConnection(host.Database.OwnerConnectionString);
        await conn.OpenAsync();
        await using (var platform = new NpgsqlCommand("select set_config('app.platform', 'on', false)", conn)) await platform.ExecuteNonQueryAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var value in values) cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        var rows = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}
