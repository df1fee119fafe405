using Microsoft.EntityFrameworkCore.ChangeTracking;
using Switchboard.Features.Webhooks;

namespace Switchboard.Features.Calls;

/// <summary>
/// call.completed: a call reaching an end state (completed, busy, no-answer, failed, canceled — <c>data.status</c> says
/// which), with the call as GET /api/v1/calls/{id} returns it. This source sees the changes made through EF (a call
/// landed whole by a voice agent, a hang-up); provider status callbacks are written by <see cref="StatusBatchSql"/>,
/// which adds the same event in its own batch.
/// </summary>
internal sealed class CallWebhookEvents() : WebhookEventSource<Call>("call")
{
    public const string Completed = "call.completed";

    protected override bool Raises(EntityState state) => false;

    protected override object Data(Call entity, DbContext db) => CallDto.Of(entity);

    protected override IEnumerable<WebhookEventDraft> Extra(EntityEntry<Call> entry, Func<object> data, Func<object> previous)
    {
        var status = entry.Property(c => c.Status);
        var endedNow = CallStatuses.IsTerminal(entry.Entity.Status)
            && (entry.State == EntityState.Added || (entry.State == EntityState.Modified && !CallStatuses.IsTerminal(status.OriginalValue)));
        if (endedNow) yield return new WebhookEventDraft(Completed, data(), null, null);
    }
}
