namespace Switchboard.Platform.Database;

/// <summary>
/// The connection strings in use. <c>ConnectionStrings:Switchboard</c> is the runtime role (never superuser,
/// never BYPASSRLS). <c>ConnectionStrings:SwitchboardOwner</c>, when set, is used for migrations only.
/// </summary>
[Singleton]
public sealed class DatabaseConnections(IOptions<ConnectionStringsOptions> options)
{
    public const string RuntimeKey = "ConnectionStrings:Switchboard";
    public const string OwnerKey = "ConnectionStrings:SwitchboardOwner";

    public string Runtime => options.Value.Runtime!;
    public string Migrations => string.IsNullOrWhiteSpace(options.Value.Owner) ? Runtime : options.Value.Owner;
}

/// <summary>A configuration or environment problem that stops startup; its message is the one line shown.</summary>
public sealed class StartupException(string message) : Exception(message);
