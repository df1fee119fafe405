namespace Switchboard.Features.Support.Tickets;

public sealed class TicketChangeForm
{
    public string? Status { get; set; }
    public string? Priority { get; set; }
    public string? Category { get; set; }
    public Guid? AssigneeId { get; set; }
    public int Version { get; set; }
}

/// <summary>
/// One ticket (/tickets/{id}): the conversation, the triage with its suggested reply and reasons, the SLA, a form to
/// change status, priority, category and assignee, and a reply form prefilled with the suggestion. Everything goes
/// through <see cref="TicketService"/>, as the API does; 404 for whoever may not see the ticket.
/// </summary>
public sealed class TicketDetailsModel(TicketService tickets, TicketAccess access, Triage.SupportSettingsService settings, TenantContext ctx, TimeProvider clock)
    : AppPageModel
{
    [FromRoute] public Guid Id { get; set; }
    [BindProperty] public TicketChangeForm Change { get; set; } = new();
    [BindProperty] public string? ReplyText { get; set; }
    [BindProperty] public string? ReplyStatus { get; set; }

    public TicketDetailDto Detail { get; private set; } = null!;
    public TicketDto Ticket => Detail.Ticket;
    public IReadOnlyList<TicketPerson> Assignees { get; private set; } = [];
    public IReadOnlyDictionary<Guid, string> Names { get; private set; } = new Dictionary<Guid, string>();
    public IReadOnlyList<string> Categories { get; private set; } = [];
    public bool CanWrite => access.CanWrite;
    public DateTimeOffset Now { get; private set; }
    public TenantSettings? Tenant => ctx.Tenant;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        // The suggestion answers the first email: it prefills the first reply only.
        if (Detail.Messages.All(m => m.Direction != "outbound")) ReplyText = Ticket.Triage.SuggestedReply;
        return Page();
    }

    public async Task<IActionResult> OnPostChangeAsync(CancellationToken ct)
    {
        var body = new TicketWrite
        {
            Status = Optional.Of(Change.Status), Priority = Optional.Of(Change.Priority), Category = Optional.Of(Change.Category),
            AssigneeId = Optional.Of(Change.AssigneeId), Version = Optional.Of<int?>(Change.Version),
        };
        var outcome = await tickets.UpdateAsync(Id, body, null, ct);
        if (outcome is Outcome<TicketDto>.Ok) return FlashAndRedirect(outcome, t => $"Ticket {t.Reference} saved.", $"/tickets/{Id}");
        if (outcome is Outcome<TicketDto>.NotFound) return NotFound();
        if (outcome is Outcome<TicketDto>.Forbidden) return Forbid();
        ShowProblem(outcome);
        if (!await LoadAsync(ct)) return NotFound();
        return Page();
    }

    public async Task<IActionResult> OnPostReplyAsync(CancellationToken ct)
    {
        var outcome = await tickets.ReplyAsync(Id, new TicketReplyWrite { Text = Optional.Of(ReplyText), Status = Optional.Of(ReplyStatus) }, ct);
        if (outcome is Outcome<TicketDetailDto>.Ok) return FlashAndRedirect(outcome, d => $"Reply sent to {d.Ticket.Requester.Address}.", $"/tickets/{Id}");
        if (outcome is Outcome<TicketDetailDto>.NotFound) return NotFound();
        if (outcome is Outcome<TicketDetailDto>.Forbidden) return Forbid();
        ShowProblem(outcome);
        var text = ReplyText;
        if (!await LoadAsync(ct)) return NotFound();
        ReplyText = text;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (await tickets.GetAsync(Id, ct) is not Outcome<TicketDetailDto>.Ok ok) return false;
        Detail = ok.Value;
        Now = clock.GetUtcNow();
        Change = new TicketChangeForm
        {
            Status = Ticket.Status, Priority = Ticket.Priority, Category = Ticket.Category, AssigneeId = Ticket.AssigneeId, Version = Ticket.Version,
        };
        Assignees = await access.AssigneesAsync(Ticket.MailboxId, ct);
        Names = (await access.PeopleAsync(ct)).ToDictionary(p => p.Id, p => p.Name);
        Categories = (await settings.ConfigurationAsync(ct)).CategoryNames.ToList();
        return true;
    }
}
