using Switchboard.Features.CustomFields;
using Switchboard.Features.Lists;

namespace Switchboard.Features.Leads;

/// <summary>The lead use cases, shared by the API and the pages: role rules, validation, optimistic concurrency.</summary>
[Scoped]
public sealed class LeadService(OwnedRecordWriter writer, TenantContext ctx, CustomFieldValidator customFields, SwitchboardDbContext db) : IOwnedRecordStore<LeadDto, LeadWrite>
{
    /// <param name="customFilters">custom.&lt;key&gt;=value pairs (key without the prefix): equality, or "contains" for multi-selects.</param>
    /// <param name="criteria">filter.&lt;field&gt;=op:value conditions and the columns asked for (see Features/Lists).</param>
    public Task<Outcome<PagedList<LeadDto>>> ListAsync(LeadQuery query, CancellationToken ct, IReadOnlyDictionary<string, string>? customFilters = null, ListCriteria? criteria = null) =>
        ListPages.PageAsync(db, query.Page, query.PageSize, errors => SelectAsync(query, customFilters, criteria, errors, ct), ToDto, ct);

    /// <summary>The visible leads the query selects, filtered and sorted but not paged (for a page or an export); null when invalid.</summary>
    public async Task<ListRows<Lead, LeadDto>?> SelectAsync(
        LeadQuery query, IReadOnlyDictionary<string, string>? customFilters, ListCriteria? criteria, ValidationErrors errors, CancellationToken ct)
    {
        if (query.Status is { } s && !LeadStatuses.All.Contains(s)) errors.Add("status", $"'{s}' is not a valid status. Use one of: {string.Join(", ", LeadStatuses.All)}.");
        var sort = query.Sort ?? "-createdAt";
        var fieldSet = await customFields.ForEntityAsync(CustomFieldEntities.Lead, ct);
        var filters = CustomFieldQueries.Filters(fieldSet, customFilters, errors);
        var catalogue = LeadList.Catalogue(fieldSet);
        if (catalogue.Select(sort, criteria ?? ListCriteria.None, ListContexts.For(ctx), errors) is not { } selection) return null;

        var leads = Visible();
        if (query.Status is { } status) leads = leads.Where(l => l.Status == LeadStatuses.Parse(status));
        if (query.OwnerId is { } owner) leads = leads.Where(l => l.OwnerId == owner);
        if (!string.IsNullOrWhiteSpace(query.Search)) leads = Search(leads, query.Search.Trim());
        foreach (var contained in filters) leads = leads.Where(l => EF.Functions.JsonContains(l.Custom, contained));
        leads = selection.Apply(leads);

        return new ListRows<Lead, LeadDto>(catalogue.Sort(leads, sort, l => l.Id, Sort), selection);
    }

    public async Task<LeadDto?> FindAsync(Guid id, CancellationToken ct) =>
        await writer.FindVisibleAsync<Lead>(id, ct) is { } lead ? ToDto(lead) : null;

    public async Task<Outcome<LeadDto>> CreateAsync(LeadWrite body, CancellationToken ct)
    {
        var lead = new Lead { Id = Guid.CreateVersion7(), FirstName = "", LastName = "" };
        return await writer.CreateAsync(lead, "lead", body, ApplyAsync, ToDto, ct);
    }

    /// <summary>Applies a JSON merge patch. <paramref name="ifMatch"/> is the version from an If-Match header, if any.</summary>
    public async Task<Outcome<LeadDto>> UpdateAsync(Guid id, LeadWrite patch, int? ifMatch, CancellationToken ct) =>
        await writer.UpdateAsync(await Visible().SingleOrDefaultAsync(l => l.Id == id, ct), "lead", patch, ifMatch, ApplyAsync, ToDto, ct);

    public async Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken ct) =>
        await writer.DeleteAsync(await Visible().SingleOrDefaultAsync(l => l.Id == id, ct), "lead", ct);

    private IQueryable<Lead> Visible() => writer.Visible<Lead>();

    private Task ApplyAsync(Lead lead, LeadWrite body, ValidationErrors errors, bool isNew)
    {
        if (body.FirstName is { IsSet: true } first) lead.FirstName = first.Value ?? "";
        if (body.LastName is { IsSet: true } last) lead.LastName = last.Value ?? "";
        if (body.Company is { IsSet: true } company) lead.Company = company.Value;
        if (body.Title is { IsSet: true } title) lead.Title = title.Value;
        if (body.LinkedinUrl is { IsSet: true } linkedin) lead.LinkedinUrl = linkedin.Value;
        if (body.Email is { IsSet: true } email) lead.Email = email.Value?.ToLowerInvariant();
        if (body.Source is { IsSet: true } source) lead.Source = source.Value;
        if (body.Notes is { IsSet: true } notes) lead.Notes = notes.Value;
        if (body.TimeZone is { IsSet: true } zone)
        {
            if (zone.Value is not null && !Platform.TimeZones.IsValid(zone.Value))
                errors.Add("timeZone", $"'{zone.Value}' is not an IANA time zone such as America/Chicago.");
            else lead.TimeZone = zone.Value;
        }
        if (body.DoNotCall is { IsSet: true } dnc)
        {
            if (dnc.Value is null) errors.Add("doNotCall", "doNotCall cannot be null.");
            else lead.DoNotCall = dnc.Value.Value;
        }
        if (body.Status.OneOf("status", LeadStatuses.All, errors) is { IsSet: true } status)
        {
            if (status.Value is null) errors.Add("status", "status cannot be null.");
            // Converted means linked to an account and contact: only the conversion sets it, with the links.
            else if (LeadStatuses.Parse(status.Value) == LeadStatus.Converted && lead.Status != LeadStatus.Converted)
                errors.Add("status", "A lead becomes converted by converting it (POST /api/v1/leads/{id}/convert), which creates its account and contact.");
            else lead.Status = LeadStatuses.Parse(status.Value);
        }
        if (body.Phone is { IsSet: true } phone)
            lead.Phone = phone.Value is null ? null : writer.Phone(phone.Value, "phone", errors);

        if (isNew || body.LastName.IsSet) errors.Required("lastName", lead.LastName, "Last name");
        errors.MaxLength("firstName", lead.FirstName, "First name", 100);
        errors.MaxLength("company", lead.Company, "Company", 200);
        errors.MaxLength("title", lead.Title, "Title", 200);
        errors.MaxLength("source", lead.Source, "Source", 100);
        errors.MaxLength("notes", lead.Notes, "Notes", 10_000);
        if (body.Email.IsSet) errors.Email("email", lead.Email);
        if (body.LinkedinUrl.IsSet) errors.HttpsUrl("linkedinUrl", lead.LinkedinUrl, "LinkedIn URL");
        return Task.CompletedTask;
    }

    /// <summary>
    /// A substring of "first last company email" (case-insensitive), or, with 3 or more digits, of the phone.
    /// Both go through trigram-indexed columns (migration 0005: the generated <c>search_text</c>, already in
    /// lower case, and <c>phone</c>), which LIKE can use under row-level security (ADR 0009).
    /// </summary>
    private static IQueryable<Lead> Search(IQueryable<Lead> leads, string term)
    {
        var like = LikePatterns.Contains(term.ToLowerInvariant());
        var phoneLike = LikePatterns.PhoneDigits(term);
        return leads.Where(l =>
            EF.Functions.Like(EF.Property<string>(l, "SearchText"), like, LikePatterns.Escape)
            || (phoneLike != null && EF.Functions.Like(l.Phone!, phoneLike)));
    }

    /// <summary>The sorts that are not one field's value, each in the order of its index (migration 0007).</summary>
    private static IQueryable<Lead> Sort(IQueryable<Lead> leads, string sort) => sort switch
    {
        "name" => leads.OrderBy(l => l.LastName).ThenBy(l => l.FirstName).ThenBy(l => l.Id),
        "-name" => leads.OrderByDescending(l => l.LastName).ThenByDescending(l => l.FirstName).ThenByDescending(l => l.Id),
        // Within a status the newest first, as (tenant_id, status, created_at desc, id desc) holds them.
        "status" => leads.OrderBy(l => l.Status).ThenByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id),
        "-status" => leads.OrderByDescending(l => l.Status).ThenBy(l => l.CreatedAt).ThenBy(l => l.Id),
        _ => throw new ArgumentOutOfRangeException(nameof(sort), sort, "Not one of LeadSorts.Own."),
    };

    public static LeadDto ToDto(Lead l) => new(
        l.Id, l.FirstName, l.LastName, l.Company, l.Title, l.Email, l.Phone, l.Status.ToName(), l.Source,
        l.OwnerId, l.Notes, l.CreatedAt, l.UpdatedAt, l.Version, l.TimeZone, l.DoNotCall, l.LastCalledAt, l.CallbackAt,
        l.Custom.RootElement.Clone(), l.ConvertedAt, l.ConvertedAccountId, l.ConvertedContactId, l.ConvertedOpportunityId, l.ExternalId, l.LinkedinUrl);
}
