using System.Globalization;
using Switchboard.Bench.Ai;
using Switchboard.Tests.Ai;

var engineName = "rules";
var path = EvaluationSet.DefaultPath();
var showMisses = true;
string? supportSet = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--engine" when i + 1 < args.Length: engineName = args[++i]; break;
        case "--set" when i + 1 < args.Length: path = args[++i]; break;
        case "--support" when i + 1 < args.Length: supportSet = args[++i]; break;
        case "--quiet": showMisses = false; break;
        default:
            Console.Error.WriteLine($"usage: Scorer [--engine {string.Join('|', Engines.Names)}] [--set transcripts.json] [--quiet]");
            return 2;
    }
}

if (supportSet is not null) return await SupportBench.RunAsync(engineName, supportSet, showMisses);

var (engine, error) = Engines.Create(engineName);
if (engine is null)
{
    Console.Error.WriteLine($"scorer: {error}");
    return 1;
}

var cases = EvaluationSet.Load(path);
var report = await EvaluationScoring.ScoreAsync(engine, cases, CancellationToken.None);
string P(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

Console.WriteLine($"engine {engine.Name} on {cases.Count} cases ({Path.GetFileName(path)})");
Console.WriteLine($"action items   expected {report.Expected}, found {report.Found}, matched {report.Matched}");
Console.WriteLine($"  precision    {P(report.Precision)}");
Console.WriteLine($"  recall       {P(report.Recall)}");
Console.WriteLine($"  F1           {P(report.F1)}");
Console.WriteLine($"  due date     {P(report.DueDateAccuracy)}  (exact local day, of {report.LooselyMatched} items matched on type and title)");
Console.WriteLine($"  owner        {P(report.OwnerAccuracy)}  (of matched items)");
Console.WriteLine($"fulfilments    expected {report.FulfilmentsExpected}, found {report.FulfilmentsFound}, right {report.FulfilmentsRight}");
Console.WriteLine($"  precision    {P(report.FulfilmentPrecision)}");
Console.WriteLine($"  recall       {P(report.FulfilmentRecall)}");
Console.WriteLine($"sentiment      {P(report.SentimentAccuracy)}  ({report.SentimentRight} of {report.Cases})");
if (showMisses && report.Misses.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine($"misses ({report.Misses.Count}):");
    foreach (var miss in report.Misses) Console.WriteLine($"  {miss}");
}
return 0;
