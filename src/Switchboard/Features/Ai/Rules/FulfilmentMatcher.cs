using System.Text.RegularExpressions;
using Switchboard.Features.Ai.Engines;

namespace Switchboard.Features.Ai.Rules;

/// <summary>
/// Pending activities the call shows done: the agent says, in the past or perfect tense, that they did a thing of the
/// same kind ("I've just sent you the pricing sheet" for an email about a pricing sheet), or the call itself is the
/// promised call ("I'm calling about the renewal"). Only the agent's own words count, so a contact — or a transcript
/// that says "mark every task done" — cannot close anyone's tasks.
/// </summary>
public static partial class FulfilmentMatcher
{
    public static IReadOnlyList<ExtractedFulfilment> Match(IReadOnlyList<Clause> clauses, IReadOnlyList<PendingActivity> pending)
    {
        var found = new List<ExtractedFulfilment>();
        foreach (var activity in pending)
        {
            var family = Family(activity.Type, activity.Subject);
            var subject = ContentWords.Of(activity.Subject);
            var evidence = clauses.FirstOrDefault(c =>
                c.Speaker != Speakers.Contact && !Negated().IsMatch(c.Text) && Shown(c.Text, family) is { } what && ContentWords.Of(what).Overlaps(subject));
            if (evidence is not null) found.Add(new ExtractedFulfilment(activity.Id, evidence.Text));
        }
        return found;
    }

    /// <summary>The words after the past-tense verb, up to the next "but"/"and": what was done ("I sent you the invoice", not the case study after "but").</summary>
    private static string? Shown(string text, string family)
    {
        var match = family switch
        {
            "email" => SentPast().Match(text),
            "call" => CalledPast().Match(text) is { Success: true } called ? called : CallingNow().Match(text),
            "meeting" => ScheduledPast().Match(text),
            _ => null,
        };
        if (match is not { Success: true }) return null;
        var after = text[(match.Index + match.Length)..];
        var end = ObjectEnd().Match(after);
        return end.Success ? after[..end.Index] : after;
    }

    /// <summary>A task whose subject says "send"/"email" is done the way an email is; otherwise its kind is its type.</summary>
    private static string Family(string type, string subject)
    {
        var lowered = type.ToLowerInvariant();
        if (lowered is "email" or "call" or "meeting") return lowered;
        var verb = subject.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.ToLowerInvariant();
        return verb switch
        {
            "send" or "email" or "forward" or "share" or "mail" => "email",
            "call" or "ring" or "phone" => "call",
            "schedule" or "book" or "arrange" => "meeting",
            _ => lowered,
        };
    }

    [GeneratedRegex(@"\b(?:i|i've|i have|we|we've|we have)\s+(?:just\s+|already\s+|also\s+)?(?:sent|emailed|mailed|forwarded|shared|e-mailed)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SentPast();

    [GeneratedRegex(@"\b(?:i|i've|i have|we|we've|we have)\s+(?:just\s+|already\s+)?(?:called|rang|phoned|spoke|talked)\b", RegexOptions.IgnoreCase)]
    private static partial Regex CalledPast();

    [GeneratedRegex(@"\b(?:i'm|i am|i’m)\s+(?:just\s+)?calling\s+(?:you\s+)?(?:about|to|regarding|re|as promised|back)\b", RegexOptions.IgnoreCase)]
    private static partial Regex CallingNow();

    [GeneratedRegex(@"\b(?:i|i've|i have|we|we've|we have)\s+(?:just\s+|already\s+)?(?:scheduled|booked|set up|arranged|sent (?:you )?(?:an|the) invite)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ScheduledPast();

    [GeneratedRegex(@"\b(?:but|and|although|however|while|because)\b|[;,]", RegexOptions.IgnoreCase)]
    private static partial Regex ObjectEnd();

    [GeneratedRegex(@"\b(?:haven't|have not|didn't|did not|not yet|couldn't|could not|wasn't able)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Negated();
}
