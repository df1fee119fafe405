using Switchboard.Features.Accounts;
using Switchboard.Features.Calls;
using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;
using Switchboard.Features.Opportunities;

namespace Switchboard.Features.Activities;

/// <summary>The record a task is about, as a task row or reminder shows it: its name, its page, and where Call posts (leads and contacts with a number).</summary>
public sealed record TaskRecord(string Type, Guid Id, string Name, bool HasPhone)
{
    public string Link => Type switch
    {
        "lead" => $"/leads/{Id}",
        "contact" => $"/contacts/{Id}",
        "account" => $"/accounts/{Id}",
        _ => $"/opportunities/{Id}",
    };

    /// <summary>The record page's click-to-call handler (the same button the record page shows), or null when it cannot be called.</summary>
    public string? CallAction => HasPhone && Type is "lead" or "contact" ? $"{Link}?handler=Call" : null;
}

/// <summary>
/// Names the records a list of tasks is about, in one query per record type, through the tenant's connection (RLS). A record
/// the caller may not see is still named here only when the task itself is visible to them, which the callers ensure.
/// </summary>
[Scoped]
public sealed class TaskRecords(SwitchboardDbContext db, TenantContext ctx)
{
    public async Task<IReadOnlyDictionary<Guid, TaskRecord>> ForAsync(IEnumerable<ActivityDto> tasks, CancellationToken ct)
    {
        var byType = tasks.Where(t => t.RelatedType is not null && t.RelatedId is not null)
            .GroupBy(t => t.RelatedType!).ToDictionary(g => g.Key, g => g.Select(t => t.RelatedId!.Value).Distinct().ToList());
        var records = new List<TaskRecord>();
        if (byType.TryGetValue("lead", out var leads))
            records.AddRange(await db.Leads.AsNoTracking().Where(l => leads.Contains(l.Id))
                .Select(l => new TaskRecord("lead", l.Id, (l.FirstName + " " + l.LastName).Trim(), l.Phone != null)).ToListAsync(ct));
        if (byType.TryGetValue("contact", out var contacts))
            records.AddRange((await db.Set<Contact>().AsNoTracking().Where(c => contacts.Contains(c.Id))
                    .Select(c => new { c.Id, c.FirstName, c.LastName, c.Phones }).ToListAsync(ct))
                .Select(c => new TaskRecord("contact", c.Id, $"{c.FirstName} {c.LastName}".Trim(), c.Phones.Count > 0)));
        if (byType.TryGetValue("account", out var accounts))
            records.AddRange(await db.Set<Account>().AsNoTracking().Where(a => accounts.Contains(a.Id))
                .Select(a => new TaskRecord("account", a.Id, a.Name, false)).ToListAsync(ct));
        if (byType.TryGetValue("opportunity", out var opportunities))
            records.AddRange(await db.Set<Opportunity>().AsNoTracking().Where(o => opportunities.Contains(o.Id))
                .Select(o => new TaskRecord("opportunity", o.Id, o.Name, false)).ToListAsync(ct));
        return records.ToDictionary(r => r.Id);
    }

    /// <summary>Whether the signed-in member places calls at all (the Call buttons show only then).</summary>
    public bool CanCall => ctx.TenantId is not null && CallService.CanCall(ctx);
}
