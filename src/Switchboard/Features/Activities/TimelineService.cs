using Switchboard.Features.Calls;
using Switchboard.Features.Leads;

namespace Switchboard.Features.Activities;

/// <summary>
/// A record's timeline, newest first: its activities, notes and calls (for a contact, account or opportunity also
/// those of the leads converted into it, so a lead's history follows it through conversion) and significant changes from the audit log. Visible to whoever
/// may see the record. Each source is read up to <see cref="PerSourceLimit"/> rows and merged in memory.
/// </summary>
[Scoped]
public sealed class TimelineService(SwitchboardDbContext db, TenantContext ctx, RelatedRecords related, Mailboxes.EmailReader emails)
{
    public const int PerSourceLimit = 500;
    private static readonly string[] SignificantFields = ["status", "stageId", "ownerId"];

    public async Task<Outcome<PagedList<TimelineItem>>> ListAsync(TimelineQuery query, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.Validate(query.Page, query.PageSize, errors);
        if (query.RelatedType is null || !RelatedTypes.All.Contains(query.RelatedType))
            errors.Add("relatedType", $"relatedType is required: one of {string.Join(", ", RelatedTypes.All)}.");
        if (query.RelatedId is null) errors.Add("relatedId", "relatedId is required.");
        if (!errors.IsValid) return new Outcome<PagedList<TimelineItem>>.Invalid(errors.ToDictionary());
        var type = query.RelatedType!;
        var id = query.RelatedId!.Value;
        if (!await related.IsVisibleAsync(type, id, ct)) return new Outcome<PagedList<TimelineItem>>.NotFound();

        var names = await MemberNamesAsync(ct);
        var items = new List<TimelineItem>();
        items.AddRange(await ActivitiesAsync(type, id, names, ct));
        items.AddRange(await NotesAsync(type, id, names, ct));
        items.AddRange(await CallsAsync(type, id, names, ct));
        items.AddRange(await ChangesAsync(type, id, names, ct));
        items.AddRange(await emails.TimelineAsync(type, id, PerSourceLimit, ct));

        var ordered = items.OrderByDescending(i => i.OccurredAt).ThenByDescending(i => i.Id).ToList();
        var page = ordered.Skip(paging.Skip).Take(paging.PageSize).ToList();
        return new PagedList<TimelineItem>(page, ordered.Count, paging.Page, paging.PageSize);
    }

    private async Task<IEnumerable<TimelineItem>> ActivitiesAsync(string type, Guid id, IReadOnlyDictionary<Guid, string> names, CancellationToken ct)
    {
        var activities = db.Set<Activity>().AsNoTracking();
        activities = ConvertedLeads(type, id) is { } leads
            ? activities.Where(a => (a.RelatedType == type && a.RelatedId == id) || (a.RelatedType == "lead" && a.RelatedId != null && leads.Contains(a.RelatedId.Value)))
            : activities.Where(a => a.RelatedType == type && a.RelatedId == id);
        var rows = await activities
            .OrderByDescending(a => a.CreatedAt).Take(PerSourceLimit).ToListAsync(ct);
        return rows.Select(a => new TimelineItem(
            "activity", a.Id, a.CompletedAt ?? a.CreatedAt, a.Subject, a.Type, null, a.CreatedBy, NameOf(names, a.CreatedBy), a.Status, null));
    }

    private async Task<IEnumerable<TimelineItem>> NotesAsync(string type, Guid id, IReadOnlyDictionary<Guid, string> names, CancellationToken ct)
    {
        var notes = db.Set<Note>().AsNoTracking();
        notes = ConvertedLeads(type, id) is { } leads
            ? notes.Where(n => (n.RelatedType == type && n.RelatedId == id) || (n.RelatedType == "lead" && leads.Contains(n.RelatedId)))
            : notes.Where(n => n.RelatedType == type && n.RelatedId == id);
        var rows = await notes
            .OrderByDescending(n => n.CreatedAt).Take(PerSourceLimit).ToListAsync(ct);
        return rows.Select(n => new TimelineItem(
            "note", n.Id, n.CreatedAt, "Note", n.Body, MarkdownRenderer.ToHtml(n.Body), n.AuthorId, NameOf(names, n.AuthorId), null, null));
    }

    /// <summary>The ids of the leads converted into this contact, account or opportunity; null for a lead.</summary>
    private IQueryable<Guid>? ConvertedLeads(string type, Guid id) => type switch
    {
        "contact" => db.Leads.Where(l => l.ConvertedContactId == id).Select(l => l.Id),
        "account" => db.Leads.Where(l => l.ConvertedAccountId == id).Select(l => l.Id),
        "opportunity" => db.Leads.Where(l => l.ConvertedOpportunityId == id).Select(l => l.Id),
        _ => null,
    };

    private async Task<IEnumerable<TimelineItem>> CallsAsync(string type, Guid id, IReadOnlyDictionary<Guid, string> names, CancellationToken ct)
    {
        var calls = db.Calls.AsNoTracking();
        calls = ConvertedLeads(type, id) is { } leads
            ? type == "contact"
                ? calls.Where(c => (c.LeadId != null && leads.Contains(c.LeadId.Value)) || c.ContactId == id)
                : calls.Where(c => c.LeadId != null && leads.Contains(c.LeadId.Value))
            : calls.Where(c => c.LeadId == id);
        var rows = await calls.OrderByDescending(c => c.CreatedAt).Take(PerSourceLimit).ToListAsync(ct);
        return rows.Select(c => new TimelineItem(
            "call", c.Id, c.CreatedAt, c.Direction == "inbound" ? "Inbound call" : "Outbound call",
            c.Disposition ?? c.Notes, null, c.AgentId, NameOf(names, c.AgentId), c.Status, null));
    }

    private async Task<IEnumerable<TimelineItem>> ChangesAsync(string type, Guid id, IReadOnlyDictionary<Guid, string> names, CancellationToken ct)
    {
        var tenant = ctx.RequiredTenantId;
        var entityId = id.ToString();
        var rows = await db.AuditLog.AsNoTracking()
            .Where(a => a.TenantId == tenant && a.EntityType == type && a.EntityId == entityId && (a.Action == AuditActions.Created.Name || a.Action == AuditActions.Updated.Name))
            .OrderByDescending(a => a.OccurredAt).Take(PerSourceLimit).ToListAsync(ct);
        var items = new List<TimelineItem>();
        foreach (var row in rows)
        {
            if (row.Action == AuditActions.Created.Name)
            {
                items.Add(new TimelineItem("change", row.Id, row.OccurredAt, $"Created the {type}", null, null, row.ActorId, row.ActorName, null, null));
                continue;
            }
            var changes = Significant(row.Changes, names);
            if (changes.Count > 0)
                items.Add(new TimelineItem("change", row.Id, row.OccurredAt, $"Updated the {type}", null, null, row.ActorId, row.ActorName, null, changes));
        }
        return items;
    }

    private static List<TimelineChange> Significant(JsonDocument? changes, IReadOnlyDictionary<Guid, string> names)
    {
        if (changes?.RootElement is not { ValueKind: JsonValueKind.Object } json) return [];
        var result = new List<TimelineChange>();
        foreach (var field in SignificantFields)
        {
            if (!json.TryGetProperty(field, out var change) || change.ValueKind != JsonValueKind.Object) continue;
            var old = Text(change, "old");
            var @new = Text(change, "new");
            if (field == "ownerId") result.Add(new TimelineChange("owner", OwnerName(old, names), OwnerName(@new, names)));
            else result.Add(new TimelineChange(field == "stageId" ? "stage" : field, old, @new));
        }
        return result;
    }

    private static string? Text(JsonElement change, string name) =>
        change.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    private static string OwnerName(string? id, IReadOnlyDictionary<Guid, string> names) =>
        Guid.TryParse(id, out var guid) ? NameOf(names, guid) ?? "Former member" : "Unassigned";

    private static string? NameOf(IReadOnlyDictionary<Guid, string> names, Guid? id) =>
        id is { } key && names.TryGetValue(key, out var name) ? name : null;

    private async Task<IReadOnlyDictionary<Guid, string>> MemberNamesAsync(CancellationToken ct)
    {
        var rows = await (from m in db.Memberships.AsNoTracking()
                          join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                          select new { u.Id, u.FirstName, u.LastName, u.Email }).ToListAsync(ct);
        return rows.ToDictionary(r => r.Id, r => $"{r.FirstName} {r.LastName}".Trim() is { Length: > 0 } n ? n : r.Email ?? "Unknown");
    }
}
