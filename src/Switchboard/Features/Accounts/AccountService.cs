using Switchboard.Features.CustomFields;
using Switchboard.Features.Lists;

namespace Switchboard.Features.Accounts;

/// <summary>The account use cases, shared by the API and the pages.</summary>
[Scoped]
public sealed class AccountService(OwnedRecordWriter writer, CustomFieldValidator customFields, TenantContext ctx, SwitchboardDbContext db) : IOwnedRecordService<AccountDto, AccountQuery, AccountWrite>
{
    public Task<Outcome<PagedList<AccountDto>>> ListAsync(AccountQuery query, CancellationToken ct) => ListAsync(query, ListCriteria.None, ct);

    /// <param name="criteria">filter.&lt;field&gt;=op:value conditions and the columns asked for (see Features/Lists).</param>
    public Task<Outcome<PagedList<AccountDto>>> ListAsync(AccountQuery query, ListCriteria criteria, CancellationToken ct) =>
        ListPages.PageAsync(db, query.Page, query.PageSize, errors => SelectAsync(query, criteria, errors, ct), ToDto, ct);

    /// <summary>The visible accounts the query selects, filtered and sorted but not paged (for a page or an export); null when invalid.</summary>
    public async Task<ListRows<Account, AccountDto>?> SelectAsync(AccountQuery query, ListCriteria criteria, ValidationErrors errors, CancellationToken ct)
    {
        var sort = query.Sort ?? "name";
        var catalogue = AccountList.Catalogue(await customFields.ForEntityAsync(CustomFieldEntities.Account, ct));
        if (catalogue.Select(sort, criteria, ListContexts.For(ctx), errors) is not { } selection) return null;

        var accounts = Visible();
        if (query.OwnerId is { } owner) accounts = accounts.Where(a => a.OwnerId == owner);
        if (!string.IsNullOrWhiteSpace(query.Q)) accounts = Search(accounts, query.Q.Trim());
        accounts = selection.Apply(accounts);
        return new ListRows<Account, AccountDto>(catalogue.Sort(accounts, sort, a => a.Id, Sort), selection);
    }

    public IQueryable<Account> Visible() => writer.Visible<Account>();

    public async Task<AccountDto?> FindAsync(Guid id, CancellationToken ct) =>
        await writer.FindVisibleAsync<Account>(id, ct) is { } account ? ToDto(account) : null;

    public Task<Outcome<AccountDto>> CreateAsync(AccountWrite body, CancellationToken ct)
    {
        var account = new Account { Id = Guid.CreateVersion7(), Name = "" };
        return writer.CreateAsync(account, "account", body, Apply, ToDto, ct);
    }

    public async Task<Outcome<AccountDto>> UpdateAsync(Guid id, AccountWrite patch, int? ifMatch, CancellationToken ct)
    {
        var account = await Visible().SingleOrDefaultAsync(a => a.Id == id, ct);
        return await writer.UpdateAsync(account, "account", patch, ifMatch, Apply, ToDto, ct);
    }

    public async Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken ct) =>
        await writer.DeleteAsync(await Visible().SingleOrDefaultAsync(a => a.Id == id, ct), "account", ct);

    private Task Apply(Account account, AccountWrite body, ValidationErrors errors, bool isNew)
    {
        if (body.Name is { IsSet: true } name) account.Name = name.Value ?? "";
        if (body.Industry is { IsSet: true } industry) account.Industry = industry.Value;
        if (body.Size.OneOf("size", AccountSizes.All, errors) is { IsSet: true } size) account.Size = size.Value;
        if (body.Street is { IsSet: true } street) account.Street = street.Value;
        if (body.City is { IsSet: true } city) account.City = city.Value;
        if (body.Region is { IsSet: true } region) account.Region = region.Value;
        if (body.PostalCode is { IsSet: true } postal) account.PostalCode = postal.Value;
        if (body.Domain is { IsSet: true } domain)
        {
            account.Domain = domain.Value is null ? null : Domains.Normalize(domain.Value);
            if (domain.Value is not null && account.Domain is null)
                errors.Add("domain", $"'{domain.Value}' is not a web domain such as example.com.");
        }
        if (body.Phone is { IsSet: true } phone)
            account.Phone = phone.Value is null ? null : writer.Phone(phone.Value, "phone", errors);
        if (body.Country is { IsSet: true } country)
        {
            account.Country = country.Value?.ToUpperInvariant();
            if (account.Country is { } code && (code.Length != 2 || !code.All(char.IsAsciiLetterUpper) || !PhoneNumbers.IsValidCountry(code)))
                errors.Add("country", $"'{country.Value}' is not a two-letter ISO country code such as US or DE.");
        }

        if (isNew || body.Name.IsSet) errors.Required("name", account.Name, "Name");
        errors.MaxLength("industry", account.Industry, "Industry", 100);
        errors.MaxLength("street", account.Street, "Street", 200);
        errors.MaxLength("city", account.City, "City", 100);
        errors.MaxLength("region", account.Region, "Region", 100);
        errors.MaxLength("postalCode", account.PostalCode, "Postal code", 20);
        return Task.CompletedTask;
    }

    private static IQueryable<Account> Search(IQueryable<Account> accounts, string term)
    {
        var like = Platform.Database.LikePatterns.Contains(term);
        var phoneLike = Platform.Database.LikePatterns.PhoneDigits(term);
        return accounts.Where(a =>
            EF.Functions.ILike(a.Name, like, Platform.Database.LikePatterns.Escape)
            || EF.Functions.ILike(a.Domain!, like, Platform.Database.LikePatterns.Escape)
            || (phoneLike != null && EF.Functions.Like(a.Phone!, phoneLike)));
    }

    /// <summary>Names regardless of case, in the order of (tenant_id, lower(name), id).</summary>
    private static IQueryable<Account> Sort(IQueryable<Account> accounts, string sort) => sort.StartsWith('-')
        ? accounts.OrderByDescending(a => a.Name.ToLower()).ThenByDescending(a => a.Id)
        : accounts.OrderBy(a => a.Name.ToLower()).ThenBy(a => a.Id);

    public static AccountDto ToDto(Account a) => new(
        a.Id, a.Name, a.Domain, a.Industry, a.Size, a.Phone, a.Street, a.City, a.Region, a.PostalCode, a.Country,
        a.OwnerId, a.Custom.RootElement.Clone(), a.CreatedAt, a.UpdatedAt, a.Version, a.ExternalId);
}
