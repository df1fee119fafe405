using Switchboard.Platform.Cli;

namespace Switchboard.Platform.Backups;

/// <summary>
/// <c>switchboard restore --in DIR (--target CONNSTRING | --verify) …</c> (ADR 0064): restores a backup into an empty
/// database and an empty files folder, and with --verify compares it with the manifest: one line per mismatch, exit code 1
/// on any. Runs before migrations (<see cref="ICliCommandWithoutMigrations"/>): the configured database may be the empty
/// one being restored.
/// </summary>
public sealed class RestoreCommand(BackupRestorer restorer, BackupAudit audit) : ICliCommand, ICliCommandWithoutMigrations
{
    public static string Verb => "restore";

    public static string Usage => """
          restore --in DIR [--target CONNSTRING] [--files-to DIR] [--verify] [--check-only] [--keep-scratch]
                                               Restore a backup into an empty database (refuses any other) and its files into an
                                               empty folder; --verify then compares row counts, checksums and file hashes with the
                                               manifest (exit code 1 on a mismatch). --verify without --target is the drill: into a
                                               scratch database, dropped afterwards. --check-only compares an already restored one.
        """.TrimEnd();

    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var folder = SwitchboardCli.Option(args, "--in") ?? throw new CliException("restore needs --in DIR (a backup folder, with manifest.json).");
        var target = SwitchboardCli.Option(args, "--target");
        var verify = args.Contains("--verify");
        var checkOnly = args.Contains("--check-only");
        if (target is null && !verify) throw new CliException("restore needs --target CONNSTRING, or --verify alone to restore into a scratch database and check it.");
        audit.As("cli:restore");
        RestoreOutcome outcome;
        try
        {
            outcome = await restorer.RestoreAsync(
                new RestoreRequest(folder, target, SwitchboardCli.Option(args, "--files-to"), verify || checkOnly, checkOnly, args.Contains("--keep-scratch")), output, ct);
        }
        catch (BackupException e)
        {
            throw new CliException(e.Message);
        }
        foreach (var mismatch in outcome.Mismatches) await output.WriteLineAsync($"MISMATCH {mismatch}");
        await output.WriteLineAsync(!outcome.Verified && outcome.Ok ? "Restored (not verified: add --verify to compare with the manifest)."
            : outcome.Ok ? "Verified: every table's row count and checksum and every file's SHA-256 match the manifest."
            : $"{outcome.Mismatches.Count:N0} mismatch(es) with the manifest.");
        await TryAuditAsync(folder, outcome, ct);
        return outcome.Ok ? 0 : 1;
    }

    /// <summary>The audit row goes to the configured database; a restore onto a fresh server may have none yet, and that must not fail the restore.</summary>
    private async Task TryAuditAsync(string folder, RestoreOutcome outcome, CancellationToken ct)
    {
        try
        {
            await audit.RestoredAsync(folder, outcome, ct);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or DbUpdateException)
        {
            // Not migrated (the restore target itself, before the restore) or not reachable: the output above is the record.
        }
    }
}
