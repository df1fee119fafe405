using Switchboard.Features.Webhooks;

namespace Switchboard.Features.Leads;

/// <summary>lead.created, lead.updated, lead.deleted, with the lead as GET /api/v1/leads/{id} returns it.</summary>
internal sealed class LeadWebhookEvents() : WebhookEventSource<Lead>("lead")
{
    protected override object Data(Lead entity, DbContext db) => LeadService.ToDto(entity);
}
