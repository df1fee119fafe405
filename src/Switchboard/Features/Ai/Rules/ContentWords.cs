using System.Text.RegularExpressions;

namespace Switchboard.Features.Ai.Rules;

/// <summary>
/// The words that carry a phrase's meaning, crudely stemmed: lower case, no stopwords, no generic action verbs
/// ("send", "call", "schedule" say no more than an item's type does), plural and tense endings cut. Used to match a
/// call's words against a pending activity's subject, and by the evaluation to match found titles to expected ones.
/// </summary>
public static partial class ContentWords
{
    private static readonly HashSet<string> Stopwords =
    [
        "a", "an", "the", "and", "or", "but", "to", "of", "for", "in", "on", "at", "by", "with", "about", "from", "into",
        "over", "up", "out", "off", "as", "so", "then", "this", "that", "these", "those", "it", "its", "is", "are", "be",
        "i", "im", "ill", "ive", "me", "my", "we", "our", "us", "you", "your", "youre", "he", "him", "his", "she", "her",
        "they", "them", "their", "will", "would", "can", "could", "should", "shall", "just", "also", "again", "some",
        "any", "all", "too", "very", "there", "here", "what", "when", "re", "regarding", "let", "know", "get", "back",
        "send", "sent", "email", "emailed", "mail", "forward", "call", "ring", "phone", "schedule", "set", "follow",
    ];

    public static IReadOnlySet<string> Of(string text)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Word().Matches(text.ToLowerInvariant().Replace("'", "").Replace("’", "")))
        {
            var word = match.Value;
            if (Stopwords.Contains(word)) continue;
            var stem = Stem(word.Replace("-", ""));
            if ((stem.Length > 1 || word.Contains('-')) && !Stopwords.Contains(stem)) words.Add(stem);
        }
        return words;
    }

    public static bool Overlap(string a, string b) => Of(a).Overlaps(Of(b));

    /// <summary>Cuts common English endings so "sheets"/"sheet" and "emailed"/"email" meet; crude on purpose.</summary>
    public static string Stem(string word)
    {
        if (word.Length > 4 && word.EndsWith("ies")) return word[..^3] + "y";
        foreach (var ending in (string[])["ing", "ed", "es", "s"])
        {
            if (word.Length - ending.Length >= 3 && word.EndsWith(ending, StringComparison.Ordinal) && !word.EndsWith("ss"))
                return word[..^ending.Length];
        }
        return word;
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*")]
    private static partial Regex Word();
}
