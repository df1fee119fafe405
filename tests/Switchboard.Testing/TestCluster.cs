using Npgsql;
using Switchboard.Platform.Database;

namespace Switchboard.Testing;

/// <summary>
/// One throwaway PostgreSQL cluster per test run, started with the same launcher as <c>switchboard run</c>,
/// and a template database migrated once. Each test class gets its own database copied from the template.
/// </summary>
public static class TestCluster
{
    public const string TemplateDatabase = "switchboard_template";

    private static readonly Lazy<Task<EmbeddedPostgres>> Cluster = new(StartAsync);
    private static readonly SemaphoreSlim CreateLock = new(1, 1);
    private static string? _root;

    public static Task<EmbeddedPostgres> GetAsync() => Cluster.Value;

    /// <summary>A fresh, migrated database: (runtime connection string, owner connection string, name).</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(bool migrated = true)
    {
        var cluster = await GetAsync();
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        // CREATE DATABASE ... TEMPLATE needs the template free of other sessions; one at a time is simplest.
        await CreateLock.WaitAsync();
        try
        {
            await cluster.CreateDatabaseAsync(name, migrated ? TemplateDatabase : null);
        }
        finally
        {
            CreateLock.Release();
        }
        return new TestDatabase(name, cluster.AppConnectionString(name), cluster.OwnerConnectionString(name), cluster);
    }

    private static async Task<EmbeddedPostgres> StartAsync()
    {
        _root = Path.Combine(Path.GetTempPath(), $"switchboard-tests-{Environment.ProcessId}");
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
        var cluster = await EmbeddedPostgres.StartAsync(_root, new EmbeddedPostgresOptions(Durable: false, MaxConnections: 400));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(cluster);
        await cluster.CreateDatabaseAsync(TemplateDatabase);
        var runner = new MigrationRunner(Microsoft.Extensions.Logging.Abstractions.NullLogger<MigrationRunner>.Instance);
        await runner.ApplyAsync(cluster.OwnerConnectionString(TemplateDatabase));
        return cluster;
    }

    private static void Stop(EmbeddedPostgres cluster)
    {
        cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        try
        {
            if (_root is not null) Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean from /tmp; never fail a test run over it.
        }
    }
}

public sealed record TestDatabase(string Name, string RuntimeConnectionString, string OwnerConnectionString, EmbeddedPostgres Cluster)
{
    public string SuperuserConnectionString => Cluster.SuperuserConnectionString(Name);

    /// <summary>
    /// Closes this database's own pooled connections and drops it (with force: any other session goes too). Never
    /// NpgsqlConnection.ClearAllPools in a test: it closes the idle connections of every host running beside it, and
    /// a test that reads its own pooled connections in pg_stat_activity (StandbyReadsTests) would see them vanish.
    /// </summary>
    public async Task DropAsync()
    {
        DatabaseConnections.ClearPools([RuntimeConnectionString, OwnerConnectionString, SuperuserConnectionString]);
        await Cluster.DropDatabaseAsync(Name);
    }
}
