using System.Text.Json;
using Switchboard.Features.Ai.Engines;

namespace Switchboard.Tests.Ai;

// Compiled into the test project and, linked, into bench/ai/Scorer: one copy of the evaluation's format and rules.

public sealed record EvaluationCase(
    string Id,
    string? Note,
    DateTimeOffset CallStartedAt,
    string TimeZone,
    string Direction,
    string? AgentName,
    string? ContactName,
    string? Company,
    IReadOnlyList<EvaluationPending>? PendingActivities,
    string? Text,
    IReadOnlyList<Utterance>? Utterances,
    EvaluationExpected Expected)
{
    /// <summary>The transcript as the app stores it: the text, or the utterances joined one per line as "Agent: …" / "Contact: …".</summary>
    public TranscriptInput Transcript() => new(
        Text ?? string.Join('\n', (Utterances ?? []).Select(u => u.Speaker switch
        {
            Speakers.Agent => $"Agent: {u.Text}",
            Speakers.Contact => $"Contact: {u.Text}",
            _ => u.Text,
        })),
        Utterances);

    public AnalysisContext Context() => new(
        CallStartedAt, TimeZone, Direction, AgentName, ContactName, Company,
        [.. (PendingActivities ?? []).Select(p => new PendingActivity(p.Id, p.Type, p.Subject, null))]);
}

public sealed record EvaluationPending(Guid Id, string Type, string Subject);

public sealed record EvaluationExpected(IReadOnlyList<EvaluationItem> ActionItems, IReadOnlyList<Guid> Fulfilled, string Sentiment);

/// <summary>An expected follow-up: <paramref name="Due"/> is the local day, yyyy-MM-dd, in the case's time zone.</summary>
public sealed record EvaluationItem(string Title, string Type, string Due, string Owner);

public static class EvaluationSet
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<EvaluationCase> Load(string path) =>
        JsonSerializer.Deserialize<List<EvaluationCase>>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path} holds no cases");

    /// <summary>bench/ai/eval/transcripts.json, found by walking up from the running assembly to the repository root.</summary>
    public static string DefaultPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "bench", "ai", "eval", "transcripts.json");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("bench/ai/eval/transcripts.json not found above " + AppContext.BaseDirectory);
    }
}
