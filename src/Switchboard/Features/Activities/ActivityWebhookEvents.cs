using Switchboard.Features.Webhooks;

namespace Switchboard.Features.Activities;

/// <summary>activity.created, with the activity as the API returns it.</summary>
internal sealed class ActivityWebhookEvents() : WebhookEventSource<Activity>("activity")
{
    protected override bool Raises(EntityState state) => state == EntityState.Added;

    protected override object Data(Activity entity, DbContext db) => ActivityDto.Of(entity);
}
