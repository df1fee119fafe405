using Switchboard.Features.CustomFields;
using Switchboard.Features.Accounts;

namespace Switchboard.Features.Contacts;

public sealed record AccountOption(Guid Id, string Name);

/// <summary>The contact new and edit pages: the shared form page plus the accounts this user may attach a contact to.</summary>
public abstract class ContactFormPage(ContactService contacts, AccountService accounts, TenantContext ctx, SwitchboardDbContext db, CustomFieldValidator customFields)
    : CrmFormPage<ContactForm, ContactWrite, ContactDto>(contacts, ctx, db, customFields)
{
    public IReadOnlyList<AccountOption> Accounts { get; private set; } = [];

    /// <summary>Preselects the account when a new contact is started from an account's page.</summary>
    [BindProperty(SupportsGet = true)] public Guid? AccountId { get; set; }

    protected override string Noun => "contact";
    protected override string ListPath => "/contacts";
    protected override ContactForm FormOf(ContactDto record) => ContactForm.From(record);
    protected override string NameOf(ContactDto record) => Display.FullName(record.FirstName, record.LastName);

    protected override async Task LoadChoicesAsync(CancellationToken ct)
    {
        await base.LoadChoicesAsync(ct);
        var list = await accounts.ListAsync(new AccountQuery(null, null, "name", 1, PageRequest.MaxPageSize), ct);
        if (list is Outcome<PagedList<AccountDto>>.Ok ok) Accounts = ok.Value.Items.Select(a => new AccountOption(a.Id, a.Name)).ToList();
        if (IsNew && Form.AccountId is null && Accounts.Any(a => a.Id == AccountId)) Form.AccountId = AccountId;
    }
}

public sealed class NewModel(ContactService contacts, AccountService accounts, TenantContext ctx, SwitchboardDbContext db, CustomFieldValidator customFields)
    : ContactFormPage(contacts, accounts, ctx, db, customFields)
{
    public override Guid? Id { get => null; set { } }
}

public sealed class EditModel(ContactService contacts, AccountService accounts, TenantContext ctx, SwitchboardDbContext db, CustomFieldValidator customFields)
    : ContactFormPage(contacts, accounts, ctx, db, customFields)
{
    [BindProperty(SupportsGet = true)] public override Guid? Id { get; set; }
}
