using Npgsql;

namespace Switchboard.Platform.Database;

public sealed class DatabaseOptions : IValidatedOptions
{
    public const string Section = "Database";

    /// <summary>Apply pending migrations before serving; when false, startup refuses to run while any are pending.</summary>
    public bool ApplyMigrationsOnStartup { get; set; } = true;

    /// <summary>
    /// Prepare the few statements the app prepares explicitly (global search). False behind a PgBouncer older than 1.21
    /// in transaction pooling, which cannot keep a prepared statement across transactions (ADR 0062).
    /// </summary>
    public bool PreparedStatements { get; set; } = true;

    /// <summary>
    /// How long a read that a standby may serve (ADR 0070) waits for the standby to replay what the primary had written
    /// when the read began; past it the primary serves the read. Only used with <c>ConnectionStrings:SwitchboardStandby</c>.
    /// </summary>
    public int StandbyWaitMilliseconds { get; set; } = 250;

    public IEnumerable<string> Problems()
    {
        if (StandbyWaitMilliseconds is < 0 or > 10_000)
            yield return $"{Section}:{nameof(StandbyWaitMilliseconds)} must be between 0 and 10000 (it is {StandbyWaitMilliseconds}).";
    }
}

/// <summary>The <c>ConnectionStrings</c> section; <see cref="DatabaseConnections"/> is what the app uses.</summary>
public sealed class ConnectionStringsOptions : IValidatedOptions
{
    public const string Section = "ConnectionStrings";

    [ConfigurationKeyName("Switchboard")]
    public string? Runtime { get; set; }

    [ConfigurationKeyName("SwitchboardOwner")]
    public string? Owner { get; set; }

    [ConfigurationKeyName("SwitchboardSession")]
    public string? Session { get; set; }

    [ConfigurationKeyName("SwitchboardStandby")]
    public string? Standby { get; set; }

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Runtime))
            yield return $"{DatabaseConnections.RuntimeKey} is not set. Set it (e.g. environment variable {DatabaseConnections.RuntimeKey.Replace(":", "__")}) to a PostgreSQL connection string, or use `switchboard run` for the embedded database.";
        else if (Malformed(Runtime) is { } runtimeError)
            yield return $"{DatabaseConnections.RuntimeKey} is not a valid PostgreSQL connection string: {runtimeError}";
        if (!string.IsNullOrWhiteSpace(Owner) && Malformed(Owner) is { } ownerError)
            yield return $"{DatabaseConnections.OwnerKey} is not a valid PostgreSQL connection string: {ownerError}";
        if (!string.IsNullOrWhiteSpace(Session) && Malformed(Session) is { } sessionError)
            yield return $"{DatabaseConnections.SessionKey} is not a valid PostgreSQL connection string: {sessionError}";
        if (!string.IsNullOrWhiteSpace(Standby) && Malformed(Standby) is { } standbyError)
            yield return $"{DatabaseConnections.StandbyKey} is not a valid PostgreSQL connection string: {standbyError}";
    }

    private static string? Malformed(string connectionString)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
