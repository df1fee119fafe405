namespace Switchboard.Features.Telephony;

/// <summary>
/// A provider's callback (status, recording, transcription, inbound call) in the one shape the calling code
/// reads, whatever the provider. Every field is optional: each kind of callback carries a different subset.
/// Ids are the provider's own; <see cref="Status"/> is the provider's status in lower case.
/// </summary>
public sealed record ProviderCallback
{
    public string? CallId { get; init; }

    /// <summary>Set on a child leg (a number reached through a dial): the call that dialed it.</summary>
    public string? ParentCallId { get; init; }
    public string? Status { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
    public int? DurationSeconds { get; init; }

    /// <summary>Orders status callbacks of one call, which can arrive out of order.</summary>
    public int? SequenceNumber { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
    public string? RecordingId { get; init; }
    public string? RecordingUrl { get; init; }
    public string? RecordingStatus { get; init; }
    public int? RecordingDurationSeconds { get; init; }
    public string? TranscriptionId { get; init; }
    public string? TranscriptionText { get; init; }
    public string? TranscriptionStatus { get; init; }
}
