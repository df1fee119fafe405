using Switchboard.Features.Ai.Engines;
using Switchboard.Features.Calls;

namespace Switchboard.Features.Ai.VoiceAgents;

/// <summary>The JSON a voice-agent provider posts when its agent's call has ended (documented in docs/API.md).</summary>
public sealed record VoiceAgentReportBody : RequestBody
{
    /// <summary>"call.completed".</summary>
    public Optional<string?> Event { get; init; }
    /// <summary>The provider's id of the call: a report sent again with the same id changes nothing.</summary>
    public Optional<string?> CallId { get; init; }
    /// <summary>When the report was sent (ISO 8601); must be within 5 minutes of now.</summary>
    public Optional<string?> Timestamp { get; init; }
    /// <summary>outbound (the agent called out) or inbound.</summary>
    public Optional<string?> Direction { get; init; }
    public Optional<string?> From { get; init; }
    public Optional<string?> To { get; init; }
    public Optional<string?> StartedAt { get; init; }
    public Optional<int?> DurationSeconds { get; init; }
    /// <summary>connected, voicemail, no-answer, busy or failed.</summary>
    public Optional<string?> Outcome { get; init; }
    /// <summary>The transcript as text; or <see cref="Utterances"/> with speakers.</summary>
    public Optional<string?> Transcript { get; init; }
    public Optional<IReadOnlyList<UtteranceWrite>?> Utterances { get; init; }
    /// <summary>What Switchboard sent with an outbound call it triggered (a call campaign), echoed back by the provider.</summary>
    public Optional<VoiceAgentMetadata?> Metadata { get; init; }
}

/// <summary>Switchboard's own ids on an outbound AI call it triggered: the campaign recipient, and the lead or contact called.</summary>
public sealed record VoiceAgentMetadata
{
    public Guid? CampaignId { get; init; }
    public Guid? RecipientId { get; init; }
    public Guid? LeadId { get; init; }
    public Guid? ContactId { get; init; }
}

/// <summary>A valid report, read from its body.</summary>
public sealed record VoiceAgentReport(
    string CallId, DateTimeOffset Timestamp, string Direction, string From, string To, DateTimeOffset StartedAt, int DurationSeconds,
    string Outcome, string Status, string? Transcript, IReadOnlyList<Utterance>? Utterances)
{
    /// <summary>The ids Switchboard sent when it triggered the call, when it did.</summary>
    public VoiceAgentMetadata? Metadata { get; init; }

    /// <summary>Outcome → the call's status: the AI agent spoke with someone or with their voicemail, or the call did not connect.</summary>
    public static readonly IReadOnlyDictionary<string, string> Outcomes = new Dictionary<string, string>
    {
        ["connected"] = CallStatuses.Completed,
        ["voicemail"] = CallStatuses.Completed,
        ["no-answer"] = CallStatuses.NoAnswer,
        ["busy"] = CallStatuses.Busy,
        ["failed"] = CallStatuses.Failed,
    };

    public static VoiceAgentReport? Read(byte[] json, ValidationErrors errors)
    {
        VoiceAgentReportBody? body;
        try { body = JsonSerializer.Deserialize<VoiceAgentReportBody>(json, JsonSerializerOptions.Web); }
        catch (JsonException) { body = null; }
        if (body is null)
        {
            errors.Add("body", "The body must be a JSON object.");
            return null;
        }
        foreach (var (field, messages) in body.BindingErrors().ToDictionary())
            foreach (var message in messages) errors.Add(field, message);
        if (!errors.IsValid) return null;

        if (body.Event.Value != "call.completed") errors.Add("event", "event must be 'call.completed'.");
        if (body.CallId.Value is not { Length: > 0 and <= 200 }) errors.Add("callId", "callId is required (at most 200 characters).");
        var timestamp = Instant(body.Timestamp.Value, "timestamp", errors);
        var startedAt = Instant(body.StartedAt.Value, "startedAt", errors);
        if (body.Direction.Value is not (CallDirections.Outbound or CallDirections.Inbound)) errors.Add("direction", "direction must be 'outbound' or 'inbound'.");
        if (string.IsNullOrWhiteSpace(body.From.Value)) errors.Add("from", "from is required.");
        if (string.IsNullOrWhiteSpace(body.To.Value)) errors.Add("to", "to is required.");
        if (body.DurationSeconds.Value is not (>= 0 and <= 86_400)) errors.Add("durationSeconds", "durationSeconds must be 0 to 86400.");
        if (body.Outcome.Value is not { } outcome || !Outcomes.ContainsKey(outcome)) errors.Add("outcome", $"outcome must be one of: {string.Join(", ", Outcomes.Keys)}.");

        (string Text, IReadOnlyList<Utterance>? Utterances)? transcript = null;
        if (body.Transcript.Value is not null && body.Utterances.Value is not null) errors.Add("transcript", "Send the transcript or the utterances, not both.");
        else if (body.Transcript.Value is { } text)
        {
            if (string.IsNullOrWhiteSpace(text)) errors.Add("transcript", "transcript must not be blank (leave it out when there is none).");
            else if (text.Length > Transcripts.MaxTextLength) errors.Add("transcript", $"The transcript can be at most {Transcripts.MaxTextLength:N0} characters.");
            else transcript = (text.Trim(), null);
        }
        else if (body.Utterances.Value is not null) transcript = Transcripts.Validate(new TranscriptWrite { Utterances = body.Utterances }, errors);
        if (!errors.IsValid) return null;
        return new VoiceAgentReport(body.CallId.Value!, timestamp!.Value, body.Direction.Value!, body.From.Value!.Trim(), body.To.Value!.Trim(), startedAt!.Value,
            body.DurationSeconds.Value!.Value, body.Outcome.Value!, Outcomes[body.Outcome.Value!], transcript?.Text, transcript?.Utterances)
        { Metadata = body.Metadata.Value };
    }

    private static DateTimeOffset? Instant(string? text, string field, ValidationErrors errors)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)) return value.ToUniversalTime();
        errors.Add(field, $"{field} must be an ISO 8601 date and time, such as 2026-12-04T15:00:00Z.");
        return null;
    }
}
