using Switchboard.Platform;
using Switchboard.Features.Mailboxes;
using Switchboard.Features.Support.Triage;

namespace Switchboard.Features.Support.Tickets;

/// <summary>Listing, reading, changing and answering tickets, for the members of their support inbox and administrators (ADR 0058).</summary>
// Wide on purpose: database, tenant and clock are ambient; the rest are the ticket's rules: who may see it, due times
// from the settings and holidays, replies by email.
[Scoped]
public sealed class TicketService(
    SwitchboardDbContext db, TenantContext ctx, TicketAccess access, SupportSettingsService settings, EmailComposer composer, TenantHolidays holidays, TimeProvider clock)
{
    public async Task<Outcome<PagedList<TicketDto>>> ListAsync(TicketListQuery query, CancellationToken ct)
    {
        if (!await access.MaySeeTicketsAsync(ct)) return new Outcome<PagedList<TicketDto>>.Forbidden("Only members of a support inbox and administrators see tickets.");
        var errors = new ValidationErrors();
        var page = PageRequest.Validate(query.Page, query.PageSize, errors);
        var tickets = access.Tickets().AsNoTracking();
        if (query.Status is { Length: > 0 } status)
        {
            if (!TicketStatuses.All.Contains(status)) errors.Add("status", "status is open, pending or solved.");
            tickets = tickets.Where(t => t.Status == status);
        }
        if (query.Priority is { Length: > 0 } priority)
        {
            if (!TriagePriorities.All.Contains(priority)) errors.Add("priority", "priority is urgent, high, normal or low.");
            tickets = tickets.Where(t => t.Priority == priority);
        }
        if (query.Category is { Length: > 0 } category) tickets = tickets.Where(t => t.Category == category);
        switch (query.Assignee)
        {
            case null or "": break;
            case "me":
                var me = ctx.UserId;
                tickets = tickets.Where(t => t.AssigneeId == me);
                break;
            case "unassigned":
                tickets = tickets.Where(t => t.AssigneeId == null);
                break;
            default:
                if (Guid.TryParse(query.Assignee, out var assignee)) tickets = tickets.Where(t => t.AssigneeId == assignee);
                else errors.Add("assignee", "assignee is me, unassigned or a user id.");
                break;
        }
        var now = clock.GetUtcNow();
        if (query.Breached is { } breached)
        {
            tickets = breached
                ? tickets.Where(t => (t.FirstRespondedAt ?? now) > t.FirstResponseDueAt || (t.SolvedAt ?? now) > t.ResolutionDueAt)
                : tickets.Where(t => (t.FirstRespondedAt ?? now) <= t.FirstResponseDueAt && (t.SolvedAt ?? now) <= t.ResolutionDueAt);
        }
        if (!errors.IsValid) return new Outcome<PagedList<TicketDto>>.Invalid(errors.ToDictionary());
        var rows = await page.ApplyAsync(db, tickets.OrderByDescending(t => t.Number), ct);
        return rows.Map(t => t.ToDto(now));
    }

    public async Task<Outcome<TicketDetailDto>> GetAsync(Guid id, CancellationToken ct)
    {
        if (await access.Tickets().AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct) is not { } ticket) return new Outcome<TicketDetailDto>.NotFound();
        return new TicketDetailDto(ticket.ToDto(clock.GetUtcNow()), await MessagesAsync(ticket.Id, ct));
    }

    public async Task<IReadOnlyList<TicketMessageDto>> MessagesAsync(Guid ticketId, CancellationToken ct) =>
        (await (from tm in db.Set<TicketMessage>()
                join m in db.Set<EmailMessage>() on tm.EmailId equals m.Id
                where tm.TicketId == ticketId
                orderby m.SentAt, m.SyncedAt
                select m).AsNoTracking().ToListAsync(ct)).Select(m => m.ToTicketMessage()).ToList();

    public async Task<Outcome<TicketDto>> UpdateAsync(Guid id, TicketWrite body, int? ifMatch, CancellationToken ct)
    {
        if (await access.Tickets().SingleOrDefaultAsync(t => t.Id == id, ct) is not { } ticket) return new Outcome<TicketDto>.NotFound();
        if (!access.CanWrite) return new Outcome<TicketDto>.Forbidden("Your role cannot change tickets.");
        if (RecordSave.CheckVersion<TicketDto>("ticket", ticket.Version, ifMatch, body.Version.Value) is { } stale) return stale;
        var errors = body.BindingErrors();
        var config = await settings.ConfigurationAsync(ct);
        if (body.Status.IsSet)
        {
            if (body.Status.Value is not { } status || !TicketStatuses.All.Contains(status)) errors.Add("status", "status is open, pending or solved.");
            else SetStatus(ticket, status);
        }
        if (body.Priority.IsSet)
        {
            if (body.Priority.Value is not { } priority || !TriagePriorities.All.Contains(priority)) errors.Add("priority", "priority is urgent, high, normal or low.");
            else if (priority != ticket.Priority)
            {
                ticket.Priority = priority;
                (ticket.FirstResponseDueAt, ticket.ResolutionDueAt) = SlaClock.DueTimes(ticket.CreatedAt, config.SlaFor(priority), TimeZones.FindOrUtc(ctx.Tenant?.TimeZone), await holidays.DaysAsync(ct));
            }
        }
        if (body.Category.IsSet)
        {
            if (body.Category.Value is not { } category || !config.CategoryNames.Contains(category)) errors.Add("category", $"category is one of: {string.Join(", ", config.CategoryNames)}.");
            else ticket.Category = category;
        }
        if (body.AssigneeId.IsSet)
        {
            if (body.AssigneeId.Value is { } assignee && !await access.MayBeAssignedAsync(assignee, ticket.MailboxId, ct))
                errors.Add("assigneeId", "The assignee must be a member of the ticket's support inbox or an administrator.");
            else ticket.AssigneeId = body.AssigneeId.Value;
        }
        if (!errors.IsValid) return new Outcome<TicketDto>.Invalid(errors.ToDictionary());
        return await db.SaveAsync("ticket", () => ticket.ToDto(clock.GetUtcNow()), ct);
    }

    /// <summary>
    /// Answers the requester through the inbox's SMTP server (as composed email is sent): subject "Re: [#N] subject",
    /// In-Reply-To/References of the latest message, saved to Sent, linked to the ticket; stamps the first response and
    /// sets the status (pending unless the body says otherwise).
    /// </summary>
    public async Task<Outcome<TicketDetailDto>> ReplyAsync(Guid id, TicketReplyWrite body, CancellationToken ct)
    {
        if (await access.Tickets().AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct) is not { } found) return new Outcome<TicketDetailDto>.NotFound();
        if (!access.CanWrite) return new Outcome<TicketDetailDto>.Forbidden("Your role cannot reply to tickets.");
        var errors = body.BindingErrors();
        var text = body.UseSuggested.Value == true && string.IsNullOrWhiteSpace(body.Text.Value) ? found.SuggestedReply : body.Text.Value;
        if (string.IsNullOrWhiteSpace(text)) errors.Add("text", "Write the reply (or set useSuggested).");
        errors.MaxLength("text", text, "Text", 100_000);
        errors.MaxLength("html", body.Html.Value, "HTML", 200_000);
        var status = body.Status.Value ?? TicketStatuses.Pending;
        if (!TicketStatuses.All.Contains(status)) errors.Add("status", "status is open, pending or solved.");
        var mailbox = await db.Set<Mailbox>().AsNoTracking().SingleAsync(m => m.Id == found.MailboxId, ct);
        if (!mailbox.IsActive) errors.Add("mailboxId", "The ticket's support inbox is switched off.");
        if (!errors.IsValid) return new Outcome<TicketDetailDto>.Invalid(errors.ToDictionary());

        var latest = await (from tm in db.Set<TicketMessage>()
                            join m in db.Set<EmailMessage>() on tm.EmailId equals m.Id
                            where tm.TicketId == id
                            orderby m.SentAt descending
                            select m).AsNoTracking().FirstOrDefaultAsync(ct);
        var subject = $"Re: [{found.Reference}] {EmailText.CleanSubject(found.Subject)}".TrimEnd();
        var sent = await composer.DeliverAsync(mailbox, [found.RequesterAddress], [], subject, text, body.Html.Value, latest, ct);
        if (sent is not Outcome<EmailMessage>.Ok { Value: var email })
            return new Outcome<TicketDetailDto>.Conflict(sent.Problem ?? "The reply was not sent.") { Reason = "smtp" };

        var ticket = await db.Set<Ticket>().SingleAsync(t => t.Id == id, ct);
        if (!await db.Set<TicketMessage>().AnyAsync(m => m.EmailId == email.Id, ct))
            db.Add(new TicketMessage { TenantId = ticket.TenantId, EmailId = email.Id, TicketId = ticket.Id });
        ticket.FirstRespondedAt ??= email.SentAt;
        SetStatus(ticket, status);
        await db.SaveChangesAsync(ct);
        return new TicketDetailDto(ticket.ToDto(clock.GetUtcNow()), await MessagesAsync(ticket.Id, ct));
    }

    private void SetStatus(Ticket ticket, string status)
    {
        if (status == ticket.Status) return;
        ticket.Status = status;
        ticket.SolvedAt = status == TicketStatuses.Solved ? clock.GetUtcNow() : null;
    }
}
