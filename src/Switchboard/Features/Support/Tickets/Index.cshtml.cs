using Switchboard.Features.Support.Triage;

namespace Switchboard.Features.Support.Tickets;

/// <summary>The ticket list (/tickets): filters, SLA column, status and priority badges; what the API lists, for the same people.</summary>
public sealed class TicketsModel(TicketService tickets, TicketAccess access, SupportSettingsService settings, TenantContext ctx, TimeProvider clock) : AppPageModel
{
    [FromQuery] public string? Status { get; set; }
    [FromQuery] public string? Assignee { get; set; }
    [FromQuery] public string? Priority { get; set; }
    [FromQuery] public string? Category { get; set; }
    [FromQuery] public bool? Breached { get; set; }
    [FromQuery(Name = "page")] public int? PageNumber { get; set; }

    public PagedList<TicketDto> Tickets { get; private set; } = new([], 0, 1, 50);
    public IReadOnlyDictionary<Guid, string> Names { get; private set; } = new Dictionary<Guid, string>();
    public IReadOnlyList<string> Categories { get; private set; } = [];
    public IReadOnlyList<TicketPerson> People { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }
    public TenantSettings? Tenant => ctx.Tenant;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        switch (await tickets.ListAsync(new TicketListQuery(Status, Assignee, Priority, Category, Breached, PageNumber, 50), ct))
        {
            case Outcome<PagedList<TicketDto>>.Ok ok:
                Tickets = ok.Value;
                break;
            case Outcome<PagedList<TicketDto>>.Invalid invalid:
                FormError = invalid.Summary;
                break;
            default:
                return Forbid();
        }
        People = await access.PeopleAsync(ct);
        Names = People.ToDictionary(p => p.Id, p => p.Name);
        Categories = (await settings.ConfigurationAsync(ct)).CategoryNames.ToList();
        return Page();
    }

    public string Link(int page) => "/tickets" + QueryString.Create(new Dictionary<string, string?>
    {
        ["status"] = Status, ["assignee"] = Assignee, ["priority"] = Priority, ["category"] = Category,
        ["breached"] = Breached?.ToString().ToLowerInvariant(), ["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent();

    public static string StatusBadge(string status) => status switch
    {
        TicketStatuses.Open => "badge-accent",
        TicketStatuses.Pending => "badge-muted",
        _ => "badge-success",
    };

    public static string PriorityBadge(string priority) => priority switch
    {
        TriagePriorities.Urgent => "badge-danger",
        TriagePriorities.High => "badge-accent",
        _ => "badge-muted",
    };

    /// <summary>The SLA clock that matters now: the first response until it is given, then the resolution until solved.</summary>
    public static (string Text, string Clock, bool Breached) SlaText(TicketDto t, DateTimeOffset now)
    {
        if (t.Sla.FirstRespondedAt is null) return (SlaClock.Describe(t.Sla.FirstResponseDueAt, now), "First response", t.Sla.FirstResponseBreached);
        if (t.Sla.SolvedAt is null) return (SlaClock.Describe(t.Sla.ResolutionDueAt, now), "Resolution", t.Sla.ResolutionBreached);
        var late = t.Sla.ResolutionBreached || t.Sla.FirstResponseBreached;
        return (late ? "Solved late" : "Solved in time", "", late);
    }
}
