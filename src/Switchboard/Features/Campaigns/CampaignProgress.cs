using Switchboard.Features.Webhooks;

namespace Switchboard.Features.Campaigns;

/// <summary>
/// Counts one recipient's outcome into its campaign, in the caller's transaction: one atomic
/// <c>update … returning</c> adds to processed and to sent, failed or skipped, so concurrent outcomes each see their
/// own processed value. From that value alone it decides whether this outcome writes <c>campaign.progress</c> (every
/// 10th processed recipient, and the last) and whether the campaign is now completed: under any concurrency each
/// multiple of 10 is reached by exactly one increment, so no event is skipped or written twice.
/// </summary>
[Scoped]
public sealed class CampaignProgress(SwitchboardDbContext db, WebhookEvents events, TimeProvider clock, Platform.Observability.SwitchboardInstruments instruments)
{
    public const string EventType = "campaign.progress";
    public const int Every = 10;

    private sealed record Counted(string Name, string Kind, string Status, int Total, int Processed, int Sent, int Failed, int Skipped);

    /// <summary>
    /// Counts one outcome (<paramref name="outcome"/>: sent, failed or skipped with a reason). The webhook event, when
    /// written, is added to the DbContext: the caller's SaveChanges stores it in the same transaction.
    /// </summary>
    public async Task CountAsync(Guid campaignId, string outcome, string? skipReason, CancellationToken ct)
    {
        int sent = outcome == CampaignRecipientStatuses.Sent ? 1 : 0, failed = outcome == CampaignRecipientStatuses.Failed ? 1 : 0;
        int skipped = outcome == CampaignRecipientStatuses.Skipped ? 1 : 0;
        int noAddress = skipReason == CampaignSkipReasons.NoAddress ? 1 : 0, suppressed = skipReason == CampaignSkipReasons.Suppressed ? 1 : 0;
        int dnc = skipReason == CampaignSkipReasons.DoNotContact ? 1 : 0;
        var now = clock.GetUtcNow();
        var counted = await db.Database.SqlQuery<Counted>($"""
            update campaigns set processed = processed + 1, sent = sent + {sent}, failed = failed + {failed}, skipped = skipped + {skipped},
              skipped_no_address = skipped_no_address + {noAddress}, skipped_suppressed = skipped_suppressed + {suppressed},
              skipped_do_not_contact = skipped_do_not_contact + {dnc},
              status = case when materialised and processed + 1 >= total and status in ('running', 'paused') then 'completed' else status end,
              finished_at = case when materialised and processed + 1 >= total and status in ('running', 'paused') then {now} else finished_at end
            where id = {campaignId}
            returning name as "Name", kind as "Kind", status as "Status", total as "Total", processed as "Processed", sent as "Sent", failed as "Failed", skipped as "Skipped"
            """).ToListAsync(ct);
        if (counted is not [var c]) return;
        instruments.CampaignRecipientFinished(c.Kind, outcome);
        if (c.Processed % Every == 0 || c.Processed == c.Total) Write(campaignId, c);
    }

    /// <summary>Writes the campaign's current counts as one event (when it completes with nobody to reach, or is cancelled).</summary>
    public async Task WriteCurrentAsync(Guid campaignId, CancellationToken ct)
    {
        var c = await db.Campaigns.AsNoTracking().Where(x => x.Id == campaignId)
            .Select(x => new Counted(x.Name, x.Kind, x.Status, x.Total, x.Processed, x.Sent, x.Failed, x.Skipped)).SingleAsync(ct);
        Write(campaignId, c);
    }

    private void Write(Guid campaignId, Counted c) =>
        events.Add(EventType, new CampaignProgressEvent(campaignId, c.Name, c.Kind, c.Status, c.Total, c.Processed, c.Sent, c.Failed, c.Skipped));
}
