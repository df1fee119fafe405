using System.Text.RegularExpressions;

namespace Switchboard.Features.Ai.Engines;

/// <summary>Who spoke how much: shares of speaking time (summing to 1), the longest stretch one side held the floor, the agent's questions.</summary>
public sealed record TalkStats(double AgentShare, double ContactShare, double LongestMonologueSeconds, int QuestionsAsked);

public static partial class TalkMetrics
{
    /// <summary>Null when no utterance has both a speaker and its times: unlabelled text says nothing about talk time.</summary>
    public static TalkStats? Measure(IReadOnlyList<Utterance>? utterances)
    {
        var timed = (utterances ?? [])
            .Where(u => IsLabelled(u) && u.Start is not null && u.End is not null && u.End >= u.Start)
            .OrderBy(u => u.Start)
            .ToList();
        if (timed.Count == 0) return null;

        var agent = timed.Where(u => u.Speaker == Speakers.Agent).Sum(Duration);
        var total = timed.Sum(Duration);
        var agentShare = total > 0 ? Math.Round(agent / total, 2, MidpointRounding.AwayFromZero) : 0;
        var contactShare = total > 0 ? Math.Round(1 - agentShare, 2) : 0;

        var questions = (utterances ?? [])
            .Where(u => u.Speaker == Speakers.Agent)
            .Sum(u => Questions().Count(u.Text));
        return new TalkStats(agentShare, contactShare, Math.Round(LongestMonologue(timed), 2), questions);
    }

    private static bool IsLabelled(Utterance u) => u.Speaker is Speakers.Agent or Speakers.Contact;

    private static double Duration(Utterance u) => u.End!.Value - u.Start!.Value;

    private static double LongestMonologue(List<Utterance> timed)
    {
        var longest = 0.0;
        var runStart = 0;
        for (var i = 1; i <= timed.Count; i++)
        {
            if (i < timed.Count && timed[i].Speaker == timed[runStart].Speaker) continue;
            var run = timed.Skip(runStart).Take(i - runStart).ToList();
            longest = Math.Max(longest, run.Max(u => u.End!.Value) - run[0].Start!.Value);
            runStart = i;
        }
        return longest;
    }

    /// <summary>A sentence ending in one or more question marks ("Really??" is one question).</summary>
    [GeneratedRegex(@"[^.!?]*\w[^.!?]*\?+")]
    private static partial Regex Questions();
}
