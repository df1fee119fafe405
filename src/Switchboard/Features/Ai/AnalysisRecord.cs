using Switchboard.Features.Ai.Engines;

namespace Switchboard.Features.Ai;

/// <summary>Talk and listen shares (0–1), the longest stretch one speaker held, and the agent's questions.</summary>
public sealed record TalkDto(double AgentShare, double ContactShare, double LongestMonologueSeconds, int QuestionsAsked);

/// <summary>A call's analysis as GET /api/v1/calls/{id}/analysis answers it.</summary>
public sealed record CallAnalysisDto(
    Guid CallId, string Status, string? Engine, string? Model, string? Fallback, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Summary, string? Sentiment,
    IReadOnlyList<AnalysisStatement> CustomerRequests, IReadOnlyList<AnalysisStatement> Commitments, IReadOnlyList<AnalysisItem> ActionItems,
    IReadOnlyList<AnalysisFulfilment> Fulfilled, TalkDto? Talk, int DroppedUngrounded, Guid? NoteId, DateTimeOffset? UndoneAt, int Runs, int Version);

/// <summary>Between the analysis row's JSON columns and the typed records the code and the API use.</summary>
public static class AnalysisRecord
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Fill(CallAnalysis analysis, GroundedAnalysis run, IReadOnlyList<AnalysisItem> items, IReadOnlyList<AnalysisFulfilment> fulfilled, TranscriptInput transcript)
    {
        analysis.Status = AnalysisStatuses.Completed;
        analysis.Engine = run.Engine;
        analysis.Model = run.Model;
        analysis.Fallback = run.Fallback;
        analysis.Summary = run.Result.Summary;
        analysis.Sentiment = run.Result.Sentiment;
        analysis.CustomerRequests = Write(run.Result.CustomerRequests.Select(s => new AnalysisStatement(s.Text, s.Quote)));
        analysis.Commitments = Write(run.Result.Commitments.Select(s => new AnalysisStatement(s.Text, s.Quote)));
        analysis.ActionItems = Write(items);
        analysis.Fulfilled = Write(fulfilled);
        analysis.Talk = transcript.Utterances is { } utterances && TalkMetrics.Measure(utterances) is { } talk
            ? WriteOne(new TalkDto(talk.AgentShare, talk.ContactShare, talk.LongestMonologueSeconds, talk.QuestionsAsked))
            : null;
        analysis.DroppedUngrounded = run.DroppedUngrounded;
        analysis.Error = null;
        analysis.UndoneAt = null;
        analysis.UndoneBy = null;
    }

    public static IReadOnlyList<AnalysisItem> Items(CallAnalysis analysis) => Read<List<AnalysisItem>>(analysis.ActionItems);

    public static void SetItems(CallAnalysis analysis, IEnumerable<AnalysisItem> items) => analysis.ActionItems = Write(items);

    public static IReadOnlyList<AnalysisFulfilment> Fulfilled(CallAnalysis analysis) => Read<List<AnalysisFulfilment>>(analysis.Fulfilled);

    public static CallAnalysisDto ToDto(CallAnalysis a) => new(
        a.CallId, a.Status, a.Engine, a.Model, a.Fallback, a.CreatedAt, a.UpdatedAt, a.Summary, a.Sentiment,
        Read<List<AnalysisStatement>>(a.CustomerRequests), Read<List<AnalysisStatement>>(a.Commitments), Items(a), Fulfilled(a),
        a.Talk is null ? null : Read<TalkDto>(a.Talk), a.DroppedUngrounded, a.NoteId, a.UndoneAt, a.Runs, a.Version);

    /// <summary>A call with a transcript whose analysis has not run yet.</summary>
    public static CallAnalysisDto Pending(Guid callId, DateTimeOffset since) =>
        new(callId, AnalysisStatuses.Pending, null, null, null, since, since, null, null, [], [], [], [], null, 0, null, null, 0, 0);

    private static JsonDocument Write<T>(IEnumerable<T> values) => JsonSerializer.SerializeToDocument(values.ToList(), Json);

    private static JsonDocument WriteOne<T>(T value) where T : class => JsonSerializer.SerializeToDocument(value, Json);

    private static T Read<T>(JsonDocument document) => document.Deserialize<T>(Json)!;
}
