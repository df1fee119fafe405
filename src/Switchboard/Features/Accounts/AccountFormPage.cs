using Switchboard.Features.CustomFields;

namespace Switchboard.Features.Accounts;

public abstract class AccountFormPage(AccountService accounts, TenantContext ctx, SwitchboardDbContext db, CustomFieldValidator customFields)
    : CrmFormPage<AccountForm, AccountWrite, AccountDto>(accounts, ctx, db, customFields)
{
    protected override string Noun => "account";
    protected override string ListPath => "/accounts";
    protected override AccountForm FormOf(AccountDto record) => AccountForm.From(record);
    protected override string NameOf(AccountDto record) => record.Name;
}

public sealed class NewModel(AccountService accounts, TenantContext ctx, SwitchboardDbContext db, CustomFieldValidator customFields) : AccountFormPage(accounts, ctx, db, customFields)
{
    public override Guid? Id { get => null; set { } }
}

public sealed class EditModel(AccountService accounts, TenantContext ctx, SwitchboardDbContext db, CustomFieldValidator customFields) : AccountFormPage(accounts, ctx, db, customFields)
{
    [BindProperty(SupportsGet = true)] public override Guid? Id { get; set; }
}
