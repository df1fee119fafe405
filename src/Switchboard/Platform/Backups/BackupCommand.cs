using Switchboard.Platform.Cli;

namespace Switchboard.Platform.Backups;

/// <summary><c>switchboard backup [--out DIR]</c>: one backup now (ADR 0064), audited; prints where it went and what it holds.</summary>
public sealed class BackupCommand(BackupWriter writer, BackupAudit audit, IOptions<BackupOptions> options) : ICliCommand
{
    public static string Verb => "backup";

    public static string Usage => """
          backup [--out DIR]                   Back up the database (pg_dump -Fc), the file store and a manifest of row counts and
                                               checksums into a new folder under DIR (default Backup:Directory).
        """.TrimEnd();

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var parent = SwitchboardCli.Option(args, "--out") ?? options.Value.Directory;
        if (string.IsNullOrWhiteSpace(parent)) throw new CliException("backup needs --out DIR (or Backup:Directory).");
        audit.As("cli:backup");
        try
        {
            var backup = await writer.CreateAsync(parent, ct);
            await audit.CreatedAsync(backup, [], null, ct);
            await output.WriteLineAsync($"Backup written to {backup.Folder}: {backup.Manifest.Tables.Count:N0} tables, {backup.Manifest.TotalRows:N0} rows, " +
                                        $"{backup.Manifest.Files.Count:N0} files, {backup.Bytes:N0} bytes (dump SHA-256 {backup.Manifest.Dump.Sha256}).");
            return 0;
        }
        catch (BackupException e)
        {
            await audit.FailedAsync(parent, e.Message, null, ct);
            throw new CliException(e.Message);
        }
    }
}
