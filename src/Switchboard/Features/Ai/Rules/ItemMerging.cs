using System.Text.RegularExpressions;
using Switchboard.Features.Ai.Engines;

namespace Switchboard.Features.Ai.Rules;

/// <summary>
/// One follow-up per thing: items from one sentence of the same type and day are one item ("let me check and I'll get
/// back to you"), and the same thing said twice in a call ("Happy to" then "let me set up a demo for Tuesday") keeps the
/// mention that says when.
/// </summary>
public static partial class ItemMerging
{
    public static IReadOnlyList<ExtractedItem> Merge(IReadOnlyList<(ExtractedItem Item, int Sentence)> found)
    {
        var bySentence = new List<(ExtractedItem Item, int Sentence)>();
        foreach (var (item, sentence) in found)
        {
            var twin = bySentence.FindIndex(x => x.Sentence == sentence && Same(x.Item, item) && x.Item.DueAt == item.DueAt);
            if (twin < 0) bySentence.Add((item, sentence));
            else bySentence[twin] = (bySentence[twin].Item with { Title = $"{bySentence[twin].Item.Title} and {Lower(item.Title)}" }, sentence);
        }

        var merged = new List<ExtractedItem>();
        foreach (var (item, _) in bySentence)
        {
            var twin = merged.FindIndex(x => Same(x, item) && ContentWords.Overlap(x.Title, item.Title));
            if (twin < 0) merged.Add(item);
            else if (merged[twin].DuePhrase is null && item.DuePhrase is not null) merged[twin] = item;
        }
        return merged.Any(i => i.Type == "meeting")
            ? [.. merged.Where(i => !(i.Type == "email" && Invite().IsMatch(i.Title)))]
            : merged;
    }

    /// <summary>Sending the invite is how a meeting already in the list gets scheduled, not a second follow-up.</summary>
    [GeneratedRegex(@"\b(?:invite|invitation|calendar)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Invite();

    private static bool Same(ExtractedItem a, ExtractedItem b) => a.Type == b.Type && a.Owner == b.Owner && (a.Confidence >= RulesEngine.FirmConfidence) == (b.Confidence >= RulesEngine.FirmConfidence);

    private static string Lower(string title) => title.Length == 0 ? title : char.ToLowerInvariant(title[0]) + title[1..];
}
