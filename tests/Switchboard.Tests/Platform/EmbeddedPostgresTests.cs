using Npgsql;
using Switchboard.Platform.Database;

namespace Switchboard.Tests.Platform;

/// <summary>The launcher behind `switchboard run`: a private cluster whose data survives a restart.</summary>
public sealed class EmbeddedPostgresTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"switchboard-embedded-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_second_start_on_the_same_directory_has_the_data_of_the_first()
    {
        var options = new EmbeddedPostgresOptions(Durable: false, MaxConnections: 20);
        await using (var first = await EmbeddedPostgres.StartAsync(_root, options))
        {
            await first.CreateDatabaseAsync("kept");
            await ExecAsync(first.OwnerConnectionString("kept"), "create table marker (value text); insert into marker values ('from the first run')");
        }

        await using var second = await EmbeddedPostgres.StartAsync(_root, options);
        await second.CreateDatabaseAsync("kept");

        (await ScalarAsync(second.OwnerConnectionString("kept"), "select value from marker")).ShouldBe("from the first run");
    }

    [Fact]
    public async Task The_app_role_of_the_cluster_is_not_a_superuser()
    {
        await using var cluster = await EmbeddedPostgres.StartAsync(_root, new EmbeddedPostgresOptions(Durable: false, MaxConnections: 20));
        await cluster.CreateDatabaseAsync("roles");

        (await ScalarAsync(cluster.AppConnectionString("roles"), "select (rolsuper or rolbypassrls)::text from pg_roles where rolname = current_user")).ShouldBe("false");
    }

    private static async Task ExecAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<string?> ScalarAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (string?)await cmd.ExecuteScalarAsync();
    }
}
