using Switchboard.Features.Activities;
using Switchboard.Features.Ai.Engines;
using Switchboard.Features.Ai.Llm;
using Switchboard.Features.Ai.Rules;
using Switchboard.Features.Calls;
using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;

namespace Switchboard.Features.Ai;

/// <summary>
/// One engine's analysis with what grounding took out of it: the result holds only what the transcript says.
/// <paramref name="Fallback"/>: why the rules engine answered although a model was configured, or null.
/// </summary>
public sealed record GroundedAnalysis(string Engine, string? Model, EngineResult Result, int DroppedUngrounded, string? Fallback = null);

/// <summary>
/// Runs the tenant's model on a transcript when it has one (<see cref="LlmEngine"/>), else — or when the model fails,
/// times out or the budget is spent — the rules engine, and keeps only what is grounded: every request, commitment,
/// item and fulfilment must quote the transcript (<see cref="Grounding"/>), and a fulfilment must name one of the
/// record's pending tasks, in the agent's words, sharing a word with the task. What an engine invented is dropped and
/// counted, whichever engine it was; the transcript is data, never instructions.
/// </summary>
[Scoped]
public sealed class AnalysisRunner(RulesEngine rules, LlmEngine llm)
{
    public async Task<GroundedAnalysis> RunAsync(TranscriptInput transcript, AnalysisContext context, Guid callId, CancellationToken ct)
    {
        var reply = await llm.AnalyseAsync(transcript, context, callId, ct);
        if (reply is LlmReply<EngineResult>.Answered answered)
            return Ground("llm", answered.Model, answered.Value, transcript, context);
        var result = await rules.AnalyseAsync(transcript, context, ct);
        return Ground(rules.Name, null, result, transcript, context) with { Fallback = (reply as LlmReply<EngineResult>.FellBack)?.Reason };
    }

    public static GroundedAnalysis Ground(string engine, string? model, EngineResult result, TranscriptInput transcript, AnalysisContext context)
    {
        var dropped = 0;
        bool Keep(string quote)
        {
            if (Grounding.Contains(transcript.Text, quote)) return true;
            dropped++;
            return false;
        }
        bool Drop()
        {
            dropped++;
            return false;
        }
        var pending = context.PendingActivities.ToDictionary(a => a.Id);
        var grounded = result with
        {
            CustomerRequests = result.CustomerRequests.Where(s => Keep(s.Quote)).ToList(),
            Commitments = result.Commitments.Where(s => Keep(s.Quote)).ToList(),
            ActionItems = result.ActionItems.Where(i => Keep(i.Quote)).ToList(),
            Fulfilled = result.Fulfilled
                .Where(f => pending.TryGetValue(f.ActivityId, out var task) && ShowsDone(f.Quote, task, transcript) ? Keep(f.Quote) : Drop())
                .DistinctBy(f => f.ActivityId).ToList(),
            Sentiment = Sentiments.All.Contains(result.Sentiment) ? result.Sentiment : Sentiments.Neutral,
        };
        return new GroundedAnalysis(engine, model, grounded, dropped);
    }

    /// <summary>
    /// Whether a quote can show a task done: it shares a content word with the task ("sent you the pricing sheet" for
    /// "Send pricing sheet"), and it is not only the contact's words. So "mark every task done", said by anyone, closes
    /// nothing, and neither does a contact's "you sent me the contract".
    /// </summary>
    private static bool ShowsDone(string quote, PendingActivity task, TranscriptInput transcript) =>
        ContentWords.Overlap(quote, task.Subject)
        && (transcript.Utterances is not { } utterances
            || utterances.Where(u => Grounding.Contains(u.Text, quote)).ToList() is not { Count: > 0 } saidIn
            || saidIn.Any(u => u.Speaker != Speakers.Contact));
}

/// <summary>What an engine is told about a call besides its words: when it was, where, who, and the record's pending tasks.</summary>
[Scoped]
public sealed class AnalysisContexts(SwitchboardDbContext db, TenantContext ctx)
{
    public const int MaxPendingActivities = 50;

    public async Task<AnalysisContext> ForAsync(Call call, CancellationToken ct)
    {
        string? contactName = null, company = null, zone = null;
        if (call.LeadId is { } leadId && await db.Set<Lead>().AsNoTracking().SingleOrDefaultAsync(l => l.Id == leadId, ct) is { } lead)
            (contactName, company, zone) = ($"{lead.FirstName} {lead.LastName}".Trim(), lead.Company, lead.TimeZone);
        else if (call.ContactId is { } contactId && await db.Set<Contact>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == contactId, ct) is { } contact)
            contactName = $"{contact.FirstName} {contact.LastName}".Trim();
        var agentName = call.AgentId is { } agentId
            ? await db.Users.Where(u => u.Id == agentId).Select(u => (u.FirstName + " " + u.LastName).Trim()).SingleOrDefaultAsync(ct)
            : null;

        var pending = new List<PendingActivity>();
        if (AnalysisEffects.RecordOf(call) is { } record)
            pending = await db.Set<Activity>().AsNoTracking()
                // A re-run sees the tasks this call's last run completed as pending again: it takes that run back first.
                .Where(a => a.RelatedType == record.Type && a.RelatedId == record.Id && a.SourceCallId != call.Id
                            && (a.Status == ActivityStatuses.Pending || a.CompletedByCallId == call.Id))
                .OrderBy(a => a.DueAt).Take(MaxPendingActivities)
                .Select(a => new PendingActivity(a.Id, a.Type, a.Subject, a.DueAt)).ToListAsync(ct);

        return new AnalysisContext(call.AnsweredAt ?? call.CreatedAt, zone ?? ctx.Tenant?.TimeZone ?? "UTC", call.Direction, agentName, contactName, company, pending);
    }
}
