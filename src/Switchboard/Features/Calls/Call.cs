namespace Switchboard.Features.Calls;

public sealed class Call : ITenantOwned, IAudited, IVersioned
{
    public Guid TenantId { get; set; }
    public Guid Id { get; set; }
    public required string Direction { get; set; }
    public required string FromNumber { get; set; }
    public required string ToNumber { get; set; }
    public Guid? LeadId { get; set; }
    /// <summary>The contact called from its page (a call names a lead or a contact, or neither for an unknown caller).</summary>
    public Guid? ContactId { get; set; }
    public Guid? AgentId { get; set; }
    /// <summary>The dialer session the call was placed from, for the session's stats.</summary>
    public Guid? DialerSessionId { get; set; }
    public required string Provider { get; set; }
    public string? ProviderCallId { get; set; }
    public required string Status { get; set; }
    public int? LastSequence { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    /// <summary>The end status came from the agent's leg; the lead's leg's own end replaces it (see <see cref="CallLifecycle.TargetStatus"/>).</summary>
    public bool EndedByAgentLeg { get; set; }
    public int? DurationSeconds { get; set; }
    public string? Disposition { get; set; }
    public string? Notes { get; set; }
    public DateTimeOffset? DispositionedAt { get; set; }
    public DateTimeOffset? CallbackAt { get; set; }
    public string? RecordingUrl { get; set; }
    public int? RecordingDuration { get; set; }
    public string? Transcript { get; set; }
    /// <summary>The transcript's utterances ([{speaker, start, end, text}]) when its source had speakers (see <see cref="Ai.Transcripts"/>).</summary>
    public JsonDocument? TranscriptUtterances { get; set; }
    /// <summary>provider, api or voice-agent.</summary>
    public string? TranscriptSource { get; set; }
    public DateTimeOffset? TranscribedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;

    public string AuditEntityType => "call";
    public string AuditEntityId => Id.ToString();
}

/// <summary>Call statuses as providers name them, ordered so that a call never moves backwards.</summary>
public static class CallStatuses
{
    public const string Queued = "queued";
    public const string Initiated = "initiated";
    public const string Ringing = "ringing";
    public const string InProgress = "in-progress";
    public const string Completed = "completed";
    public const string Busy = "busy";
    public const string NoAnswer = "no-answer";
    public const string Failed = "failed";
    public const string Canceled = "canceled";

    public static readonly IReadOnlyList<string> All = [Queued, Initiated, Ringing, InProgress, Completed, Busy, NoAnswer, Failed, Canceled];
    public static readonly IReadOnlyList<string> Live = [Queued, Initiated, Ringing, InProgress];

    public static bool IsTerminal(string status) => Rank(status) == 4;

    /// <summary>queued 0 → initiated 1 → ringing 2 → in-progress 3 → any end state 4. Unknown statuses rank -1.</summary>
    public static int Rank(string status) => status switch
    {
        Queued => 0,
        Initiated => 1,
        Ringing => 2,
        InProgress => 3,
        Completed or Busy or NoAnswer or Failed or Canceled => 4,
        _ => -1,
    };
}

public static class CallDirections
{
    public const string Outbound = "outbound";
    public const string Inbound = "inbound";
}
