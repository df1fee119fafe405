using Npgsql;

namespace Switchboard.Platform.Database;

/// <summary>
/// The connection strings in use. <c>ConnectionStrings:Switchboard</c> is the runtime role (never superuser,
/// never BYPASSRLS). <c>ConnectionStrings:SwitchboardOwner</c>, when set, is used for migrations only.
/// </summary>
public sealed class DatabaseConnections
{
    public const string RuntimeKey = "ConnectionStrings:Switchboard";
    public const string OwnerKey = "ConnectionStrings:SwitchboardOwner";

    public DatabaseConnections(IConfiguration configuration)
    {
        Runtime = Validate(configuration[RuntimeKey], RuntimeKey, required: true)!;
        Migrations = Validate(configuration[OwnerKey], OwnerKey, required: false) ?? Runtime;
    }

    public string Runtime { get; }
    public string Migrations { get; }

    private static string? Validate(string? value, string key, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
            return required ? throw new StartupException($"{key} is not set. Set it (e.g. environment variable {key.Replace(":", "__")}) to a PostgreSQL connection string, or use `switchboard run` for the embedded database.") : null;
        try
        {
            _ = new NpgsqlConnectionStringBuilder(value);
            return value;
        }
        catch (ArgumentException e)
        {
            throw new StartupException($"{key} is not a valid PostgreSQL connection string: {e.Message}");
        }
    }
}

/// <summary>A configuration or environment problem that stops startup; its message is the one line shown.</summary>
public sealed class StartupException(string message) : Exception(message);

public sealed class DatabaseOptions
{
    public bool ApplyMigrationsOnStartup { get; set; } = true;
}
