using System.Diagnostics;

namespace Switchboard.Testing;

/// <summary>
/// A pg_auto_failover formation on loopback — a monitor, a primary and a synchronous standby (ADR 0069) — started by
/// bench/failover/cluster.sh, the same script the failover drill uses, in its own temporary directory. Nodes trust
/// loopback connections; the app's role still signs in with its password as it would elsewhere.
/// The switchboard script installs pg_auto_failover (ensure_pg_auto_failover).
/// </summary>
public sealed class TestFailoverCluster : IAsyncDisposable
{
    private readonly string _directory;

    public int Node1Port { get; }
    public int Node2Port { get; }

    private TestFailoverCluster(string directory, int node1Port, int node2Port)
    {
        _directory = directory;
        Node1Port = node1Port;
        Node2Port = node2Port;
    }

    public static async Task<TestFailoverCluster> StartAsync()
    {
        if (!File.Exists("/usr/bin/pg_autoctl")) throw new InvalidOperationException("pg_autoctl is not installed: ./switchboard test installs it (apt-get install postgresql-15-auto-failover).");
        var directory = Directory.CreateTempSubdirectory("switchboard-failover-").FullName;
        try
        {
            await ScriptAsync("start", directory);
        }
        catch
        {
            await ScriptAsync("stop", directory);
            throw;
        }
        var ports = File.ReadAllLines(Path.Combine(directory, "ports")).Select(line => line.Split('=')).ToDictionary(p => p[0], p => int.Parse(p[1]));
        return new TestFailoverCluster(directory, ports["NODE1"], ports["NODE2"]);
    }

    /// <summary>Both nodes, the primary wherever it is: what an operator gives the app (docs/ADMIN.md).</summary>
    public string MultiHost(string database, string username, string password, string targetSessionAttributes = "read-write") =>
        $"Host=127.0.0.1:{Node1Port},127.0.0.1:{Node2Port};Target Session Attributes={targetSessionAttributes};Host Recheck Seconds=2;" +
        $"Database={database};Username={username};Password={password}";

    /// <summary>The superuser on one node, over loopback (trusted).</summary>
    public string Superuser(int port, string database = "postgres") => $"Host=127.0.0.1;Port={port};Username=postgres;Database={database};Pooling=false";

    /// <summary>The node the monitor has as primary: "node1" or "node2".</summary>
    public async Task<string> PrimaryAsync() => (await ScriptAsync("primary", _directory)).Trim();

    public int PortOf(string node) => node == "node1" ? Node1Port : Node2Port;

    /// <summary>SIGKILL of the node's keeper and PostgreSQL together, as when its machine dies.</summary>
    public Task KillNodeAsync(string node) => ScriptAsync("kill-node", _directory, node);

    public async Task<string> StateAsync() => await ScriptAsync("state", _directory);

    /// <summary>Stops the formation; the app over it clears its own pools first (FailoverHost).</summary>
    public async ValueTask DisposeAsync() => await ScriptAsync("stop", _directory);

    private static async Task<string> ScriptAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryRoot(), "bench", "failover", "cluster.sh"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"cluster.sh {string.Join(' ', args)} exited {process.ExitCode}: {await error}{await output}");
        return await output;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Switchboard.slnx"))) return directory.FullName;
        throw new InvalidOperationException("Switchboard.slnx not found above the test's directory.");
    }
}
