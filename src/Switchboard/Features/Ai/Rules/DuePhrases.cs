using System.Text.RegularExpressions;

namespace Switchboard.Features.Ai.Rules;

/// <summary>Finds the words of a clause that say when ("by Friday", "tomorrow at 3", "in a couple of days"), as said.</summary>
public static partial class DuePhrases
{
    /// <summary>The shortest stretch of the text covering every time expression in it, or null.</summary>
    public static string? Find(string text)
    {
        var matches = Pattern().Matches(text);
        if (matches.Count == 0) return null;
        var start = matches[0].Index;
        var end = matches[^1].Index + matches[^1].Length;
        return text[start..end];
    }

    private const string Hour = @"(?:\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon)";
    private const string Count = @"(?:a couple of|a few|an|a|one|two|three|four|five|six|seven|\d{1,2})";

    [GeneratedRegex(
        @"\b(?:(?:by|on|this|next|before|until|first thing(?: on)?)\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b" +
        @"|\b(?:the\s+)?day after tomorrow\b|\btomorrow(?:\s+(?:morning|afternoon|evening))?\b|\btoday\b|\btonight\b|\bthis (?:morning|afternoon|evening)\b" +
        @"|\b(?:by\s+)?(?:the\s+)?end of (?:the |this )?(?:day|week|month)\b|\beod\b|\bclose of business\b" +
        @"|\b(?:the )?week after next\b|\bnext (?:week|month)\b|\bthis week\b" +
        @"|\bin\s+" + Count + @"\s+(?:days?|weeks?|hours?|minutes?)\b|\bwithin the hour\b|\bright (?:now|away|after this call)\b|\bnow(?=\W*$)|\b(?:over|this|at) the weekend\b|\bthis weekend\b" +
        @"|\b(?:at|after|around)\s+" + Hour + @"(?![\w:])|\b\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)(?!\w)|\b\d{1,2}:\d{2}\b",
        RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
