using Switchboard.Features.CustomFields;
using Switchboard.Features.Accounts;

namespace Switchboard.Features.Contacts;

/// <summary>The contact new and edit pages: the shared form page plus the account picker (accounts this user may see).</summary>
public abstract class ContactFormPage(ContactService contacts, AccountService accounts, TenantContext ctx, SwitchboardDbContext db, CustomFieldValidator customFields)
    : CrmFormPage<ContactForm, ContactWrite, ContactDto>(contacts, ctx, db, customFields)
{
    /// <summary>The name of the account the form links, for its picker.</summary>
    public string? AccountLabel { get; private set; }

    /// <summary>Preselects the account when a new contact is started from an account's page.</summary>
    [BindProperty(SupportsGet = true)] public Guid? AccountId { get; set; }

    protected override string Noun => "contact";
    protected override string ListPath => "/contacts";
    protected override ContactForm FormOf(ContactDto record) => ContactForm.From(record);
    protected override string NameOf(ContactDto record) => Display.FullName(record.FirstName, record.LastName);

    protected override async Task LoadChoicesAsync(CancellationToken ct)
    {
        await base.LoadChoicesAsync(ct);
        var preselected = IsNew && Form.AccountId is null && AccountId is not null;
        if ((preselected ? AccountId : Form.AccountId) is { } id && await accounts.FindAsync(id, ct) is { } account)
        {
            Form.AccountId = account.Id;
            AccountLabel = account.Name;
        }
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
