using Switchboard.Features.Calls;

namespace Switchboard.Features.Ai;

/// <summary>
/// A call's transcript and analysis as its users work with them: push a transcript, read the analysis, re-run it, undo
/// what the AI changed, accept or dismiss a suggestion. Only on calls the caller may see (404 otherwise); changing
/// anything needs a role that works calls (agents and above).
/// </summary>
[Scoped]
public sealed class AnalysisService(SwitchboardDbContext db, TenantContext ctx, Transcripts transcripts, AnalysisEffects effects, AuditLog audit, TimeProvider clock)
{
    /// <summary>
    /// Stores a pushed transcript. A provider callback (the recording, a late status) may update the call at the same
    /// moment; the transcript does not depend on it, so a lost race is retried on the fresh row, as a disposition is.
    /// </summary>
    public async Task<Outcome<CallAnalysisDto>> PutTranscriptAsync(Guid callId, TranscriptWrite body, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var call = await CallVisibility.Visible(db, ctx).SingleOrDefaultAsync(c => c.Id == callId, ct);
            if (call is null) return new Outcome<CallAnalysisDto>.NotFound();
            if (!CallService.CanCall(ctx)) return new Outcome<CallAnalysisDto>.Forbidden("Your role cannot change calls.");
            var errors = body.BindingErrors();
            if (Transcripts.Validate(body, errors) is not { } transcript) return new Outcome<CallAnalysisDto>.Invalid(errors.ToDictionary());

            await transcripts.StoreAsync(call, transcript.Text, transcript.Utterances, TranscriptSources.Api, ct);
            audit.Add(AuditActions.CallTranscribed, call.TenantId, "call", call.Id.ToString(),
                new { source = TranscriptSources.Api, characters = transcript.Text.Length, utterances = transcript.Utterances?.Count });
            try
            {
                await db.SaveChangesAsync(ct);
                return AnalysisRecord.Pending(call.Id, call.TranscribedAt!.Value);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                return new Outcome<CallAnalysisDto>.Conflict("The call kept changing while the transcript was saved; send it again.");
            }
        }
    }

    public async Task<Outcome<CallAnalysisDto>> GetAsync(Guid callId, CancellationToken ct)
    {
        var call = await CallVisibility.Visible(db, ctx).AsNoTracking().Select(c => new { c.Id, c.TranscribedAt, HasTranscript = c.Transcript != null })
            .SingleOrDefaultAsync(c => c.Id == callId, ct);
        if (call is null) return new Outcome<CallAnalysisDto>.NotFound();
        var analysis = await db.Set<CallAnalysis>().AsNoTracking().SingleOrDefaultAsync(a => a.CallId == callId, ct);
        if (analysis is not null) return AnalysisRecord.ToDto(analysis);
        if (!call.HasTranscript) return new Outcome<CallAnalysisDto>.NotFound(); // no transcript yet: nothing to analyse
        return AnalysisRecord.Pending(call.Id, call.TranscribedAt ?? clock.GetUtcNow());
    }

    /// <summary>The summary and follow-up counts of the completed analyses of these calls (already visible to the caller), by call.</summary>
    public async Task<IReadOnlyDictionary<Guid, AnalysisGlance>> GlancesAsync(IReadOnlyCollection<Guid> callIds, CancellationToken ct)
    {
        if (callIds.Count == 0) return new Dictionary<Guid, AnalysisGlance>();
        var analyses = await db.Set<CallAnalysis>().AsNoTracking()
            .Where(a => callIds.Contains(a.CallId) && a.Status == AnalysisStatuses.Completed).ToListAsync(ct);
        return analyses.ToDictionary(a => a.CallId, a =>
        {
            var items = AnalysisRecord.Items(a);
            return new AnalysisGlance(a.Summary, items.Count(i => i.State is ItemStates.Created or ItemStates.Accepted),
                items.Count(i => i.State == ItemStates.Suggested), AnalysisRecord.Fulfilled(a).Count, a.UndoneAt is not null);
        });
    }

    /// <summary>Queues the analysis again; it replaces the last one and takes back what that one changed first.</summary>
    public async Task<Outcome<CallAnalysisDto>> RerunAsync(Guid callId, CancellationToken ct)
    {
        var call = await CallVisibility.Visible(db, ctx).AsNoTracking().SingleOrDefaultAsync(c => c.Id == callId, ct);
        if (call is null) return new Outcome<CallAnalysisDto>.NotFound();
        if (!CallService.CanCall(ctx)) return new Outcome<CallAnalysisDto>.Forbidden("Your role cannot change calls.");
        if (string.IsNullOrWhiteSpace(call.Transcript)) return new Outcome<CallAnalysisDto>.Conflict("The call has no transcript to analyse.");
        await transcripts.QueueAnalysisAsync(call.TenantId, call.Id, $"rerun:{Guid.CreateVersion7()}", ct);
        await db.SaveChangesAsync(ct);
        return await GetAsync(callId, ct);
    }

    /// <summary>Takes back what the AI changed: its note, the tasks it created (unless someone changed them since) and its completions.</summary>
    public async Task<Outcome<CallAnalysisDto>> UndoAsync(Guid callId, CancellationToken ct) =>
        await ChangeAsync(callId, async (call, analysis) =>
        {
            if (analysis.UndoneAt is not null) return "The AI changes of this call are already undone.";
            var result = await effects.RevertAsync(analysis, ct);
            AnalysisRecord.SetItems(analysis, AnalysisRecord.Items(analysis).Select(i =>
                i.ActivityId is { } id && result.Deleted.Contains(id) ? i with { State = ItemStates.Undone, ActivityId = null } : i));
            analysis.UndoneAt = clock.GetUtcNow();
            analysis.UndoneBy = ctx.UserId;
            audit.Add(AuditActions.CallAnalysisUndone, call.TenantId, "call", call.Id.ToString(), result.Counts);
            return null;
        }, ct);

    /// <summary>Makes a suggestion a task, assigned to the call's agent (or to whoever accepts it when the call has none).</summary>
    public Task<Outcome<CallAnalysisDto>> AcceptAsync(Guid callId, int index, CancellationToken ct) =>
        AnswerSuggestionAsync(callId, index, accept: true, ct);

    public Task<Outcome<CallAnalysisDto>> DismissAsync(Guid callId, int index, CancellationToken ct) =>
        AnswerSuggestionAsync(callId, index, accept: false, ct);

    private Task<Outcome<CallAnalysisDto>> AnswerSuggestionAsync(Guid callId, int index, bool accept, CancellationToken ct) =>
        ChangeAsync(callId, async (call, analysis) =>
        {
            var items = AnalysisRecord.Items(analysis).ToList();
            if (index < 0 || index >= items.Count) return $"The analysis has no item {index}.";
            if (items[index].State != ItemStates.Suggested) return "Only a suggestion can be accepted or dismissed.";
            var item = items[index];
            if (accept)
            {
                var task = await effects.CreateTaskAsync(call, item, call.AgentId ?? ctx.UserId, ct);
                items[index] = item with { State = ItemStates.Accepted, ActivityId = task.Id };
            }
            else items[index] = item with { State = ItemStates.Dismissed };
            AnalysisRecord.SetItems(analysis, items);
            audit.Add(accept ? AuditActions.CallSuggestionAccepted : AuditActions.CallSuggestionDismissed, call.TenantId, "call", call.Id.ToString(),
                new { index, title = item.Title, type = item.Type });
            return null;
        }, ct);

    /// <summary>Runs a change of the call's analysis with its row locked; the change answers a conflict message or null.</summary>
    private async Task<Outcome<CallAnalysisDto>> ChangeAsync(Guid callId, Func<Call, CallAnalysis, Task<string?>> change, CancellationToken ct)
    {
        var call = await CallVisibility.Visible(db, ctx).AsNoTracking().SingleOrDefaultAsync(c => c.Id == callId, ct);
        if (call is null) return new Outcome<CallAnalysisDto>.NotFound();
        if (!CallService.CanCall(ctx)) return new Outcome<CallAnalysisDto>.Forbidden("Your role cannot change calls.");
        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        var analysis = (await db.Set<CallAnalysis>().FromSql($"select * from call_analyses where call_id = {callId} for update").ToListAsync(ct)).SingleOrDefault();
        if (analysis is not { Status: AnalysisStatuses.Completed }) return new Outcome<CallAnalysisDto>.Conflict("The call has no completed analysis yet.");
        if (await change(call, analysis) is { } conflict) return new Outcome<CallAnalysisDto>.Conflict(conflict);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return AnalysisRecord.ToDto(analysis);
    }
}

/// <summary>A call's analysis at a glance, for lists of calls (the lead page's calls).</summary>
public sealed record AnalysisGlance(string? Summary, int Tasks, int Suggestions, int Completed, bool Undone);

public static class TranscriptSources
{
    public const string Provider = "provider";
    public const string Api = "api";
    public const string VoiceAgent = "voice-agent";
}
