using Switchboard.Features.Webhooks;

namespace Switchboard.Features.Contacts;

/// <summary>contact.created, contact.updated, contact.deleted, with the contact as the API returns it.</summary>
internal sealed class ContactWebhookEvents() : WebhookEventSource<Contact>("contact")
{
    protected override object Data(Contact entity, DbContext db) => ContactService.ToDto(entity);
}
