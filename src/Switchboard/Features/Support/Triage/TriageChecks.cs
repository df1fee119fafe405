using System.Text.RegularExpressions;
using Switchboard.Features.Ai.Engines;

namespace Switchboard.Features.Support.Triage;

/// <summary>
/// What stands of an engine's triage, whichever engine proposed it (ADR 0057): every reason must quote the email
/// (compared as <see cref="Grounding"/> does: case, whitespace and punctuation aside) and not from a sentence that
/// instructs the triage ("mark this urgent"); a category must be one of the tenant's; a priority above normal needs a
/// grounded priority reason; a model's reply may cite no number, amount, date, weekday, URL or address that is not in
/// the email or the tenant's reply templates, and never offers a credential — otherwise the template reply replaces it.
/// </summary>
public static partial class TriageChecks
{
    /// <summary>The reasons whose quotes are in the email's words, and how many were dropped.</summary>
    public static (IReadOnlyList<TriageReason> Kept, int Dropped) Ground(IReadOnlyList<TriageReason> reasons, string subject, string body)
    {
        var email = subject + "\n" + body;
        var instructions = EmailText.Read(subject, body).Where(s => s.Instruction).Select(s => Grounding.Normalise(s.Text)).ToList();
        var kept = reasons.Where(r =>
            !string.IsNullOrWhiteSpace(r.Quote) && Grounding.Contains(email, r.Quote) &&
            !instructions.Any(i => i.Contains(Grounding.Normalise(r.Quote), StringComparison.Ordinal) || Grounding.Normalise(r.Quote).Contains(i, StringComparison.Ordinal))).ToList();
        return (kept, reasons.Count - kept.Count);
    }

    /// <summary>Why a model's reply cannot be sent as suggested (a fact from nowhere, a credential), or null when it can.</summary>
    public static string? ReplyProblem(string reply, string subject, string body, string? fromName, IEnumerable<string> snippets)
    {
        if (string.IsNullOrWhiteSpace(reply)) return "the model suggested no reply";
        if (Credential().IsMatch(reply)) return "the model's reply offered a credential";
        var known = Grounding.Normalise(string.Join("\n", snippets.Prepend(fromName ?? "").Prepend(body).Prepend(subject)));
        foreach (Match fact in Fact().Matches(reply))
        {
            var normalised = Grounding.Normalise(fact.Value);
            if (normalised.Length > 0 && !known.Contains(normalised, StringComparison.Ordinal))
                return $"the model's reply cites \"{fact.Value.Trim()}\", which is not in the email or the reply templates";
        }
        return null;
    }

    // Numbers (amounts, dates, times, ids, percentages), currency amounts, weekdays, months, relative days, URLs and email addresses.
    [GeneratedRegex(@"[$€£¥]?\s?\d[\d.,:/-]*(?:\s?%)?|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|tomorrow|tonight|today|next week|this week|end of (?:the )?(?:day|week|month))\b|https?://\S+|www\.\S+|\b[\w.+-]+@[\w-]+\.[\w.-]+\b", RegexOptions.IgnoreCase)]
    private static partial Regex Fact();

    [GeneratedRegex(@"\b(?:password|passcode|passphrase|api key|secret|token|credentials?)\b\s*(?:is|are|:|=)\s*\S", RegexOptions.IgnoreCase)]
    private static partial Regex Credential();
}
