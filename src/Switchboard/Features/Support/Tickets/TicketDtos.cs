using System.Net;
using System.Text.RegularExpressions;
using Switchboard.Features.Mailboxes;
using Switchboard.Features.Support.Triage;

namespace Switchboard.Features.Support.Tickets;

/// <summary>A ticket as the API answers it (and as the ticket.created webhook carries it).</summary>
public sealed record TicketDto(
    Guid Id, int Number, string Reference, Guid MailboxId, string Subject, TicketRequester Requester, string Status, Guid? AssigneeId,
    string Priority, string Category, string Sentiment, TicketTriage Triage, TicketSla Sla, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version);

public sealed record TicketRequester(string Address, string? Name, Guid? ContactId);

/// <summary>What triage made of the first email: engine rules or llm, the fallback reason, the suggested reply and the reasons with the email's words.</summary>
public sealed record TicketTriage(string Engine, string? Model, string? Fallback, string SuggestedReply, IReadOnlyList<TriageReason> Reasons, IReadOnlyList<string> Notes);

/// <summary>The SLA due times and whether each is breached: past due and not met, or met late.</summary>
public sealed record TicketSla(
    DateTimeOffset FirstResponseDueAt, DateTimeOffset ResolutionDueAt, DateTimeOffset? FirstRespondedAt, DateTimeOffset? SolvedAt,
    bool FirstResponseBreached, bool ResolutionBreached);

/// <summary>A ticket with its messages, oldest first.</summary>
public sealed record TicketDetailDto(TicketDto Ticket, IReadOnlyList<TicketMessageDto> Messages);

/// <summary>One message of a ticket; <paramref name="Text"/> is the plain text (an HTML-only message's text with the markup removed).</summary>
public sealed record TicketMessageDto(
    Guid Id, string Direction, string FromAddress, string? FromName, IReadOnlyList<string> To, string Subject, string Text, DateTimeOffset SentAt, Guid? SentBy);

/// <summary>The body of PATCH /api/v1/tickets/{id}: any of status, priority, category, assigneeId (null unassigns), with the version read.</summary>
public sealed record TicketWrite : RequestBody
{
    /// <summary>open, pending or solved.</summary>
    public Optional<string?> Status { get; init; }
    /// <summary>urgent, high, normal or low; a change recomputes the SLA due times from the ticket's creation.</summary>
    public Optional<string?> Priority { get; init; }
    /// <summary>One of the tenant's support categories, or "other".</summary>
    public Optional<string?> Category { get; init; }
    /// <summary>A user who may see the ticket (a member of its inbox, or an administrator); null unassigns.</summary>
    public Optional<Guid?> AssigneeId { get; init; }
    /// <summary>The version read; a stale one answers 409.</summary>
    public Optional<int?> Version { get; init; }
}

/// <summary>The body of POST /api/v1/tickets/{id}/reply.</summary>
public sealed record TicketReplyWrite : RequestBody
{
    /// <summary>The reply as plain text (required unless useSuggested).</summary>
    public Optional<string?> Text { get; init; }
    /// <summary>An HTML part besides the text.</summary>
    public Optional<string?> Html { get; init; }
    /// <summary>Send the triage's suggested reply as the text.</summary>
    public Optional<bool?> UseSuggested { get; init; }
    /// <summary>The status after the reply: pending (default), open or solved.</summary>
    public Optional<string?> Status { get; init; }
}

public sealed record TicketListQuery(string? Status, string? Assignee, string? Priority, string? Category, bool? Breached, int? Page, int? PageSize);

public sealed record SupportInboxDto(Guid MailboxId, string Name, string Address, DateTimeOffset Since, DateTimeOffset CreatedAt);

/// <summary>The body of PUT /api/v1/support/inboxes/{mailboxId}.</summary>
public sealed record SupportInboxWrite : RequestBody
{
    /// <summary>Mail dated from this instant on becomes tickets (default: now, so the history a first sync imports does not).</summary>
    public Optional<DateTimeOffset?> Since { get; init; }
}

public static partial class TicketMapping
{
    public static TicketDto ToDto(this Ticket t, DateTimeOffset now) => new(
        t.Id, t.Number, t.Reference, t.MailboxId, t.Subject, new TicketRequester(t.RequesterAddress, t.RequesterName, t.RequesterContactId),
        t.Status, t.AssigneeId, t.Priority, t.Category, t.Sentiment,
        new TicketTriage(t.TriageEngine, t.TriageModel, t.TriageFallback, t.SuggestedReply,
            t.TriageReasons.Deserialize<List<TriageReason>>(JsonSerializerOptions.Web) ?? [],
            t.TriageNotes.Deserialize<List<string>>(JsonSerializerOptions.Web) ?? []),
        Sla(t, now), t.CreatedAt, t.UpdatedAt, t.Version);

    public static TicketSla Sla(Ticket t, DateTimeOffset now) => new(
        t.FirstResponseDueAt, t.ResolutionDueAt, t.FirstRespondedAt, t.SolvedAt,
        (t.FirstRespondedAt ?? now) > t.FirstResponseDueAt, (t.SolvedAt ?? now) > t.ResolutionDueAt);

    public static TicketMessageDto ToTicketMessage(this EmailMessage e) => new(
        e.Id, e.Direction, e.FromAddress, e.FromName, e.ToAddresses, e.Subject, PlainText(e), e.SentAt, e.SentBy);

    /// <summary>The text part, else the HTML part with its markup removed: pages show it as escaped text, never as HTML.</summary>
    public static string PlainText(EmailMessage e)
    {
        if (!string.IsNullOrWhiteSpace(e.TextBody)) return e.TextBody;
        if (string.IsNullOrWhiteSpace(e.HtmlBody)) return "";
        var withoutHidden = HiddenParts().Replace(e.HtmlBody, " ");
        var breaks = Breaks().Replace(withoutHidden, "\n");
        var text = WebUtility.HtmlDecode(Tags().Replace(breaks, ""));
        return Blank().Replace(text, "\n\n").Trim();
    }

    [GeneratedRegex(@"<(script|style|head)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HiddenParts();

    [GeneratedRegex(@"<(br|/p|/div|/li|/tr|/h[1-6])\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Breaks();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\n\s*\n\s*(\n\s*)+")]
    private static partial Regex Blank();
}
