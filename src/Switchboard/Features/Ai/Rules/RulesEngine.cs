using Switchboard.Features.Ai.Engines;
using Switchboard.Platform.Composition;

namespace Switchboard.Features.Ai.Rules;

/// <summary>
/// The deterministic engine: word patterns over the transcript's sentences, no model. Always available, the same
/// answer for the same call, and the baseline the LLM engine is measured against (bench/ai).
/// </summary>
[Singleton]
public sealed class RulesEngine : IAnalysisEngine
{
    /// <summary>Items at or above this confidence are firm follow-ups; below it, suggestions ("if you want I could…").</summary>
    public const double FirmConfidence = 0.5;

    public string Name => "rules";

    public Task<EngineResult> AnalyseAsync(TranscriptInput transcript, AnalysisContext context, CancellationToken ct) =>
        Task.FromResult(Analyse(transcript, context));

    public static EngineResult Analyse(TranscriptInput transcript, AnalysisContext context)
    {
        var clauses = TranscriptSentences.Split(transcript, context);
        var extraction = new ItemExtractor(clauses, context).Extract();
        var fulfilled = FulfilmentMatcher.Match(clauses, context.PendingActivities);
        var items = extraction.Items.Where(i => Grounding.Contains(transcript.Text, i.Quote)).ToList();
        return new EngineResult(
            CallSummary.Write(transcript.Text, context, items, fulfilled),
            SentimentLexicon.Classify(clauses),
            extraction.Requests,
            extraction.Commitments,
            items,
            fulfilled);
    }
}
