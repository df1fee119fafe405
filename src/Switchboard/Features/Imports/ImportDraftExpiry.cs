namespace Switchboard.Features.Imports;

/// <summary>
/// Deletes a draft import (uploaded, never started) and its stored file a week after the upload (job
/// <c>import.expire-draft</c>, scheduled by the upload). An import that was started by then is left alone.
/// </summary>
public sealed class ImportDraftExpiry(SwitchboardDbContext db, AuditLog audit) : IJobHandler
{
    public const string JobKind = "import.expire-draft";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public string Kind => JobKind;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var id = job.Read<ImportJob>().ImportId;
        var draft = await db.Set<Import>().SingleOrDefaultAsync(i => i.Id == id && i.Status == ImportStatuses.Uploaded, ct);
        if (draft is null) return;
        db.Remove(draft); // its file chunks go with it (on delete cascade)
        audit.Add(AuditActions.ImportExpired, draft.TenantId, "import", draft.Id.ToString(), new { draft.Entity, draft.FileName, draft.FileSize });
        await db.SaveChangesAsync(ct);
    }
}
