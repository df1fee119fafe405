using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace Switchboard.Platform.Database;

/// <summary>
/// A private PostgreSQL cluster under a data directory, driven by the server's own initdb/pg_ctl.
/// Used by <c>switchboard run</c> when no connection string is configured, and by the test suite.
/// PostgreSQL refuses to run as root, so as root every server command runs as the postgres OS user.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    public const string OwnerRole = "switchboard_owner";
    public const string RuntimeGroupRole = "switchboard_runtime";
    public const string AppRole = "switchboard_app";

    private readonly string _root;
    private readonly string _binDir;
    private readonly EmbeddedPostgresState _state;
    private readonly bool _ownsServer;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _databases = new();

    private EmbeddedPostgres(string root, string binDir, EmbeddedPostgresState state, bool ownsServer)
    {
        _root = root;
        _binDir = binDir;
        _state = state;
        _ownsServer = ownsServer;
    }

    public int Port => _state.Port;

    /// <summary>False when the cluster was already running (another process started it); then it is left running.</summary>
    public bool OwnsServer => _ownsServer;
    public string DataDirectory => Path.Combine(_root, "pgdata");

    public string SuperuserConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = _state.Port, Username = "postgres", Password = _state.SuperuserPassword,
        Database = database, Pooling = false,
    }.ConnectionString;

    public string OwnerConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = _state.Port, Username = OwnerRole, Password = _state.OwnerPassword,
        Database = database, Pooling = false,
    }.ConnectionString;

    public string AppConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = _state.Port, Username = AppRole, Password = _state.AppPassword,
        Database = database, MaxPoolSize = 50,
    }.ConnectionString;

    /// <summary>Initialises the cluster on first use, then starts it (or attaches to it when it already runs).</summary>
    public static async Task<EmbeddedPostgres> StartAsync(string root, EmbeddedPostgresOptions options, CancellationToken ct = default)
    {
        root = Path.GetFullPath(root);
        Directory.CreateDirectory(root);
        var binDir = FindBinDirectory();
        var statePath = Path.Combine(root, "cluster.json");
        var pgData = Path.Combine(root, "pgdata");

        EmbeddedPostgresState state;
        if (File.Exists(Path.Combine(pgData, "PG_VERSION")) && File.Exists(statePath))
        {
            state = JsonSerializer.Deserialize<EmbeddedPostgresState>(await File.ReadAllTextAsync(statePath, ct))
                    ?? throw new InvalidOperationException($"Cannot read {statePath}.");
        }
        else
        {
            if (Directory.Exists(pgData) && Directory.EnumerateFileSystemEntries(pgData).Any())
                throw new StartupException(
                    $"{pgData} holds PostgreSQL data but {statePath} (its generated credentials) is missing. Restore that file, or move the data directory away to start afresh.");
            state = new EmbeddedPostgresState(FreePort(), Secret(), Secret(), Secret());
            await InitDbAsync(binDir, root, pgData, state, options, ct);
            await File.WriteAllTextAsync(statePath, JsonSerializer.Serialize(state), ct);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(statePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var running = await RunPgCtlAsync(binDir, $"status -D \"{pgData}\"", throwOnError: false, ct) == 0;
        if (!running)
        {
            var log = Path.Combine(root, "postgresql.log");
            if (IsRoot) EnsureOwnedByPostgres(log, createFile: true);
            await RunPgCtlAsync(binDir, $"start -D \"{pgData}\" -l \"{log}\" -w -t 60", throwOnError: true, ct);
        }

        var cluster = new EmbeddedPostgres(root, binDir, state, ownsServer: !running);
        await cluster.ProvisionRolesAsync(ct);
        return cluster;
    }

    /// <summary>Creates a database owned by the owner role, optionally from a template, with the runtime grants.</summary>
    public async Task CreateDatabaseAsync(string name, string? template = null, CancellationToken ct = default)
    {
        _databases.TryAdd(name, 0);
        await using var conn = new NpgsqlConnection(SuperuserConnectionString());
        await conn.OpenAsync(ct);
        var exists = await conn.ScalarAsync($"select 1 from pg_database where datname = '{name}'", ct) is not null;
        if (exists) return;
        var templateClause = template is null ? "" : $" template \"{template}\"";
        await conn.ExecAsync($"create database \"{name}\" owner {OwnerRole}{templateClause}", ct);
        await conn.ExecAsync($"revoke all on database \"{name}\" from public; grant connect, temporary on database \"{name}\" to {AppRole}", ct);
        if (template is not null) return; // a copy of a prepared database is prepared

        var builder = new NpgsqlConnectionStringBuilder(SuperuserConnectionString()) { Database = name };
        await using var db = new NpgsqlConnection(builder.ConnectionString);
        await db.OpenAsync(ct);
        await db.ExecAsync(SuperuserPreparation.Sql, ct);
    }

    public async Task DropDatabaseAsync(string name, CancellationToken ct = default)
    {
        await using var conn = new NpgsqlConnection(SuperuserConnectionString());
        await conn.OpenAsync(ct);
        await conn.ExecAsync($"drop database if exists \"{name}\" with (force)", ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_ownsServer) return;
        ClearPools();
        await RunPgCtlAsync(_binDir, $"stop -D \"{DataDirectory}\" -m fast -w -t 60", throwOnError: false, CancellationToken.None);
    }

    /// <summary>
    /// Closes the idle pooled connections of the connection strings this cluster hands out, before the server stops (a
    /// server started again on the same port must not be reached through dead connections). Only these: other clusters
    /// in the same process, as in the test suite, keep theirs.
    /// </summary>
    private void ClearPools() => DatabaseConnections.ClearPools(_databases.Keys
        .SelectMany(name => new[] { SuperuserConnectionString(name), OwnerConnectionString(name), AppConnectionString(name) })
        .Append(SuperuserConnectionString()));

    private async Task ProvisionRolesAsync(CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(SuperuserConnectionString());
        await conn.OpenAsync(ct);
        await conn.ExecAsync($"""
            do $$
            begin
              if not exists (select from pg_roles where rolname = '{OwnerRole}') then
                create role {OwnerRole} login nosuperuser nocreaterole nocreatedb nobypassrls password '{_state.OwnerPassword}';
              end if;
              if not exists (select from pg_roles where rolname = '{RuntimeGroupRole}') then
                create role {RuntimeGroupRole} nologin nosuperuser nobypassrls;
              end if;
              if not exists (select from pg_roles where rolname = '{AppRole}') then
                create role {AppRole} login nosuperuser nocreaterole nocreatedb nobypassrls password '{_state.AppPassword}' in role {RuntimeGroupRole};
              end if;
            end $$;
            """, ct);
    }

    private static async Task InitDbAsync(string binDir, string root, string pgData, EmbeddedPostgresState state, EmbeddedPostgresOptions options, CancellationToken ct)
    {
        Directory.CreateDirectory(pgData);
        var pwFile = Path.Combine(root, ".pwfile");
        await File.WriteAllTextAsync(pwFile, state.SuperuserPassword, ct);
        if (IsRoot)
        {
            EnsureOwnedByPostgres(root, createFile: false);
            EnsureOwnedByPostgres(pgData, createFile: false);
            EnsureOwnedByPostgres(pwFile, createFile: false);
        }
        try
        {
            await RunAsync(Path.Combine(binDir, "initdb"),
                $"-D \"{pgData}\" -U postgres --pwfile=\"{pwFile}\" --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8",
                ct);
        }
        finally
        {
            File.Delete(pwFile);
        }

        var settings = new List<string>
        {
            $"port = {state.Port}",
            "listen_addresses = '127.0.0.1'",
            "unix_socket_directories = ''",
            $"max_connections = {options.MaxConnections}",
        };
        if (!options.Durable)
            settings.AddRange(["fsync = off", "synchronous_commit = off", "full_page_writes = off"]);
        await File.AppendAllLinesAsync(Path.Combine(pgData, "postgresql.conf"), settings, ct);
    }

    private static async Task<int> RunPgCtlAsync(string binDir, string args, bool throwOnError, CancellationToken ct) =>
        await RunAsync(Path.Combine(binDir, "pg_ctl"), args, ct, throwOnError);

    private static async Task<int> RunAsync(string exe, string args, CancellationToken ct, bool throwOnError = true)
    {
        var psi = IsRoot
            ? new ProcessStartInfo("runuser", $"-u postgres -- \"{exe}\" {args}")
            : new ProcessStartInfo(exe, args);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        psi.WorkingDirectory = "/";
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Cannot start {exe}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0 && throwOnError)
            throw new InvalidOperationException(
                $"{Path.GetFileName(exe)} failed (exit {process.ExitCode}): {(await stderr).Trim()} {(await stdout).Trim()}".Trim());
        return process.ExitCode;
    }

    private static string FindBinDirectory()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = Path.Combine(dir, "initdb");
            if (File.Exists(initdb) && File.Exists(Path.Combine(dir, "pg_ctl")))
                return Path.GetDirectoryName(ResolveLink(initdb))!;
        }
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (dir: Path.Combine(d, "bin"), version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(c => c.version >= 15 && File.Exists(Path.Combine(c.dir, "initdb")))
                .OrderByDescending(c => c.version)
                .Select(c => c.dir)
            : [];
        return candidates.FirstOrDefault()
               ?? throw new InvalidOperationException(
                   "PostgreSQL 15+ server binaries (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql/*/bin. Install them with: apt-get install postgresql-15");
    }

    private static string ResolveLink(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is null ? path : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static void EnsureOwnedByPostgres(string path, bool createFile)
    {
        if (createFile && !File.Exists(path)) File.WriteAllText(path, "");
        using var chown = Process.Start(new ProcessStartInfo("chown", $"-R postgres:postgres \"{path}\"") { UseShellExecute = false })!;
        chown.WaitForExit();
        if (chown.ExitCode != 0) throw new InvalidOperationException($"Cannot give {path} to the postgres OS user.");
        // The postgres user must be able to reach the directory through its parents.
        if (OperatingSystem.IsWindows()) return;
        for (var dir = Path.GetDirectoryName(path); dir is not null && dir != "/"; dir = Path.GetDirectoryName(dir))
        {
            var mode = File.GetUnixFileMode(dir);
            if (!mode.HasFlag(UnixFileMode.OtherExecute)) File.SetUnixFileMode(dir, mode | UnixFileMode.OtherExecute);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Secret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();


}

public sealed record EmbeddedPostgresOptions(bool Durable = true, int MaxConnections = 100);

internal sealed record EmbeddedPostgresState(int Port, string SuperuserPassword, string OwnerPassword, string AppPassword);
