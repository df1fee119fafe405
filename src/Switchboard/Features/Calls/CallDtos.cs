namespace Switchboard.Features.Calls;

public sealed record CallDto(
    Guid Id, string Direction, string From, string To, Guid? LeadId, Guid? AgentId, string Provider, string? ProviderCallId,
    string Status, DateTimeOffset CreatedAt, DateTimeOffset? AnsweredAt, DateTimeOffset? EndedAt, int? DurationSeconds,
    string? Disposition, string? Notes, DateTimeOffset? CallbackAt, string? RecordingUrl, int? RecordingDuration, string? Transcript)
{
    public static CallDto Of(Call c) => new(
        c.Id, c.Direction, c.FromNumber, c.ToNumber, c.LeadId, c.AgentId, c.Provider, c.ProviderCallId, c.Status, c.CreatedAt,
        c.AnsweredAt, c.EndedAt, c.DurationSeconds, c.Disposition, c.Notes, c.CallbackAt, c.RecordingUrl, c.RecordingDuration, c.Transcript);
}

public sealed record CallQuery(
    Guid? LeadId, Guid? AgentId, string? Status, string? Direction, DateTimeOffset? From, DateTimeOffset? To, int? Page, int? PageSize);

public sealed record StartCallRequest(Guid? LeadId);

public sealed record StartedCall(Guid Id, string Status);

public sealed record DispositionRequest(string? Disposition, string? Notes, DateTimeOffset? CallbackAt);
