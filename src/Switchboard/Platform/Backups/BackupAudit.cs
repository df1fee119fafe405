namespace Switchboard.Platform.Backups;

/// <summary>Platform audit rows (no tenant) for backups made, pruned, failed and restores verified, by job or command line.</summary>
[Scoped]
public sealed class BackupAudit(SwitchboardDbContext db, AuditLog audit, AuditActor actor, TenantContext ctx)
{
    /// <summary>Names the actor when nobody set one (the command line); a job run is already "job:{kind}".</summary>
    public BackupAudit As(string actorName)
    {
        actor.ActorType = AuditActorTypes.System;
        actor.ActorName ??= actorName;
        return this;
    }

    public async Task CreatedAsync(BackupResult backup, IReadOnlyList<string> pruned, DateTimeOffset? slot, CancellationToken ct)
    {
        await ctx.EnterPlatformAsync();
        audit.Add(AuditActions.BackupCreated, null, "backup", backup.Name, new
        {
            folder = backup.Folder, tables = backup.Manifest.Tables.Count, rows = backup.Manifest.TotalRows, files = backup.Manifest.Files.Count,
            bytes = backup.Bytes, dumpSha256 = backup.Manifest.Dump.Sha256, slot,
        });
        if (pruned.Count > 0) audit.Add(AuditActions.BackupsPruned, null, "backup", null, new { folder = Path.GetDirectoryName(backup.Folder), removed = pruned });
        await db.SaveChangesAsync(ct);
    }

    public async Task FailedAsync(string? folder, string error, DateTimeOffset? slot, CancellationToken ct)
    {
        await ctx.EnterPlatformAsync();
        await audit.WriteAsync(AuditActions.BackupFailed, null, "backup", null, new { folder, error, slot }, ct);
    }

    public async Task RestoredAsync(string backupFolder, RestoreOutcome outcome, CancellationToken ct)
    {
        await ctx.EnterPlatformAsync();
        await audit.WriteAsync(outcome.Verified ? AuditActions.BackupRestoreVerified : AuditActions.BackupRestored, null, "backup", Path.GetFileName(backupFolder),
            new { database = outcome.Database, files = outcome.FilesFolder, verified = outcome.Verified, mismatches = outcome.Mismatches.Count, first = outcome.Mismatches.Take(20) }, ct);
    }
}
