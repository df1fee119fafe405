using Switchboard.Features.Activities;
using Switchboard.Features.Ai.Engines;
using Switchboard.Features.Calls;

namespace Switchboard.Features.Ai;

/// <summary>
/// What an analysis changes in the CRM, and how it is taken back: a summary note on the called record, tasks for the
/// firm items (the others wait as suggestions), and the record's pending tasks the call shows done. Every change is
/// marked with the call (<see cref="Activity.SourceCallId"/>, <see cref="Activity.CompletedByCallId"/>,
/// <see cref="CallAnalysis.NoteId"/>), so a re-run first takes back what the last run did and never duplicates it,
/// and "undo" finds exactly what is the AI's. Record changes are audited by the save as whoever acts in the scope.
/// </summary>
[Scoped]
public sealed class AnalysisEffects(SwitchboardDbContext db, TaskReminders reminders, TimeProvider clock)
{
    public const int MaxSubjectLength = 200;

    /// <summary>The record a call is about: its lead, else its contact, else none.</summary>
    public static (string Type, Guid Id)? RecordOf(Call call) =>
        call.LeadId is { } lead ? ("lead", lead) : call.ContactId is { } contact ? ("contact", contact) : null;

    /// <summary>
    /// Takes back what the call's analysis did: its note is deleted, the tasks it completed are pending again, and the
    /// tasks it created are deleted, except those someone has changed since (completed, edited): those are kept, and
    /// counted in the result. Nothing is saved here.
    /// </summary>
    public async Task<RevertResult> RevertAsync(CallAnalysis analysis, CancellationToken ct)
    {
        var callId = analysis.CallId;
        if (analysis.NoteId is { } noteId && await db.Set<Note>().SingleOrDefaultAsync(n => n.Id == noteId, ct) is { } note) db.Remove(note);
        analysis.NoteId = null;

        var completed = await db.Set<Activity>().Where(a => a.CompletedByCallId == callId).ToListAsync(ct);
        foreach (var activity in completed)
        {
            activity.CompletedByCallId = null;
            activity.CompletionNote = null;
            if (activity.Status != ActivityStatuses.Completed) continue;
            activity.Status = ActivityStatuses.Pending;
            activity.CompletedAt = null;
            await reminders.FollowDueAsync(activity, ct);
        }

        var created = await db.Set<Activity>().Where(a => a.SourceCallId == callId).ToListAsync(ct);
        var deleted = new List<Guid>();
        var kept = new List<Activity>();
        foreach (var activity in created)
        {
            // Version 1 is the activity as the analysis wrote it: nobody has touched it since.
            if (activity.Status == ActivityStatuses.Pending && activity.Version == 1)
            {
                db.Remove(activity);
                deleted.Add(activity.Id);
            }
            else kept.Add(activity);
        }
        return new RevertResult(deleted, kept, completed.Count);
    }

    /// <summary>
    /// Applies an analysis: the note, the firm items as tasks, the fulfilments. Returns the items with their state and
    /// activity. Tasks an earlier run created that someone changed (<paramref name="kept"/>, from <see cref="RevertAsync"/>)
    /// are matched by type and subject and reused, not created twice. Nothing is saved here.
    /// </summary>
    public async Task<(IReadOnlyList<AnalysisItem> Items, IReadOnlyList<AnalysisFulfilment> Fulfilled)> ApplyAsync(
        Call call, CallAnalysis analysis, EngineResult result, AiPolicy policy, IReadOnlyList<Activity> kept, CancellationToken ct)
    {
        var record = RecordOf(call);
        if (record is { } r && !string.IsNullOrWhiteSpace(result.Summary))
        {
            var note = new Note { Id = Guid.CreateVersion7(), Body = NoteBody(call, result.Summary), RelatedType = r.Type, RelatedId = r.Id };
            db.Add(note);
            analysis.NoteId = note.Id;
        }

        var items = new List<AnalysisItem>();
        foreach (var found in result.ActionItems)
        {
            var item = ToItem(found, ItemStates.Suggested, null);
            if (kept.FirstOrDefault(a => Same(a, found)) is { } existing) item = item with { State = ItemStates.Created, ActivityId = existing.Id };
            else if (call.AgentId is not null && policy.CreatesAtOnce(found.Owner, found.Priority, found.Confidence))
                item = item with { State = ItemStates.Created, ActivityId = (await CreateTaskAsync(call, record, item, call.AgentId, ct)).Id };
            items.Add(item);
        }

        var fulfilled = new List<AnalysisFulfilment>();
        if (record is { } rec)
        {
            var ids = result.Fulfilled.Select(f => f.ActivityId).Distinct().ToList();
            // Pending as the unit of work sees it: a task the revert just reopened is still completed in the database.
            var pending = (await db.Set<Activity>().Where(a => ids.Contains(a.Id) && a.RelatedType == rec.Type && a.RelatedId == rec.Id).ToListAsync(ct))
                .Where(a => a.Status == ActivityStatuses.Pending).ToDictionary(a => a.Id);
            foreach (var done in result.Fulfilled)
            {
                if (!pending.Remove(done.ActivityId, out var activity)) continue;
                activity.Status = ActivityStatuses.Completed;
                activity.CompletedAt = clock.GetUtcNow();
                activity.CompletedByCallId = call.Id;
                activity.CompletionNote = Truncate($"Done on the call: “{done.Quote}”", 2000);
                await reminders.FollowDueAsync(activity, ct);
                fulfilled.Add(new AnalysisFulfilment(activity.Id, activity.Subject, done.Quote));
            }
        }
        return (items, fulfilled);
    }

    /// <summary>Makes a suggestion a task (the agent accepted it).</summary>
    public Task<Activity> CreateTaskAsync(Call call, AnalysisItem item, Guid? assignee, CancellationToken ct) => CreateTaskAsync(call, RecordOf(call), item, assignee, ct);

    private async Task<Activity> CreateTaskAsync(Call call, (string Type, Guid Id)? record, AnalysisItem item, Guid? assignee, CancellationToken ct)
    {
        var activity = new Activity
        {
            Id = Guid.CreateVersion7(),
            Type = item.Type,
            Subject = Truncate(item.Title, MaxSubjectLength),
            Body = $"From the call of {call.CreatedAt:yyyy-MM-dd}: “{item.Quote}”",
            DueAt = item.DueAt,
            Priority = item.Priority,
            AssigneeId = assignee,
            RelatedType = record?.Type,
            RelatedId = record?.Id,
            SourceCallId = call.Id,
        };
        db.Add(activity);
        await reminders.FollowDueAsync(activity, ct);
        return activity;
    }

    private static AnalysisItem ToItem(ExtractedItem found, string state, Guid? activityId) =>
        new(found.Title, found.Type, found.Priority, found.DueAt, found.DuePhrase, found.Owner, Math.Round(found.Confidence, 2), found.Quote, state, activityId);

    private static bool Same(Activity activity, ExtractedItem item) =>
        activity.Type == item.Type && string.Equals(activity.Subject, Truncate(item.Title, MaxSubjectLength), StringComparison.OrdinalIgnoreCase);

    private static string NoteBody(Call call, string summary) => $"**Call summary** ({call.CreatedAt:yyyy-MM-dd}, written by AI)\n\n{summary}";

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}

/// <summary>What a revert did: the tasks it deleted, the tasks it kept because someone changed them, how many it reopened.</summary>
public sealed record RevertResult(IReadOnlyList<Guid> Deleted, IReadOnlyList<Activity> Kept, int Reopened)
{
    /// <summary>The counts, as the audit records them.</summary>
    public object Counts => new { tasksDeleted = Deleted.Count, tasksKept = Kept.Count, tasksReopened = Reopened };
}
