using System.Text.RegularExpressions;
using Switchboard.Features.Ai.Engines;

namespace Switchboard.Features.Ai.Rules;

/// <summary>One clause of the transcript, verbatim, with who said it (null: unknown) and the sentence it belongs to.</summary>
public sealed record Clause(string Text, string? Speaker, int Sentence, int Turn);

/// <summary>
/// Splits a transcript into sentences and clauses, keeping every piece a verbatim substring of the text so quotes
/// stay grounded. Speakers come from the utterances; in plain text, from a line's label ("Agent:", "Rep:", the
/// agent's name; "Contact:", "Customer:", "Prospect:", the contact's name).
/// </summary>
public static partial class TranscriptSentences
{
    public static IReadOnlyList<Clause> Split(TranscriptInput transcript, AnalysisContext context)
    {
        var turns = transcript.Utterances is { Count: > 0 } utterances
            ? utterances.Select(u => (Speaker: u.Speaker is Speakers.Agent or Speakers.Contact ? u.Speaker : null, u.Text)).ToList()
            : transcript.Text.Split('\n').Select(line => Label(line, context)).ToList();

        var clauses = new List<Clause>();
        var sentence = 0;
        for (var turn = 0; turn < turns.Count; turn++)
        {
            foreach (Match match in SentencePattern().Matches(turns[turn].Text))
            {
                foreach (var clause in ClauseBreak().Split(match.Value))
                {
                    var text = clause.Trim().TrimEnd(',', ';', '—', '-').Trim();
                    if (text.Any(char.IsLetterOrDigit)) clauses.Add(new Clause(text, turns[turn].Speaker, sentence, turn));
                }
                sentence++;
            }
        }
        return clauses;
    }

    private static (string? Speaker, string Text) Label(string line, AnalysisContext context)
    {
        var match = LabelPattern().Match(line);
        if (!match.Success) return (null, line);
        var label = match.Groups["label"].Value.Trim();
        var text = line[match.Length..];
        if (label is "Agent" or "Rep" or "Sales" || NameMatches(label, context.AgentName)) return (Speakers.Agent, text);
        if (label is "Contact" or "Customer" or "Prospect" or "Client" || NameMatches(label, context.ContactName)) return (Speakers.Contact, text);
        return (null, line);
    }

    private static bool NameMatches(string label, string? name) =>
        !string.IsNullOrWhiteSpace(name) &&
        (label.Equals(name, StringComparison.OrdinalIgnoreCase) || label.Equals(name.Split(' ')[0], StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex(@"^\s*(?<label>[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)?)\s*:\s*")]
    private static partial Regex LabelPattern();

    /// <summary>A sentence ends at . ! ? or ; followed by space, or at the end of the turn; decimals and "e.g." stay whole.</summary>
    [GeneratedRegex(@"\S.*?(?:[.!?;…]+(?=\s|$)|$)")]
    private static partial Regex SentencePattern();

    /// <summary>
    /// Clauses: after a comma or dash, or before "and"/"but"/"so" when a new subject or action verb follows
    /// ("…today, and I'll call you Friday", "…by tomorrow and refund the charge").
    /// </summary>
    [GeneratedRegex(@"(?<=[,—])\s+(?=(?:and\s+|but\s+|so\s+|then\s+)?(?:i|i'll|i’ll|i'm|i’m|we'll|we’ll|we|let me|let's|let’s|please|can|could)\b)|\s+(?=(?:and|but|so)\s+(?:i|i'll|i’ll|i'm|i’m|we'll|we’ll|we|let me|let's|let’s)\b)|\s+(?=and\s+(?:refund|send|email|forward|schedule|book|prepare|extend|remove|set up|call)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex ClauseBreak();
}
