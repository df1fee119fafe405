using Switchboard.Features.Activities;
using Switchboard.Features.Calls;

namespace Switchboard.Features.Ai.CallPrep;

/// <summary>What the record's history gives the call prep: the newest interactions, the open tasks, the last call, the latest note.</summary>
public sealed record CallPrepHistoryParts(
    IReadOnlyList<CallPrepInteraction> Interactions, IReadOnlyList<CallPrepTask> OpenTasks, CallPrepLastCall? LastCall, string? LastNote);

/// <summary>
/// Reads a visible record's history for its call prep: its calls (those the caller may see, by <see cref="CallVisibility"/>),
/// notes and activities, and for a contact also those of the leads converted into it, as the timeline does. Each source
/// is read only as far as the prep needs (the five newest; the open tasks up to <see cref="MaxOpenTasks"/>).
/// </summary>
[Scoped]
public sealed class CallPrepHistory(SwitchboardDbContext db, TenantContext ctx, TimeProvider clock)
{
    public const int InteractionCount = 5;
    public const int MaxOpenTasks = 20;

    public async Task<CallPrepHistoryParts> ReadAsync(CallPrepSubject subject, IReadOnlyList<OwnerOption> members, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var calls = Calls(subject);
        var recentCalls = await calls.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Take(InteractionCount).ToListAsync(ct);
        var notes = await Notes(subject).OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(InteractionCount).ToListAsync(ct);
        var activities = await Activities(subject).OrderByDescending(a => a.CompletedAt ?? a.CreatedAt).ThenByDescending(a => a.Id).Take(InteractionCount).ToListAsync(ct);
        var open = await Activities(subject).Where(a => a.Status == ActivityStatuses.Pending)
            .OrderBy(a => a.DueAt == null ? 1 : 0).ThenBy(a => a.DueAt).ThenBy(a => a.CreatedAt).Take(MaxOpenTasks).ToListAsync(ct);

        var interactions = recentCalls.Select(c => new CallPrepInteraction("call", c.Id, c.CreatedAt, CallLine(c), NameOf(members, c.AgentId), c.Id))
            .Concat(notes.Select(n => new CallPrepInteraction("note", n.Id, n.CreatedAt, NoteLine(n.Body), NameOf(members, n.AuthorId), null)))
            .Concat(activities.Select(a => new CallPrepInteraction(a.Type, a.Id, a.CompletedAt ?? a.CreatedAt, ActivityLine(a), NameOf(members, a.CreatedBy), a.SourceCallId ?? a.CallId)))
            .OrderByDescending(i => i.At).ThenByDescending(i => i.Id).Take(InteractionCount).ToList();
        var openTasks = open.Select(a => new CallPrepTask(a.Id, a.Type, a.Subject, a.DueAt, a.Priority, a.DueAt < now, a.AssigneeId, a.SourceCallId)).ToList();
        return new CallPrepHistoryParts(interactions, openTasks, await LastCallAsync(calls, members, ct), notes.Count > 0 ? NoteLine(notes[0].Body) : null);
    }

    /// <summary>
    /// The newest ended call with its analysis, and the open promises of the newest analysed call whose AI changes were
    /// not undone (an unanswered or failed call after it has nothing to promise, so the promises stay with the call that made them).
    /// </summary>
    private async Task<CallPrepLastCall?> LastCallAsync(IQueryable<Call> calls, IReadOnlyList<OwnerOption> members, CancellationToken ct)
    {
        var call = await calls.Where(c => !CallStatuses.Live.Contains(c.Status)).OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).FirstOrDefaultAsync(ct);
        if (call is null) return null;
        var analysis = await db.Set<CallAnalysis>().AsNoTracking().SingleOrDefaultAsync(a => a.CallId == call.Id, ct);
        var promising = analysis is { Status: AnalysisStatuses.Completed, UndoneAt: null }
            ? analysis
            : await (from a in db.Set<CallAnalysis>().AsNoTracking()
                     join c in calls on a.CallId equals c.Id
                     where a.Status == AnalysisStatuses.Completed && a.UndoneAt == null
                     orderby c.CreatedAt descending, c.Id descending
                     select a).FirstOrDefaultAsync(ct);
        var promises = promising is null ? [] : await PromisesAsync(promising, ct);
        var completed = analysis is { Status: AnalysisStatuses.Completed } ? AnalysisRecord.ToDto(analysis) : null;
        return new CallPrepLastCall(
            call.Id, call.CreatedAt, call.Direction, call.Status, call.Disposition, call.Notes, call.DurationSeconds, NameOf(members, call.AgentId),
            analysis?.Status ?? (call.Transcript is null ? null : AnalysisStatuses.Pending), completed?.Summary, completed?.Sentiment,
            completed?.CustomerRequests.Select(s => new CallPrepStatement(s.Text, s.Quote)).ToList() ?? [], promises);
    }

    private async Task<IReadOnlyList<CallPrepPromise>> PromisesAsync(CallAnalysis analysis, CancellationToken ct)
    {
        var items = AnalysisRecord.Items(analysis);
        var ids = items.Where(i => i.ActivityId is not null).Select(i => i.ActivityId!.Value).ToList();
        var tasks = await db.Set<Activity>().AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new PromisedTask(a.Id, a.Subject, a.DueAt, a.Status)).ToDictionaryAsync(a => a.Id, ct);
        return OpenPromises.From(analysis.CallId, items, tasks, clock.GetUtcNow());
    }

    private IQueryable<Call> Calls(CallPrepSubject s)
    {
        var visible = CallVisibility.Visible(db, ctx).AsNoTracking();
        if (s.Type == "lead") return visible.Where(c => c.LeadId == s.Id);
        var leads = s.ConvertedLeads.ToList();
        return visible.Where(c => c.ContactId == s.Id || (c.LeadId != null && leads.Contains(c.LeadId.Value)));
    }

    private IQueryable<Note> Notes(CallPrepSubject s)
    {
        var leads = s.ConvertedLeads.ToList();
        return db.Set<Note>().AsNoTracking().Where(n => (n.RelatedType == s.Type && n.RelatedId == s.Id) || (n.RelatedType == "lead" && leads.Contains(n.RelatedId)));
    }

    private IQueryable<Activity> Activities(CallPrepSubject s)
    {
        var leads = s.ConvertedLeads.ToList();
        return db.Set<Activity>().AsNoTracking()
            .Where(a => (a.RelatedType == s.Type && a.RelatedId == s.Id) || (a.RelatedType == "lead" && a.RelatedId != null && leads.Contains(a.RelatedId.Value)));
    }

    private static string CallLine(Call c)
    {
        var line = new StringBuilder(c.Direction == CallDirections.Inbound ? "Inbound call" : "Outbound call");
        line.Append(", ").Append(c.Disposition ?? c.Status);
        if (c.DurationSeconds is { } s) line.Append($", {s / 60}:{s % 60:00}");
        if (!string.IsNullOrWhiteSpace(c.Notes)) line.Append(": ").Append(c.Notes);
        return TalkingPoints.Clip(line.ToString(), 140);
    }

    /// <summary>The note's first line of text (after a short heading line), without the markdown marks that start a line or make it bold.</summary>
    public static string NoteLine(string body)
    {
        var lines = body.Split('\n').Select(l => l.Trim().TrimStart('#', '>', '-', '*', ' ').Replace("**", "").Trim()).Where(l => l.Length > 0).Take(2).ToList();
        // A short first line is a heading ("Call summary (…, written by AI)"): the line after it says what the note is about.
        var line = lines.Count == 2 && lines[0].Length < 50 ? $"{lines[0].TrimEnd(':')}: {lines[1]}" : lines.FirstOrDefault() ?? "";
        return TalkingPoints.Clip(line, 140);
    }

    private static string ActivityLine(Activity a)
    {
        var state = a.Status == ActivityStatuses.Pending && a.DueAt is { } due ? $"pending, due {due:yyyy-MM-dd}" : a.Status;
        return TalkingPoints.Clip($"{Display.Label(a.Type)}: {a.Subject} ({state})", 140);
    }

    private static string? NameOf(IReadOnlyList<OwnerOption> members, Guid? id) =>
        id is { } key ? members.FirstOrDefault(m => m.Id == key)?.Name : null;
}

public sealed record PromisedTask(Guid Id, string Subject, DateTimeOffset? DueAt, string Status);

/// <summary>
/// The open promises of an analysed call (ADR 0053): what our side said it would do — action items owned by the agent —
/// whose task is still pending (created at once or accepted), and suggestions nobody has answered yet. Dismissed,
/// undone and done items are not open; the contact's own items are their requests, not our promises. A task shows as
/// it is now (its subject and due time may have been edited); the quote is the call's.
/// </summary>
public static class OpenPromises
{
    public static IReadOnlyList<CallPrepPromise> From(Guid callId, IReadOnlyList<AnalysisItem> items, IReadOnlyDictionary<Guid, PromisedTask> tasks, DateTimeOffset now)
    {
        var promises = new List<CallPrepPromise>();
        foreach (var item in items.Where(i => i.Owner == Engines.Speakers.Agent))
        {
            if (item.State is ItemStates.Created or ItemStates.Accepted
                && item.ActivityId is { } id && tasks.TryGetValue(id, out var task) && task.Status == ActivityStatuses.Pending)
                promises.Add(new CallPrepPromise(task.Subject, task.DueAt, task.DueAt < now, item.Quote, id, PromiseStates.Task, callId));
            else if (item.State == ItemStates.Suggested)
                promises.Add(new CallPrepPromise(item.Title, item.DueAt, item.DueAt < now, item.Quote, null, PromiseStates.Suggested, callId));
        }
        return promises.OrderBy(p => p.DueAt ?? DateTimeOffset.MaxValue).ToList();
    }
}
