namespace Switchboard.Platform.Cli;

/// <summary>
/// Decides between the configured database and the embedded cluster. With ConnectionStrings__Switchboard
/// set (environment or arguments) the configured one is used and nothing is started.
/// </summary>
public sealed class EmbeddedDatabase : IAsyncDisposable
{
    public const string DatabaseName = "switchboard";

    private readonly EmbeddedPostgres? _cluster;

    private EmbeddedDatabase(EmbeddedPostgres? cluster, IDictionary<string, string?>? settings)
    {
        _cluster = cluster;
        Settings = settings;
    }

    public bool IsEmbedded => _cluster is not null;
    public int? Port => _cluster?.Port;
    public string? DataDirectory => _cluster?.DataDirectory;
    public IDictionary<string, string?>? Settings { get; }

    public static async Task<EmbeddedDatabase> AttachAsync(string[] args, bool allowEmbedded)
    {
        var configured = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        if (!string.IsNullOrWhiteSpace(configured[DatabaseConnections.RuntimeKey]) || !allowEmbedded)
            return new EmbeddedDatabase(null, null);

        var root = Path.GetFullPath(Environment.GetEnvironmentVariable("SWITCHBOARD_DATA") is { Length: > 0 } data ? data : ".switchboard");
        Console.WriteLine($"Starting embedded PostgreSQL under {root} ...");
        var cluster = await EmbeddedPostgres.StartAsync(Path.Combine(root, "postgres"), new EmbeddedPostgresOptions(Durable: true));
        await cluster.CreateDatabaseAsync(DatabaseName);
        return new EmbeddedDatabase(cluster, new Dictionary<string, string?>
        {
            [DatabaseConnections.RuntimeKey] = cluster.AppConnectionString(DatabaseName),
            [DatabaseConnections.OwnerKey] = cluster.OwnerConnectionString(DatabaseName),
            // Backups read every tenant's rows, which the owner role cannot under forced row-level security (ADR 0064).
            ["Backup:ConnectionString"] = cluster.SuperuserConnectionString(DatabaseName),
            // Until an SMTP server is configured, outgoing mail waits on the Outgoing mail page instead of failing.
            ["Smtp:DevMailbox"] = "true",
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is null) return;
        if (_cluster.OwnsServer) Console.WriteLine("Stopping embedded PostgreSQL ...");
        await _cluster.DisposeAsync();
    }
}
