using Switchboard.Features.Ai.VoiceAgents;
using Switchboard.Features.Calls;
using Switchboard.Features.Outreach;

namespace Switchboard.Features.Campaigns;

/// <summary>
/// Hears the sender's outcome for a campaign's email, in the sender's transaction: the recipient moves from queued to
/// sent or failed (suppressed at send time counts as skipped, suppressed), and the campaign's counters and progress
/// event follow (<see cref="CampaignProgress"/>). Only the first outcome of a recipient counts: the update is
/// conditional on the recipient still being queued, so a later bounce or a repeated call changes nothing.
/// </summary>
[Scoped]
public sealed class CampaignEmailObserver(SwitchboardDbContext db, CampaignProgress progress, TimeProvider clock) : IOutboundEmailOutcomeObserver
{
    public async Task OnOutcomeAsync(OutboundEmail email, CancellationToken ct)
    {
        if (email.Source != OutboundEmailSources.Campaign) return;
        var (status, reason) = email.Status switch
        {
            OutboundEmailStatus.Sent => (CampaignRecipientStatuses.Sent, (string?)null),
            OutboundEmailStatus.Failed => (CampaignRecipientStatuses.Failed, null),
            OutboundEmailStatus.Suppressed => (CampaignRecipientStatuses.Skipped, CampaignSkipReasons.Suppressed),
            // Cancelled by the sender (the campaign's own cancel writes no outcome): the email will not go, a failure.
            OutboundEmailStatus.Cancelled => (CampaignRecipientStatuses.Failed, null),
            _ => (null, null),
        };
        if (status is null) return;
        var now = clock.GetUtcNow();
        var moved = await db.CampaignRecipients
            .Where(r => r.CampaignId == email.SourceId && r.OutboundEmailId == email.Id && r.Status == CampaignRecipientStatuses.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, status).SetProperty(r => r.SkipReason, reason)
                .SetProperty(r => r.Error, email.Error).SetProperty(r => r.FinishedAt, now), ct);
        if (moved == 1) await progress.CountAsync(email.SourceId, status, reason, ct);
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>
/// Matches a voice agent's report to the call campaign recipient named in its metadata, in the transaction that lands
/// the call: connected or voicemail → sent, no answer, busy or failed → failed; then the counters and the progress
/// event, and a job that triggers the next call now that one is free.
/// </summary>
[Scoped]
public sealed class CampaignCallObserver(SwitchboardDbContext db, CampaignProgress progress, JobQueue jobs, TimeProvider clock) : IVoiceAgentCallObserver
{
    public async Task OnCallLandedAsync(string provider, VoiceAgentReport report, Call call, CancellationToken ct)
    {
        if (report.Metadata is not { CampaignId: { } campaignId, RecipientId: { } recipientId }) return;
        var status = report.Status == CallStatuses.Completed ? CampaignRecipientStatuses.Sent : CampaignRecipientStatuses.Failed;
        var now = clock.GetUtcNow();
        var moved = await db.CampaignRecipients
            .Where(r => r.Id == recipientId && r.CampaignId == campaignId && r.Status == CampaignRecipientStatuses.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, status).SetProperty(r => r.CallId, call.Id)
                .SetProperty(r => r.ProviderCallId, report.CallId).SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.Error, status == CampaignRecipientStatuses.Failed ? $"The AI call ended: {report.Outcome}" : null), ct);
        if (moved != 1) return;
        await progress.CountAsync(campaignId, status, null, ct);
        await jobs.EnqueueAsync(CampaignService.JobKind, new CampaignJob(campaignId), call.TenantId, $"campaign:{campaignId}:after:{recipientId}", maxAttempts: 5, ct: ct);
    }
}
