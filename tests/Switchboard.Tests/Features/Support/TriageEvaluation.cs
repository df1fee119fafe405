using System.Text.Json;
using Switchboard.Features.Support.Triage;

namespace Switchboard.Tests.Support;

/// <summary>One labelled support email of bench/ai/eval/support-emails.json.</summary>
public sealed record SupportEmailCase(
    string Id, string Subject, string Body, string? FromName, string Category, string Priority, string Sentiment, bool Holdout, string? Note);

/// <summary>
/// Scores a triage engine on the labelled support emails: category, priority (exact and within one level) and
/// sentiment accuracy, and the share of proposed reasons that were grounded. Shared by the test that holds the rules
/// engine to its floor and by bench/ai's scorer (linked there), so both score alike.
/// </summary>
public static class TriageEvaluation
{
    public sealed record Report(
        int Cases, int CategoryRight, int PriorityRight, int PriorityWithinOne, int SentimentRight, int ReasonsKept, int ReasonsDropped,
        IReadOnlyList<string> Fallbacks, IReadOnlyList<string> Misses)
    {
        public double CategoryAccuracy => Ratio(CategoryRight, Cases);
        public double PriorityAccuracy => Ratio(PriorityRight, Cases);
        public double PriorityWithinOneAccuracy => Ratio(PriorityWithinOne, Cases);
        public double SentimentAccuracy => Ratio(SentimentRight, Cases);
        public double GroundedReasonRate => Ratio(ReasonsKept, ReasonsKept + ReasonsDropped);
        private static double Ratio(int a, int b) => b == 0 ? 0 : (double)a / b;
    }

    public static IReadOnlyList<SupportEmailCase> Load(string? path = null)
    {
        using var stream = File.OpenRead(path ?? DefaultPath());
        using var doc = JsonDocument.Parse(stream);
        return doc.RootElement.GetProperty("emails").Deserialize<List<SupportEmailCase>>(JsonSerializerOptions.Web)!;
    }

    /// <summary>bench/ai/eval/support-emails.json, found from the working directory up.</summary>
    public static string DefaultPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "bench", "ai", "eval", "support-emails.json");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("bench/ai/eval/support-emails.json not found above " + AppContext.BaseDirectory);
    }

    public static TriageInput Input(SupportEmailCase c) => new(c.Subject, c.Body, c.FromName, null, SupportConfiguration.Defaults);

    public static async Task<Report> ScoreAsync(IEnumerable<SupportEmailCase> cases, Func<TriageInput, Task<TriageResult>> engine)
    {
        int n = 0, category = 0, priority = 0, withinOne = 0, sentiment = 0, kept = 0, dropped = 0;
        var misses = new List<string>();
        var fallbacks = new List<string>();
        foreach (var c in cases)
        {
            var result = await engine(Input(c));
            n++;
            if (result.Fallback is { } f) fallbacks.Add($"{c.Id}: {f}");
            // Reasons the engine proposed: those that stood and those grounding dropped (for the rules engine, its quotes are re-checked here).
            var (stood, gone) = TriageChecks.Ground(result.Reasons, c.Subject, c.Body);
            kept += stood.Count;
            dropped += gone + result.DroppedReasons;
            var wrong = new List<string>();
            if (result.Category == c.Category) category++; else wrong.Add($"category {result.Category} (expected {c.Category})");
            if (result.Priority == c.Priority) priority++; else wrong.Add($"priority {result.Priority} (expected {c.Priority})");
            if (Math.Abs(TriagePriorities.Rank(result.Priority) - TriagePriorities.Rank(c.Priority)) <= 1) withinOne++;
            if (result.Sentiment == c.Sentiment) sentiment++; else wrong.Add($"sentiment {result.Sentiment} (expected {c.Sentiment})");
            if (wrong.Count > 0) misses.Add($"{c.Id}: {string.Join("; ", wrong)}");
        }
        return new Report(n, category, priority, withinOne, sentiment, kept, dropped, fallbacks, misses);
    }

    public static Task<Report> ScoreRulesAsync(IEnumerable<SupportEmailCase> cases) =>
        ScoreAsync(cases, input => Task.FromResult(RulesTriage.Run(input)));
}
