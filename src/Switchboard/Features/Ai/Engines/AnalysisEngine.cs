namespace Switchboard.Features.Ai.Engines;

/// <summary>
/// Turns one call's transcript into a summary, the customer's requests, the promises made, follow-up items and the
/// pending tasks the call shows done. Two engines implement it: the rules engine (always there, deterministic) and
/// the LLM engine. An engine proposes; <see cref="Grounding"/> then drops anything whose quote is not in the
/// transcript, and due dates are resolved by <see cref="DueDates"/> for both engines alike.
/// </summary>
public interface IAnalysisEngine
{
    /// <summary>"rules" or "llm", as the analysis reports it.</summary>
    string Name { get; }

    Task<EngineResult> AnalyseAsync(TranscriptInput transcript, AnalysisContext context, CancellationToken ct);
}

public static class Speakers
{
    public const string Agent = "agent";
    public const string Contact = "contact";
    public static readonly IReadOnlyList<string> All = [Agent, Contact];
}

/// <summary>One stretch of speech; <paramref name="Speaker"/> is "agent", "contact" or null when unlabelled; times in seconds from the call's start.</summary>
public sealed record Utterance(string? Speaker, double? Start, double? End, string Text);

/// <summary>
/// The transcript as stored: <paramref name="Text"/> always (the utterances joined one per line as "Agent: …" /
/// "Contact: …" when they came as utterances), <paramref name="Utterances"/> when the source had them.
/// </summary>
public sealed record TranscriptInput(string Text, IReadOnlyList<Utterance>? Utterances);

/// <summary>A pending task or other activity of the called record, which the call may show done.</summary>
public sealed record PendingActivity(Guid Id, string Type, string Subject, DateTimeOffset? DueAt);

/// <summary>
/// What an engine knows about the call besides its words. <paramref name="CallStartedAt"/> and
/// <paramref name="TimeZone"/> (the lead's IANA zone, else the tenant's) anchor the due dates.
/// </summary>
public sealed record AnalysisContext(
    DateTimeOffset CallStartedAt,
    string TimeZone,
    string Direction,
    string? AgentName,
    string? ContactName,
    string? Company,
    IReadOnlyList<PendingActivity> PendingActivities);

/// <summary>A customer request or a commitment: what it is, in a few words, and the words it came from.</summary>
public sealed record ExtractedStatement(string Text, string Quote);

/// <summary>
/// A follow-up. <paramref name="Type"/>: call, email, meeting or task. <paramref name="Priority"/>: high, medium or low.
/// <paramref name="Owner"/>: "agent" (our side does it) or "contact". <paramref name="DuePhrase"/> is the time as said
/// ("by Friday", "tomorrow at 3") or null; <paramref name="DueAt"/> is what <see cref="DueDates"/> made of it.
/// <paramref name="Confidence"/> is 0..1; below the firm threshold an item is a suggestion, not a task.
/// </summary>
public sealed record ExtractedItem(
    string Title, string Type, string Priority, string? DuePhrase, DateTimeOffset DueAt, string Owner, double Confidence, string Quote);

/// <summary>A pending activity of the record the call shows done, and the words that show it.</summary>
public sealed record ExtractedFulfilment(Guid ActivityId, string Quote);

public sealed record EngineResult(
    string Summary,
    string Sentiment,
    IReadOnlyList<ExtractedStatement> CustomerRequests,
    IReadOnlyList<ExtractedStatement> Commitments,
    IReadOnlyList<ExtractedItem> ActionItems,
    IReadOnlyList<ExtractedFulfilment> Fulfilled);

public static class Sentiments
{
    public const string Positive = "positive";
    public const string Neutral = "neutral";
    public const string Negative = "negative";
    public static readonly IReadOnlyList<string> All = [Positive, Neutral, Negative];
}
