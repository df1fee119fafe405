using Switchboard.Features.CustomFields;
using Switchboard.Features.Contacts;
using Switchboard.Features.Imports;
using Switchboard.Features.Lists;

namespace Switchboard.Features.Accounts;

/// <summary>Accounts and contacts: services and the /api/v1/accounts and /api/v1/contacts endpoints.</summary>
public static class AccountsComposition
{
    public static IServiceCollection AddAccountsAndContacts(this IServiceCollection services)
    {
        services.AddEntityList<Account, AccountDto>(CustomFieldEntities.Account, AccountList.Catalogue);
        services.AddEntityList<Contact, ContactDto>(CustomFieldEntities.Contact, ContactList.Catalogue);
        services.AddImportTarget(ContactImport.Target);
        services.AddImportTarget(AccountImport.Target);
        return services;
    }

    public static IEndpointRouteBuilder MapAccountsAndContacts(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapTenantApi("/accounts", "Accounts").ForApiScope(ApiScopes.Accounts)
            .MapRecordApi<AccountService, AccountDto, AccountWrite>("/accounts", "account");
        accounts.MapGet("/", async ([AsParameters] AccountQuery query, AccountService service, HttpRequest request, CancellationToken ct) =>
                (await service.ListAsync(query, Lists.ListCriteria.FromQuery(request.Query), ct)).ToResult(value => Results.Ok(value)))
            .Produces<PagedList<AccountDto>>()
            .ProducesValidationProblem()
            .WithSummary("List accounts (agents see only their own). q matches name, domain and phone digits.");
        accounts.MapAccountExport();
        accounts.MapGet("/{id:guid}/contacts", async (Guid id, [AsParameters] AccountContactsQuery query,
                AccountService accountService, ContactService contactService, CancellationToken ct) =>
            {
                if (await accountService.FindAsync(id, ct) is null) return Problems.NotFound("The account");
                var outcome = await contactService.ListAsync(new ContactQuery(query.Q, null, id, query.Sort, query.Page, query.PageSize), ct);
                return outcome.ToResult(value => Results.Ok(value));
            })
            .Produces<PagedList<ContactDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(404)
            .WithSummary("The account's contacts that the caller may see.");

        var contacts = app.MapTenantApi("/contacts", "Contacts").ForApiScope(ApiScopes.Contacts)
            .MapRecordApi<ContactService, ContactDto, ContactWrite>("/contacts", "contact");
        contacts.MapGet("/", async ([AsParameters] ContactQuery query, ContactService service, HttpRequest request, CancellationToken ct) =>
                (await service.ListAsync(query, Lists.ListCriteria.FromQuery(request.Query), ct)).ToResult(value => Results.Ok(value)))
            .Produces<PagedList<ContactDto>>()
            .ProducesValidationProblem()
            .WithSummary("List contacts (agents see only their own). q matches name, emails and phone digits.");
        contacts.MapContactExport();
        return app;
    }
}

public sealed record AccountContactsQuery(string? Q, string? Sort, int? Page, int? PageSize);
