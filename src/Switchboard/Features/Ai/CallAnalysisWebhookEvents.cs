using Microsoft.EntityFrameworkCore.ChangeTracking;
using Switchboard.Features.Webhooks;

namespace Switchboard.Features.Ai;

/// <summary>call.analyzed: an analysis reaching completed (a first run or a re-run), with the analysis as GET /api/v1/calls/{id}/analysis returns it.</summary>
internal sealed class CallAnalysisWebhookEvents() : WebhookEventSource<CallAnalysis>("call-analysis")
{
    protected override bool Raises(EntityState state) => false;

    protected override object Data(CallAnalysis entity, DbContext db) => AnalysisRecord.ToDto(entity);

    protected override IEnumerable<WebhookEventDraft> Extra(EntityEntry<CallAnalysis> entry, Func<object> data, Func<object> previous)
    {
        var status = entry.Property(a => a.Status);
        var completedNow = entry.Entity.Status == AnalysisStatuses.Completed
            && (entry.State == EntityState.Added || (entry.State == EntityState.Modified && (status.OriginalValue != AnalysisStatuses.Completed || entry.Property(a => a.Runs).IsModified)));
        if (completedNow) yield return new WebhookEventDraft("call.analyzed", data(), null, null);
    }
}
