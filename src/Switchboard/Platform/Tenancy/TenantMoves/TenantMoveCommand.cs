using Switchboard.Platform.Cli;

namespace Switchboard.Platform.Tenancy.TenantMoves;

/// <summary>
/// <c>switchboard tenant export --tenant SLUG --out FILE</c> and <c>switchboard tenant import --in FILE</c>: move one tenant
/// to another Switchboard database with the same ids (ADR 0065, docs/ADMIN.md "Moving a tenant between databases").
/// Both use the owner connection (ConnectionStrings:SwitchboardOwner), which must see every row. The other subcommands
/// (create, deactivate, reactivate, stats) are <see cref="TenantAdministration"/>'s (ADR 0067).
/// </summary>
public sealed class TenantMoveCommand(DatabaseConnections connections, TimeProvider time, IServiceProvider services) : ICliCommand
{
    public static string Verb => "tenant";

    public static string Usage => """
          tenant export --tenant SLUG --out FILE
                                               Write one tenant (every row of every tenant table, its users, its audit
                                               chain) to a zip with one COPY file per table and a manifest of row counts
                                               and checksums.
          tenant import --in FILE              Load such a zip into this database (same schema version; the tenant must
                                               not exist here) in one transaction, verify rows and checksums, print them.
        """.TrimEnd() + "\n" + TenantAdministration.Usage;

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        try
        {
            switch (args.FirstOrDefault())
            {
                case "export":
                    var slug = CliTenants.SlugOption(args) ?? throw new CliException("tenant export needs --tenant SLUG.");
                    var outPath = SwitchboardCli.Option(args, "--out") ?? throw new CliException("tenant export needs --out FILE.");
                    await TenantExport.RunAsync(connections.Migrations, slug, Path.GetFullPath(outPath), time, output, ct);
                    return 0;
                case "import":
                    var inPath = SwitchboardCli.Option(args, "--in") ?? throw new CliException("tenant import needs --in FILE.");
                    if (!File.Exists(inPath)) throw new CliException($"No file {inPath}.");
                    await TenantImport.RunAsync(connections.Migrations, inPath, output, ct);
                    return 0;
                case "create" or "deactivate" or "reactivate" or "stats":
                    return await new TenantAdministration(services).RunAsync(args, output, ct);
                default:
                    throw new CliUsageException("tenant needs a subcommand: create, deactivate, reactivate, stats, export or import.");
            }
        }
        catch (TenantMoveException e)
        {
            throw new CliException(e.Message);
        }
    }
}
