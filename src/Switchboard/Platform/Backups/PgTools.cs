using System.Diagnostics;
using Npgsql;

namespace Switchboard.Platform.Backups;

/// <summary>
/// Runs PostgreSQL's own client tools (pg_dump, pg_restore) against a connection string: the connection goes in libpq's
/// PG* environment variables, so a password never shows on a command line.
/// </summary>
public sealed class PgTools(string? binDirectory)
{
    public async Task RunAsync(string tool, string connectionString, IEnumerable<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(Find(tool)) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in Environment(connectionString)) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new BackupException($"Could not start {tool}.");
        var stderr = process.StandardError.ReadToEndAsync(ct);
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
            throw new BackupException($"{tool} failed (exit {process.ExitCode}): {(await stderr).Trim()} {(await stdout).Trim()}".Trim());
    }

    /// <summary>libpq's environment for an Npgsql connection string (host list, port, database, user, password, SSL mode).</summary>
    public static IReadOnlyDictionary<string, string> Environment(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        var env = new Dictionary<string, string>
        {
            ["PGHOST"] = b.Host ?? "localhost",
            ["PGPORT"] = b.Port.ToString(CultureInfo.InvariantCulture),
            ["PGDATABASE"] = b.Database ?? "postgres",
            ["PGUSER"] = b.Username ?? System.Environment.UserName,
            ["PGCONNECT_TIMEOUT"] = "15",
            ["PGAPPNAME"] = "switchboard-backup",
            ["PGSSLMODE"] = b.SslMode switch
            {
                SslMode.Disable => "disable",
                SslMode.Allow => "allow",
                SslMode.Require => "require",
                SslMode.VerifyCA => "verify-ca",
                SslMode.VerifyFull => "verify-full",
                _ => "prefer",
            },
        };
        if (!string.IsNullOrEmpty(b.Password)) env["PGPASSWORD"] = b.Password;
        return env;
    }

    private string Find(string tool)
    {
        if (!string.IsNullOrWhiteSpace(binDirectory))
            return File.Exists(Path.Combine(binDirectory, tool)) ? Path.Combine(binDirectory, tool)
                : throw new BackupException($"{tool} is not in Backup:PgBinDirectory ({binDirectory}).");
        // Debian's versioned directories first: pg_dump must be at least as new as the server, so take the newest.
        var versioned = System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (path: Path.Combine(d, "bin", tool), version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(c => File.Exists(c.path)).OrderByDescending(c => c.version).Select(c => c.path)
            : [];
        var onPath = (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, tool)).Where(File.Exists);
        return versioned.Concat(onPath).FirstOrDefault()
               ?? throw new BackupException($"{tool} was not found under /usr/lib/postgresql/*/bin or on PATH (apt-get install postgresql-client-15), or set Backup:PgBinDirectory.");
    }
}

/// <summary>A backup or restore that cannot go on; the message is the one line shown.</summary>
public sealed class BackupException(string message, Exception? inner = null) : Exception(message, inner);
