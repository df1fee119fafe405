using System.Globalization;
using Switchboard.Features.Ai.Engines;
using Switchboard.Features.Ai.Rules;

namespace Switchboard.Tests.Ai;

public sealed record EvaluationReport(
    int Cases, int Expected, int Found, int Matched, int LooselyMatched, int DueDayRight, int OwnerRight,
    int FulfilmentsExpected, int FulfilmentsFound, int FulfilmentsRight, int SentimentRight, IReadOnlyList<string> Misses)
{
    public double Precision => Ratio(Matched, Found);
    public double Recall => Ratio(Matched, Expected);
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
    /// <summary>Of items matched on type and title alone, the share whose due date is the expected local day.</summary>
    public double DueDateAccuracy => Ratio(DueDayRight, LooselyMatched);
    public double OwnerAccuracy => Ratio(OwnerRight, Matched);
    public double FulfilmentPrecision => Ratio(FulfilmentsRight, FulfilmentsFound);
    public double FulfilmentRecall => Ratio(FulfilmentsRight, FulfilmentsExpected);
    public double SentimentAccuracy => Ratio(SentimentRight, Cases);

    private static double Ratio(int part, int whole) => whole == 0 ? 1 : (double)part / whole;
}

/// <summary>
/// Scores an engine on the evaluation set. A found item counts when it is firm (confidence ≥ the firm threshold) and
/// grounded, as the app would keep it; it matches an expected item when the type agrees, its due date falls on the
/// expected local day and the titles share a content word (<see cref="ContentWords"/>). Each expected item matches at
/// most one found item. Due dates are re-resolved from the due phrase, as the app does for every engine.
/// </summary>
public static class EvaluationScoring
{
    public static async Task<EvaluationReport> ScoreAsync(IAnalysisEngine engine, IReadOnlyList<EvaluationCase> cases, CancellationToken ct)
    {
        int expected = 0, found = 0, matched = 0, loose = 0, dueRight = 0, ownerRight = 0, fExpected = 0, fFound = 0, fRight = 0, sentimentRight = 0;
        var misses = new List<string>();
        foreach (var @case in cases)
        {
            var transcript = @case.Transcript();
            var context = @case.Context();
            var result = await engine.AnalyseAsync(transcript, context, ct);
            var items = result.ActionItems
                .Where(i => i.Confidence >= RulesEngine.FirmConfidence && Grounding.Contains(transcript.Text, i.Quote))
                .Select(i => (Item: i, Day: LocalDay(DueDates.Resolve(i.DuePhrase, context.CallStartedAt, context.TimeZone), @case.TimeZone)))
                .ToList();
            expected += @case.Expected.ActionItems.Count;
            found += items.Count;

            var unmatched = items.ToList();
            foreach (var want in @case.Expected.ActionItems)
            {
                var strict = unmatched.FindIndex(f => f.Item.Type == want.Type && f.Day == want.Due && ContentWords.Overlap(f.Item.Title, want.Title));
                if (strict >= 0)
                {
                    matched++;
                    if (unmatched[strict].Item.Owner == want.Owner) ownerRight++;
                    unmatched.RemoveAt(strict);
                }
                else misses.Add($"{@case.Id}: missed {want.Type} \"{want.Title}\" due {want.Due} ({want.Owner})");

                var looseMatch = items.FirstOrDefault(f => f.Item.Type == want.Type && ContentWords.Overlap(f.Item.Title, want.Title));
                if (looseMatch.Item is null) continue;
                loose++;
                if (looseMatch.Day == want.Due) dueRight++;
            }
            misses.AddRange(unmatched.Select(f => $"{@case.Id}: extra {f.Item.Type} \"{f.Item.Title}\" due {f.Day} ({f.Item.Owner}) from \"{f.Item.Quote}\""));

            var wanted = @case.Expected.Fulfilled.ToHashSet();
            var got = result.Fulfilled.Where(f => Grounding.Contains(transcript.Text, f.Quote)).Select(f => f.ActivityId).ToHashSet();
            fExpected += wanted.Count;
            fFound += got.Count;
            fRight += got.Count(wanted.Contains);
            misses.AddRange(wanted.Except(got).Select(id => $"{@case.Id}: fulfilment {id} not found"));
            misses.AddRange(got.Except(wanted).Select(id => $"{@case.Id}: fulfilment {id} wrongly found"));

            if (result.Sentiment == @case.Expected.Sentiment) sentimentRight++;
            else misses.Add($"{@case.Id}: sentiment {result.Sentiment}, expected {@case.Expected.Sentiment}");
        }
        return new EvaluationReport(cases.Count, expected, found, matched, loose, dueRight, ownerRight, fExpected, fFound, fRight, sentimentRight, misses);
    }

    private static string LocalDay(DateTimeOffset at, string timeZone)
    {
        TimeZoneInfo zone;
        try { zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone); }
        catch (TimeZoneNotFoundException) { zone = TimeZoneInfo.Utc; }
        return TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
