using System.Text.RegularExpressions;
using Switchboard.Features.Ai.Engines;

namespace Switchboard.Features.Ai.Rules;

/// <summary>
/// The contact's mood from a small word list: each positive or negative word counts one, flipped when a negation
/// sits just before it ("not happy", "no issues"). The agent's words are left out — a rep says "great" on every call.
/// </summary>
public static partial class SentimentLexicon
{
    private static readonly HashSet<string> Positive =
    [
        "great", "perfect", "love", "loves", "fantastic", "wonderful", "excellent", "helpful", "happy", "impressive",
        "exciting", "excited", "relief", "appreciate", "smoothly", "brilliant", "awesome", "glad", "good", "amazing",
        "pleased", "strong", "ready", "flexible", "well", "lovely", "thrilled",
    ];

    private static readonly HashSet<string> Negative =
    [
        "terrible", "frustrating", "frustrated", "annoying", "annoyed", "disappointed", "disappointing", "cancel", "mess",
        "problem", "problems", "angry", "awful", "worst", "expensive", "bad", "broken", "lost", "unhappy", "complaint",
        "unacceptable", "interested", "ridiculous", "furious", "charged", "down", "issues",
    ];

    public static string Classify(IReadOnlyList<Clause> clauses)
    {
        var theirs = clauses.Where(c => c.Speaker == Speakers.Contact).ToList();
        if (theirs.Count == 0) theirs = [.. clauses.Where(c => c.Speaker is null)];
        var score = theirs.Sum(c => Score(c.Text));
        return score >= 1 ? Sentiments.Positive : score <= -1 ? Sentiments.Negative : Sentiments.Neutral;
    }

    private static int Score(string text)
    {
        var words = Word().Matches(text.ToLowerInvariant().Replace('’', '\'')).Select(m => m.Value).ToList();
        var score = 0;
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i] is "interested" or "down" or "issues" or "charged")
            {
                score += Contextual(words, i);
                continue;
            }
            var value = Positive.Contains(words[i]) ? 1 : Negative.Contains(words[i]) ? -1 : 0;
            score += value != 0 && Negated(words, i) ? -value : value;
        }
        return score;
    }

    /// <summary>Words that are only negative in company: "not interested", "went down", "charged twice"; "any issues" alone is neutral.</summary>
    private static int Contextual(List<string> words, int i) => words[i] switch
    {
        "interested" => Negated(words, i) ? -1 : 0,
        "down" => i > 0 && words[i - 1] is "went" or "is" or "was" or "been" ? -1 : 0,
        "charged" => i + 1 < words.Count && words[i + 1] is "twice" or "double" ? -1 : 0,
        _ => 0,
    };

    private static bool Negated(List<string> words, int i) =>
        Enumerable.Range(Math.Max(0, i - 3), i - Math.Max(0, i - 3)).Any(j => words[j] is "not" or "no" or "never" or "don't" or "isn't" or "wasn't" or "aren't" or "none" or "nothing" or "without");

    [GeneratedRegex(@"[a-z']+")]
    private static partial Regex Word();
}
