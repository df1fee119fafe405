using Switchboard.Features.Accounts;
using Switchboard.Features.CustomFields;
using Switchboard.Features.Export;
using Switchboard.Features.Lists;
using Switchboard.Features.Views;
using Switchboard.Ui.Lists;

namespace Switchboard.Features.Contacts;

public sealed class IndexModel(ContactService contacts, AccountService accounts, CustomFieldValidator customFields, ViewService views, TenantContext ctx, SwitchboardDbContext db)
    : CrmListPage<Contact, ContactDto>(ctx, db, views, customFields)
{
    public override string BasePath => "/contacts";
    protected override string Entity => CustomFieldEntities.Contact;

    protected override ListCatalogue<Contact, ContactDto> Catalogue(CustomFieldSet custom) => ContactList.Catalogue(custom);

    protected override Task<Outcome<PagedList<ContactDto>>> ListAsync(int page, ListCriteria criteria, CancellationToken ct) =>
        contacts.ListAsync(new ContactQuery(Q, Owner, null, Sort, page, PageSize), criteria, ct);

    protected override Task<ExportOutcome> ExportAsync(ListExports exports, ListCriteria criteria, CancellationToken ct) =>
        exports.ContactsAsync(Response, new ContactQuery(Q, Owner, null, Sort, null, null), criteria, null, ct);

    /// <summary>The names of the page's accounts the user can see, for the Account column.</summary>
    protected override async Task<IReadOnlyDictionary<Guid, string>> NamesAsync(IReadOnlyList<ContactDto> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.AccountId).OfType<Guid>().Distinct().ToList();
        if (ids.Count == 0) return new Dictionary<Guid, string>();
        return await accounts.Visible().AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
    }
}
