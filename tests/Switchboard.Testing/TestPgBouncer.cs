using System.Diagnostics;
using Npgsql;
using Switchboard.Platform.Database;

namespace Switchboard.Testing;

/// <summary>
/// Debian's real PgBouncer in front of the test cluster, started by a test class on a free loopback port with its own
/// configuration: transaction pooling, every database of the cluster (a wildcard entry), and a pool of
/// <paramref name="poolSize"/> server connections per database and user, so every client's transactions take turns on
/// the same server connection. The runtime role signs in with SCRAM; PgBouncer knows its password from its own
/// auth file and uses it towards PostgreSQL. PgBouncer refuses to run as root, so as root it runs as postgres.
/// The switchboard script installs it (ensure_pgbouncer).
/// </summary>
public sealed class TestPgBouncer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Process _process;

    public int Port { get; }

    private TestPgBouncer(string directory, Process process, int port)
    {
        _directory = directory;
        _process = process;
        Port = port;
    }

    public static async Task<TestPgBouncer> StartAsync(EmbeddedPostgres cluster, int poolSize = 1)
    {
        const string pgbouncer = "/usr/sbin/pgbouncer";
        if (!File.Exists(pgbouncer)) throw new InvalidOperationException("pgbouncer is not installed: ./switchboard test installs it (apt-get install pgbouncer).");
        var runtime = new NpgsqlConnectionStringBuilder(cluster.AppConnectionString("postgres"));
        var directory = Directory.CreateTempSubdirectory("switchboard-pgbouncer-").FullName;
        var port = Loopback.FreePort();
        await File.WriteAllTextAsync(Path.Combine(directory, "users.txt"), $"\"{runtime.Username}\" \"{runtime.Password}\"\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "pgbouncer.ini"), $"""
            [databases]
            * = host=127.0.0.1 port={cluster.Port}

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {port}
            unix_socket_dir =
            auth_type = scram-sha-256
            auth_file = {directory}/users.txt
            pool_mode = transaction
            default_pool_size = {poolSize}
            min_pool_size = 0
            reserve_pool_size = 0
            max_client_conn = 500
            max_db_connections = {poolSize}
            server_reset_query =
            ignore_startup_parameters = extra_float_digits,search_path
            logfile = {directory}/pgbouncer.log
            pidfile = {directory}/pgbouncer.pid
            """);
        var root = Environment.UserName == "root";
        if (root) await RunAsync("chown", "-R", "postgres:postgres", directory);
        var start = root ? new ProcessStartInfo("runuser") { ArgumentList = { "-u", "postgres", "--", pgbouncer } } : new ProcessStartInfo(pgbouncer);
        start.ArgumentList.Add(Path.Combine(directory, "pgbouncer.ini"));
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        var process = Process.Start(start)!;
        var bouncer = new TestPgBouncer(directory, process, port);
        await Eventually.Until(() => Task.FromResult(process.HasExited || Loopback.Listening(port)), up => up, TimeSpan.FromSeconds(30), "pgbouncer to listen");
        if (process.HasExited) throw new InvalidOperationException($"pgbouncer stopped: {await process.StandardError.ReadToEndAsync()}\n{bouncer.Log()}");
        return bouncer;
    }

    /// <summary>
    /// <paramref name="connectionString"/> pointed at PgBouncer. Npgsql sends no reset when a connection goes back to its
    /// pool (the next client's transaction would run it on some other server connection), as PgBouncer's docs advise.
    /// </summary>
    public string Through(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString)
    {
        Host = "127.0.0.1", Port = Port, NoResetOnClose = true,
    }.ConnectionString;

    /// <summary>The server's log, for a failing test's message.</summary>
    public string Log() => File.Exists(Path.Combine(_directory, "pgbouncer.log")) ? File.ReadAllText(Path.Combine(_directory, "pgbouncer.log")) : "";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean from /tmp.
        }
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        await process.WaitForExitAsync();
    }
}
