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

    public IEnumerable<string> Problems() => [];
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
