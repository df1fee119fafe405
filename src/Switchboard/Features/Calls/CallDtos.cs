namespace Switchboard.Features.Calls;

public sealed record CallDto(
    Guid Id, string Direction, string From, string To, Guid? LeadId, Guid? AgentId, string Provider, string? ProviderCallId,
    string Status, DateTimeOffset CreatedAt, DateTimeOffset? AnsweredAt, DateTimeOffset? EndedAt, int? DurationSeconds,
    string? Disposition, string? Notes, DateTimeOffset? CallbackAt, string? RecordingUrl, int? RecordingDuration, string? Transcript,
    Guid? ContactId = null)
{
    public static CallDto Of(Call c) => new(
        c.Id, c.Direction, c.FromNumber, c.ToNumber, c.LeadId, c.AgentId, c.Provider, c.ProviderCallId, c.Status, c.CreatedAt,
        c.AnsweredAt, c.EndedAt, c.DurationSeconds, c.Disposition, c.Notes, c.CallbackAt, c.RecordingUrl, c.RecordingDuration, c.Transcript,
        c.ContactId);
}

/// <param name="ContactId">Only the calls with this contact.</param>
public sealed record CallQuery(
    Guid? LeadId, Guid? AgentId, string? Status, string? Direction, DateTimeOffset? From, DateTimeOffset? To, int? Page, int? PageSize,
    Guid? ContactId = null);

/// <summary>Whom to call: a lead (leadId), or a contact at its first phone (contactId).</summary>
public sealed record StartCallRequest : RequestBody
{
    public Optional<Guid?> LeadId { get; init; }
    public Optional<Guid?> ContactId { get; init; }

    public static StartCallRequest For(Guid leadId) => new() { LeadId = Optional.Of<Guid?>(leadId) };
    public static StartCallRequest ForContact(Guid contactId) => new() { ContactId = Optional.Of<Guid?>(contactId) };
}

public sealed record StartedCall(Guid Id, string Status)
{
    /// <summary>How a page's flash says a call was refused: the compliance reason, when there is one, before the message.</summary>
    public static string? Blocked(Outcome<StartedCall> outcome) =>
        outcome is Outcome<StartedCall>.Conflict conflict ? $"Call blocked{(conflict.Reason is null ? "" : $" ({conflict.Reason})")}: {conflict.Message}" : null;
}

/// <summary>The body of POST /api/v1/calls/{id}/disposition: how the call went.</summary>
public sealed record DispositionRequest : RequestBody
{
    public DispositionRequest()
    {
    }

    /// <summary>The outcome as a form posts it (the dialer's outcome panel): text trimmed, blank read as none.</summary>
    public DispositionRequest(string? disposition, string? notes, DateTimeOffset? callbackAt)
    {
        Disposition = Optional.Text(disposition);
        Notes = Optional.Text(notes);
        CallbackAt = Optional.Of(callbackAt);
    }

    /// <summary>The code of one of the tenant's active dispositions (GET /api/v1/dispositions).</summary>
    public Optional<string?> Disposition { get; init; }
    /// <summary>Kept on the call; absent or blank keeps the notes it has.</summary>
    public Optional<string?> Notes { get; init; }
    /// <summary>When to call the lead back (in the future); absent or null clears the lead's callback.</summary>
    public Optional<DateTimeOffset?> CallbackAt { get; init; }
}
