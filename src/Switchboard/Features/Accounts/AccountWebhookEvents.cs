using Switchboard.Features.Webhooks;

namespace Switchboard.Features.Accounts;

/// <summary>account.created, account.updated, account.deleted, with the account as the API returns it.</summary>
internal sealed class AccountWebhookEvents() : WebhookEventSource<Account>("account")
{
    protected override object Data(Account entity, DbContext db) => AccountService.ToDto(entity);
}
