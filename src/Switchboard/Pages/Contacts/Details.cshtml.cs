using Microsoft.AspNetCore.Mvc;
using Switchboard.Features.Accounts;
using Switchboard.Features.Contacts;
using Switchboard.Pages.Leads;
using Switchboard.Pages.Shared;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;
using Switchboard.Platform.Web;

namespace Switchboard.Pages.Contacts;

public sealed class DetailsModel(ContactService contacts, AccountService accounts, TenantContext ctx, SwitchboardDbContext db) : AppPageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }

    public ContactDto Contact { get; private set; } = null!;
    public string OwnerName { get; private set; } = "";

    /// <summary>The contact's account when this user may see it.</summary>
    public AccountDto? Account { get; private set; }
    public TenantSettings? Tenant => ctx.Tenant;
    public bool CanEdit => CrmPermissions.CanEdit(ctx, Contact.OwnerId);
    public bool CanDelete => CrmPermissions.CanDelete(ctx);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await contacts.FindAsync(Id, ct) is not { } contact) return NotFound();
        Contact = contact;
        OwnerName = LeadOwners.NameOf(await LeadOwners.ListAsync(db, ct), contact.OwnerId);
        if (contact.AccountId is { } accountId) Account = await accounts.FindAsync(accountId, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        switch (await contacts.DeleteAsync(Id, ct))
        {
            case Outcome<bool>.Ok:
                Flash("Contact deleted.");
                return LocalRedirect("/contacts");
            case Outcome<bool>.Forbidden:
                return Forbid();
            default:
                return NotFound();
        }
    }
}
