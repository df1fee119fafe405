using System.Text.RegularExpressions;

namespace Switchboard.Features.Ai.Rules;

public enum ClauseKind { Other, Commitment, Suggestion, Request, Done, Refusal }

/// <summary>What a clause does: promises (and how firmly), asks, reports something done, or refuses; with the action verb and what follows it.</summary>
public sealed record ClauseReading(ClauseKind Kind, string? Verb, string Rest, double Confidence);

/// <summary>The word patterns that tell a promise from a request, a refusal, a maybe and a thing already done.</summary>
public static partial class ClauseReader
{
    private static readonly HashSet<string> NotActions =
        ["see", "think", "be", "need", "wait", "keep", "loop", "leave", "hold", "put", "do", "ask", "take", "talk", "go", "look", "hear"];

    public static ClauseReading Read(string clause, bool continuesCommitment)
    {
        var text = clause.Replace('’', '\'');
        if (Done().IsMatch(text)) return new(ClauseKind.Done, null, text, 0);

        var commitment = Commitment().Match(text);
        if (commitment.Success) return Promise(text, commitment, continuesCommitment);

        var request = Request().Match(text);
        if (request.Success && !Negation().IsMatch(text[..request.Index]))
            return new(ClauseKind.Request, request.Groups["verb"].Value.ToLowerInvariant(), text[(request.Index + request.Length)..], 0.9);

        if (continuesCommitment && Continuation().Match(text) is { Success: true } more)
            return new(ClauseKind.Commitment, more.Groups["verb"].Value.ToLowerInvariant(), text[(more.Index + more.Length)..], 0.8);
        return new(Negation().IsMatch(text) ? ClauseKind.Refusal : ClauseKind.Other, null, text, 0);
    }

    public static bool IsAcceptance(string clause) => Acceptance().IsMatch(clause.Replace('’', '\''));

    public static bool IsUrgent(string text) => Urgent().IsMatch(text);

    private static ClauseReading Promise(string text, Match commitment, bool continuesCommitment)
    {
        var verb = commitment.Groups["verb"].Value.ToLowerInvariant();
        var marker = commitment.Groups["marker"].Value.ToLowerInvariant();
        var rest = text[(commitment.Index + commitment.Length)..];
        var before = text[..commitment.Index];
        if (Negation().IsMatch(before + commitment.Value)) return new(ClauseKind.Refusal, verb, rest, 0);
        if (Conditional().IsMatch(before + commitment.Value)) return new(ClauseKind.Suggestion, verb, rest, 0.35);
        if (NotActions.Contains(verb.Split(' ')[0]) && verb != "put together" && !(verb == "talk" && marker != "let's")) return new(ClauseKind.Other, verb, rest, 0);
        if (verb == "have" && rest.TrimStart().StartsWith("to ")) return new(ClauseKind.Other, verb, rest, 0);
        if (marker == "let's" && !MeetingVerb().IsMatch(verb)) return new(ClauseKind.Other, verb, rest, 0);
        var confidence = marker is "i can" or "we can" ? 0.6 : Conditional().IsMatch(rest) ? 0.7 : continuesCommitment ? 0.8 : 0.85;
        return new(ClauseKind.Commitment, verb, rest, confidence);
    }

    private const string Adverbs = @"(?:(?:also|just|definitely|personally|quickly|then|now|go ahead and|make sure to|be sure to|certainly|absolutely|still|get to)\s+)*";
    private const string Verb = @"(?<verb>[a-z]+(?:\s+(?:up|back|over|in|out|through|off|together))?)\b";

    [GeneratedRegex(@"\b(?<marker>i'll|i will|i shall|i'm going to|i am going to|i'm gonna|let me|we'll|we will|we're going to|i can|we can|i could|i'd be happy to|let's)\s+" + Adverbs + Verb, RegexOptions.IgnoreCase)]
    private static partial Regex Commitment();

    [GeneratedRegex(@"^(?:and\s+|then\s+)?" + Adverbs + @"(?<verb>refund|send|email|forward|schedule|book|prepare|extend|remove|set up|call|share|review|sign|confirm|update)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Continuation();

    [GeneratedRegex(@"\b(?:can|could|would|will)\s+(?:you|someone|somebody)\s+(?:please\s+|also\s+|just\s+|maybe\s+|be able to\s+)*(?<verb>(?!give\b|hold\b|tell\b|hear\b)[a-z]+(?:\s+(?:up|back|over))?)\b" +
                    @"|\bcan we\s+(?<verb>schedule|set up|book|arrange|meet)\b" +
                    @"|\bplease[,\s]+(?:also\s+)?(?<verb>(?!leave\b|hold\b|give\b|don't\b)[a-z]+(?:\s+(?:up|back|over))?)\b" +
                    @"|\bi'd (?:like|love) (?:to (?:see |get |have |book )?)?(?<verb>a demo|a meeting|a walkthrough|a quote|a proposal|a trial)\b" +
                    @"|^(?:and\s+)?(?<verb>call|email|send|ring|text)\s+(?:me|us)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Request();

    [GeneratedRegex(@"\b(?:i|we)\s+(?:just\s+|already\s+)?(?:sent|emailed|mailed|forwarded|shared|called|rang|phoned|scheduled|booked|spoke|talked|did)\b|\b(?:i've|i have|we've|we have)\s+(?:just\s+|already\s+)?(?:sent|emailed|mailed|forwarded|shared|called|scheduled|booked|set up|put)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Done();

    [GeneratedRegex(@"\b(?:can't|cannot|can not|won't|will not|wouldn't|don't|do not|didn't|haven't|hasn't|isn't|is not|aren't|not something|not able|unable|not yet|not going to|never|no need)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Negation();

    [GeneratedRegex(@"\b(?:if|maybe|might|perhaps|possibly|probably|could|try and|try to)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Conditional();

    [GeneratedRegex(@"^(?:schedule|set up|book|arrange|meet|plan|organi[sz]e)", RegexOptions.IgnoreCase)]
    private static partial Regex MeetingVerb();

    [GeneratedRegex(@"^\W*(?:sure|of course|absolutely|yes|yeah|yep|will do|happy to|no problem|definitely|certainly|ok|okay|sounds good|i will|i can do that|done)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Acceptance();

    [GeneratedRegex(@"\b(?:urgent|urgently|asap|as soon as possible|right away|emergency)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Urgent();
}
