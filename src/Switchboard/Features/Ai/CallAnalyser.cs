using Switchboard.Features.Calls;

namespace Switchboard.Features.Ai;

/// <summary>
/// The background job that analyses a call's transcript (queued by <see cref="Transcripts"/> and by a re-run). The
/// engine runs outside any transaction (an LLM may take seconds); then, with the call's row locked, the last run's
/// changes are taken back and the new ones applied in one unit of work, so running it twice, or two runs at once,
/// leaves one analysis and no duplicates. Its record changes are audited as the AI actor ("ai:rules", "ai:llm").
/// </summary>
// Wide on purpose: database and audit (log and actor) are ambient; the rest are the analysis's own steps (gather the
// call's context, run the model, apply its effects) and the tenant's AI settings.
[Scoped]
public sealed class CallAnalyser(
    SwitchboardDbContext db, AnalysisContexts contexts, AnalysisRunner runner, AnalysisEffects effects, AiSettingsService settings,
    AuditLog audit, AuditActor actor) : IJobHandler
{
    public string Kind => Transcripts.AnalyseJob;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var callId = job.Read<AnalysePayload>().CallId;
        var call = await db.Calls.AsNoTracking().SingleOrDefaultAsync(c => c.Id == callId, ct);
        if (call is null || Transcripts.Read(call) is not { } transcript) return;
        var transcribedAt = call.TranscribedAt;
        var context = await contexts.ForAsync(call, ct);
        var run = await runner.RunAsync(transcript, context, callId, ct);
        var policy = await settings.PolicyAsync(ct);

        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        call = (await db.Calls.FromSql($"select * from calls where id = {callId} for update").AsNoTracking().ToListAsync(ct)).SingleOrDefault();
        // The transcript changed while the engine ran: the newer transcript's own job analyses it.
        if (call is null || call.TranscribedAt != transcribedAt) return;

        actor.System("ai:" + run.Engine);
        var analysis = await db.Set<CallAnalysis>().SingleOrDefaultAsync(a => a.CallId == callId, ct);
        if (analysis is null) db.Add(analysis = new CallAnalysis { TenantId = call.TenantId, CallId = callId });
        var reverted = await effects.RevertAsync(analysis, ct);
        var (items, fulfilled) = await effects.ApplyAsync(call, analysis, run.Result, policy, reverted.Kept, ct);
        AnalysisRecord.Fill(analysis, run, items, fulfilled, transcript);
        analysis.Runs++;

        audit.Add(AuditActions.CallAnalysed, call.TenantId, "call", call.Id.ToString(), new
        {
            engine = run.Engine, model = run.Model, fallback = run.Fallback, items = items.Count, tasksCreated = items.Count(i => i.State == ItemStates.Created),
            suggestions = items.Count(i => i.State == ItemStates.Suggested), tasksCompleted = fulfilled.Count, droppedUngrounded = run.DroppedUngrounded,
            previousRun = analysis.Runs > 1 ? reverted.Counts : null,
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}
