using System.ComponentModel;
using ModelContextProtocol.Server;
using Switchboard.Features.Activities;
using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;
using Switchboard.Features.Search;

namespace Switchboard.Features.Mcp;

/// <summary>Finding and reading records: the twins of GET /api/v1/search, /leads/{id}, /contacts/{id} and /timeline.</summary>
[McpServerToolType]
public sealed class RecordTools(ToolAccess access, GlobalSearch search, LeadService leads, ContactService contacts, TimelineService timelines)
{
    public const int TimelineSize = 50;

    [McpServerTool(Name = "search_records", Title = "Search records", ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Searches leads, contacts, accounts and opportunities by name, email, phone digits, company or domain (typo-tolerant), best matches first, grouped by kind. Only records this key may see.")]
    public async Task<SearchResults> SearchRecords(
        [Description("What to look for: 2 to 100 characters, such as a name, an email, a company or some digits of a phone number.")] string query,
        [Description("Search only this kind: lead, contact, account or opportunity. Omit to search all.")] string? kind = null,
        [Description("Hits per kind, 1 to 50 (default 5).")] int? limit = null,
        CancellationToken ct = default)
    {
        access.RequireRole("GET /api/v1/search");
        var outcome = await search.SearchAsync(query, limit, ct, kind);
        // The API's parameter is q; the tool's is query.
        if (outcome is Outcome<SearchResults>.Invalid invalid)
            throw ToolErrors.Invalid(invalid.Errors.ToDictionary(e => e.Key == "q" ? "query" : e.Key, e => e.Value));
        return outcome.ValueOr("record");
    }

    [McpServerTool(Name = "get_lead", Title = "Get a lead", ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("A lead (name, company, phone, email, status, owner, version, custom fields…) with the newest 50 entries of its timeline: activities, notes, calls and status or owner changes.")]
    public async Task<LeadWithTimeline> GetLead(
        [Description("The lead's id (a UUID, e.g. from search_records).")] string id,
        CancellationToken ct = default)
    {
        access.Require(ApiScopes.Leads, HttpMethods.Get);
        var leadId = ToolArguments.Id(id, "id");
        var lead = await leads.FindAsync(leadId, ct) ?? throw ToolErrors.NotFound("lead");
        var (timeline, omitted) = await TimelineAsync("lead", leadId, ct);
        return new LeadWithTimeline(lead, timeline, omitted);
    }

    [McpServerTool(Name = "get_contact", Title = "Get a contact", ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("A contact (name, title, emails, phones, account, owner, version, custom fields) with the newest 50 entries of its timeline, including those of the lead it was converted from.")]
    public async Task<ContactWithTimeline> GetContact(
        [Description("The contact's id (a UUID, e.g. from search_records).")] string id,
        CancellationToken ct = default)
    {
        access.Require(ApiScopes.Contacts, HttpMethods.Get);
        var contactId = ToolArguments.Id(id, "id");
        var contact = await contacts.FindAsync(contactId, ct) ?? throw ToolErrors.NotFound("contact");
        var (timeline, omitted) = await TimelineAsync("contact", contactId, ct);
        return new ContactWithTimeline(contact, timeline, omitted);
    }

    /// <summary>The timeline is GET /api/v1/timeline's (activities:read): a scoped key without it gets the record alone.</summary>
    private async Task<(RecordTimeline?, string?)> TimelineAsync(string type, Guid id, CancellationToken ct)
    {
        if (!access.MayRead(ApiScopes.Activities)) return (null, "The timeline needs scope activities:read.");
        var page = (await timelines.ListAsync(new TimelineQuery(type, id, 1, TimelineSize), ct)).ValueOr(type);
        return (new RecordTimeline([.. page.Items.Select(TimelineEntry.Of)], page.Total), null);
    }
}
