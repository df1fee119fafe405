using System.Globalization;
using Switchboard.Features.Ai.Llm;
using Switchboard.Features.Support.Triage;
using Switchboard.Tests.Support;

namespace Switchboard.Bench.Ai;

/// <summary>
/// bench/ai/run.sh --set support: scores a triage engine on bench/ai/eval/support-emails.json, the tuning part and the
/// held-out part separately. The llm engine is the product's prompt, schema and checks (<see cref="LlmTriage"/>,
/// <see cref="TriageService.Checked"/>) against the model AI__Endpoint, AI__Model and AI__ApiKey name; a request that
/// fails falls back to the rules engine, as in the app, and is listed.
/// </summary>
public static class SupportBench
{
    public static async Task<int> RunAsync(string engineName, string? path, bool showMisses)
    {
        Func<TriageInput, Task<TriageResult>> engine;
        if (engineName == "rules") engine = input => Task.FromResult(RulesTriage.Run(input));
        else if (engineName == "llm")
        {
            var options = new AiOptions
            {
                Endpoint = Environment.GetEnvironmentVariable("AI__Endpoint"),
                Model = Environment.GetEnvironmentVariable("AI__Model"),
                ApiKey = Environment.GetEnvironmentVariable("AI__ApiKey"),
            };
            if (LlmTargets.Configured(options) is not { } target)
            {
                Console.Error.WriteLine("scorer: the llm engine needs a model: set AI__Endpoint, AI__Model and AI__ApiKey");
                return 1;
            }
            var client = LlmChatClients.Create(target, options, http: null);
            engine = async input =>
            {
                var rules = RulesTriage.Run(input);
                try
                {
                    var answer = await LlmTriage.AskAsync(client, target.Model, input, new LlmRequest(), options.MaxOutputTokens, CancellationToken.None);
                    return TriageService.Checked(answer, target.Model, input, rules);
                }
                catch (Exception e)
                {
                    return rules with { Fallback = e.GetType().Name + ": " + e.Message };
                }
            };
        }
        else
        {
            Console.Error.WriteLine($"scorer: unknown engine '{engineName}'; known: rules, llm");
            return 2;
        }

        var cases = TriageEvaluation.Load(path);
        foreach (var (label, part) in new[] { ("tuning", cases.Where(c => !c.Holdout).ToList()), ("held-out", cases.Where(c => c.Holdout).ToList()), ("all", cases.ToList()) })
        {
            var report = await TriageEvaluation.ScoreAsync(part, engine);
            string P(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
            Console.WriteLine($"engine {engineName} on {report.Cases} support emails ({label})");
            Console.WriteLine($"  category            {P(report.CategoryAccuracy)}  ({report.CategoryRight} of {report.Cases})");
            Console.WriteLine($"  priority            {P(report.PriorityAccuracy)}  ({report.PriorityRight} of {report.Cases})");
            Console.WriteLine($"  priority within one {P(report.PriorityWithinOneAccuracy)}  ({report.PriorityWithinOne} of {report.Cases})");
            Console.WriteLine($"  sentiment           {P(report.SentimentAccuracy)}  ({report.SentimentRight} of {report.Cases})");
            Console.WriteLine($"  grounded reasons    {P(report.GroundedReasonRate)}  ({report.ReasonsKept} kept, {report.ReasonsDropped} dropped)");
            if (report.Fallbacks.Count > 0) Console.WriteLine($"  fell back to rules  {report.Fallbacks.Count}: {string.Join(" | ", report.Fallbacks.Take(3))}");
            if (showMisses && label != "all")
                foreach (var miss in report.Misses) Console.WriteLine($"    miss {miss}");
        }
        return 0;
    }
}
