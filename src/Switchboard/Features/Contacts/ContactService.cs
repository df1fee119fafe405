using Switchboard.Features.Accounts;
using Switchboard.Features.CustomFields;
using Switchboard.Features.Lists;

namespace Switchboard.Features.Contacts;

/// <summary>The contact use cases, shared by the API and the pages.</summary>
[Scoped]
public sealed class ContactService(OwnedRecordWriter writer, CustomFieldValidator customFields, TenantContext ctx, SwitchboardDbContext db) : IOwnedRecordService<ContactDto, ContactQuery, ContactWrite>
{
    private const int MaxEntries = 20;


    public Task<Outcome<PagedList<ContactDto>>> ListAsync(ContactQuery query, CancellationToken ct) => ListAsync(query, ListCriteria.None, ct);

    /// <param name="criteria">filter.&lt;field&gt;=op:value conditions and the columns asked for (see Features/Lists).</param>
    public Task<Outcome<PagedList<ContactDto>>> ListAsync(ContactQuery query, ListCriteria criteria, CancellationToken ct) =>
        ListPages.PageAsync(db, query.Page, query.PageSize, errors => SelectAsync(query, criteria, errors, ct), ToDto, ct);

    /// <summary>The visible contacts the query selects, filtered and sorted but not paged (for a page or an export); null when invalid.</summary>
    public async Task<ListRows<Contact, ContactDto>?> SelectAsync(ContactQuery query, ListCriteria criteria, ValidationErrors errors, CancellationToken ct)
    {
        var sort = query.Sort ?? "name";
        var catalogue = ContactList.Catalogue(await customFields.ForEntityAsync(CustomFieldEntities.Contact, ct));
        if (catalogue.Select(sort, criteria, ListContexts.For(ctx), errors) is not { } selection) return null;

        var contacts = Visible();
        if (query.OwnerId is { } owner) contacts = contacts.Where(c => c.OwnerId == owner);
        if (query.AccountId is { } account) contacts = contacts.Where(c => c.AccountId == account);
        if (!string.IsNullOrWhiteSpace(query.Q)) contacts = Search(contacts, query.Q.Trim());
        contacts = selection.Apply(contacts);
        return new ListRows<Contact, ContactDto>(catalogue.Sort(contacts, sort, c => c.Id, Sort), selection);
    }

    public async Task<ContactDto?> FindAsync(Guid id, CancellationToken ct) =>
        await writer.FindVisibleAsync<Contact>(id, ct) is { } contact ? ToDto(contact) : null;

    public Task<Outcome<ContactDto>> CreateAsync(ContactWrite body, CancellationToken ct)
    {
        var contact = new Contact { Id = Guid.CreateVersion7(), LastName = "" };
        return writer.CreateAsync(contact, "contact", body, (c, b, errors, isNew) => ApplyAsync(c, b, errors, isNew, ct), ToDto, ct);
    }

    public async Task<Outcome<ContactDto>> UpdateAsync(Guid id, ContactWrite patch, int? ifMatch, CancellationToken ct)
    {
        var contact = await Visible().SingleOrDefaultAsync(c => c.Id == id, ct);
        return await writer.UpdateAsync(contact, "contact", patch, ifMatch, (c, b, errors, isNew) => ApplyAsync(c, b, errors, isNew, ct), ToDto, ct);
    }

    public async Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken ct) =>
        await writer.DeleteAsync(await Visible().SingleOrDefaultAsync(c => c.Id == id, ct), "contact", ct);

    private IQueryable<Contact> Visible() => writer.Visible<Contact>();

    private async Task ApplyAsync(Contact contact, ContactWrite body, ValidationErrors errors, bool isNew, CancellationToken ct)
    {
        if (body.FirstName is { IsSet: true } first) contact.FirstName = first.Value ?? "";
        if (body.LastName is { IsSet: true } last) contact.LastName = last.Value ?? "";
        if (body.Title is { IsSet: true } title) contact.Title = title.Value;
        if (StringList(body.Emails, "emails", errors) is { } emails)
        {
            var normalized = emails.Select(e => e.ToLowerInvariant()).Distinct().ToList();
            foreach (var email in normalized) errors.Email("emails", email);
            contact.Emails = normalized;
        }
        if (StringList(body.Phones, "phones", errors) is { } phones)
            contact.Phones = phones.Select(p => writer.Phone(p, "phones", errors)).OfType<string>().Distinct().ToList();
        if (body.AccountId is { IsSet: true } account)
        {
            // Checked only when it changes: an agent may keep a contact at an account a manager linked it to.
            var changed = account.Value != contact.AccountId;
            contact.AccountId = account.Value;
            if (changed && account.Value is { } accountId && !await writer.Visible<Account>().AnyAsync(a => a.Id == accountId, ct))
                errors.Add("accountId", "No account with this id exists, or you cannot see it.");
        }

        if (isNew || body.LastName.IsSet) errors.Required("lastName", contact.LastName, "Last name", 100);
        errors.MaxLength("firstName", contact.FirstName, "First name", 100);
        errors.MaxLength("title", contact.Title, "Title", 200);
    }

    /// <summary>The list as sent (null clears it), trimmed and without blanks; null when the member is absent or invalid.</summary>
    private static List<string>? StringList(Optional<IReadOnlyList<string>?> member, string name, ValidationErrors errors)
    {
        if (!member.IsSet) return null;
        if (member.Value is not { } values) return [];
        var items = values.Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
        if (items.Count > MaxEntries) errors.Add(name, $"A contact can have at most {MaxEntries} {name}.");
        return items;
    }

    private static IQueryable<Contact> Search(IQueryable<Contact> contacts, string term)
    {
        var like = Platform.Database.LikePatterns.Contains(term);
        var phoneLike = Platform.Database.LikePatterns.PhoneDigits(term);
        return contacts.Where(c =>
            EF.Functions.ILike(c.FirstName + " " + c.LastName, like, Platform.Database.LikePatterns.Escape)
            || c.Emails.Any(e => EF.Functions.ILike(e, like, Platform.Database.LikePatterns.Escape))
            || (phoneLike != null && c.Phones.Any(p => EF.Functions.Like(p, phoneLike))));
    }

    /// <summary>Last, then first name regardless of case, in the order of (tenant_id, lower(last_name), lower(first_name), id).</summary>
    private static IQueryable<Contact> Sort(IQueryable<Contact> contacts, string sort) => sort.StartsWith('-')
        ? contacts.OrderByDescending(c => c.LastName.ToLower()).ThenByDescending(c => c.FirstName.ToLower()).ThenByDescending(c => c.Id)
        : contacts.OrderBy(c => c.LastName.ToLower()).ThenBy(c => c.FirstName.ToLower()).ThenBy(c => c.Id);

    public static ContactDto ToDto(Contact c) => new(
        c.Id, c.FirstName, c.LastName, c.Title, c.Emails, c.Phones, c.AccountId, c.OwnerId,
        c.Custom.RootElement.Clone(), c.CreatedAt, c.UpdatedAt, c.Version, c.ExternalId);
}
