using System.Text.RegularExpressions;
using Switchboard.Features.Ai.Engines;

namespace Switchboard.Features.Ai.Rules;

/// <summary>One to three sentences from what the rules found: who was called, how it went by its plain cues, what follows. Nothing else.</summary>
public static partial class CallSummary
{
    public static string Write(string transcript, AnalysisContext context, IReadOnlyList<ExtractedItem> items, IReadOnlyList<ExtractedFulfilment> fulfilled)
    {
        var who = context.ContactName ?? "the contact";
        if (!string.IsNullOrWhiteSpace(context.Company)) who += $" ({context.Company})";
        var sentences = new List<string>
        {
            context.Direction.Equals("inbound", StringComparison.OrdinalIgnoreCase) ? $"Inbound call from {who}." : $"Call with {who}.",
        };

        var outcome = Outcome(transcript);
        if (outcome is not null) sentences.Add(outcome);

        var firm = items.Where(i => i.Confidence >= RulesEngine.FirmConfidence).Select(i => i.Title).ToList();
        if (firm.Count > 0)
            sentences.Add($"Follow-ups: {string.Join("; ", firm.Take(4))}{(firm.Count > 4 ? $" and {firm.Count - 4} more" : "")}.");
        else if (fulfilled.Count > 0)
            sentences.Add($"{fulfilled.Count} pending {(fulfilled.Count == 1 ? "activity" : "activities")} shown done.");
        else if (outcome is null)
            sentences.Add("No follow-ups were agreed.");
        return string.Join(' ', sentences.Take(3));
    }

    private static string? Outcome(string transcript)
    {
        if (WrongNumber().IsMatch(transcript)) return "Wrong number.";
        if (NotInterested().IsMatch(transcript)) return "The contact said they are not interested.";
        if (Voicemail().IsMatch(transcript)) return "Reached voicemail.";
        if (Gatekeeper().IsMatch(transcript)) return "Did not get past the gatekeeper.";
        return null;
    }

    [GeneratedRegex(@"\bwrong number\b", RegexOptions.IgnoreCase)]
    private static partial Regex WrongNumber();

    [GeneratedRegex(@"\bnot interested\b|\bdon'?t call (?:me |us )?again\b", RegexOptions.IgnoreCase)]
    private static partial Regex NotInterested();

    [GeneratedRegex(@"\bvoicemail\b|\bleave (?:a|your) message\b|\bafter the tone\b|\bleave a message\b", RegexOptions.IgnoreCase)]
    private static partial Regex Voicemail();

    [GeneratedRegex(@"\bdoesn'?t take (?:sales )?calls\b|\bmay i ask what this is regarding\b|\bwho'?s calling\b", RegexOptions.IgnoreCase)]
    private static partial Regex Gatekeeper();
}
