using System.Text.RegularExpressions;

namespace Switchboard.Features.Ai.Rules;

/// <summary>An item's type (call, email, meeting, task) and a short imperative title, from its verb and the words after it.</summary>
public static partial class ItemWording
{
    public static string Type(string verb, string rest)
    {
        var head = verb.Split(' ')[0];
        var text = $"{verb} {rest.Trim()}".ToLowerInvariant();
        if (verb == "get back") return "task";
        if (head == "a") return MeetingNoun().IsMatch(verb) ? "meeting" : "email";
        if (head is "schedule" or "book" or "arrange" or "reschedule" or "organise" or "organize" or "meet") return "meeting";
        if (verb == "set up") return MeetingNoun().IsMatch(text) || CallWords().IsMatch(text) ? "meeting" : "task";
        if (head is "call" or "ring" or "phone" or "text" || CallWords().IsMatch(text)) return "call";
        if (head is "send" or "email" or "forward" or "mail" or "share" || EmailWords().IsMatch(text)) return "email";
        if (head is "get" && Delivered().IsMatch(text)) return "email";
        return "task";
    }

    /// <summary>"Send pricing sheet for the team plan", "Call back Dana", "Schedule demo": the verb and its object, without the when.</summary>
    public static string Title(string verb, string rest, string type, string? duePhrase, string? contactFirstName, string? antecedent)
    {
        var objectWords = ObjectWords(rest, duePhrase);
        if (Pronoun().Match(rest) is { Success: true } pronoun && antecedent is not null)
            objectWords = [.. antecedent.Split(' ', StringSplitOptions.RemoveEmptyEntries), .. ObjectWords(rest[(pronoun.Index + pronoun.Length)..], duePhrase)];
        if (verb == "get back" && antecedent is not null) objectWords = ["about", .. antecedent.Split(' ', StringSplitOptions.RemoveEmptyEntries)];

        var head = verb.Split(' ')[0];
        string action;
        if (type == "call" && head is not ("schedule" or "set" or "book"))
        {
            action = "Call";
            objectWords = [.. objectWords.Where(w => !CallFiller().IsMatch(w))];
            if (contactFirstName is not null && (rest.Contains("you", StringComparison.OrdinalIgnoreCase) || rest.Contains(" me", StringComparison.OrdinalIgnoreCase) || verb.EndsWith("back")))
                objectWords.Insert(0, contactFirstName);
        }
        else if (head == "a" || verb.StartsWith("set up")) action = "Schedule";
        else if (type == "email" && head is not ("send" or "email" or "forward" or "share" or "mail")) action = "Send";
        else action = char.ToUpperInvariant(verb[0]) + verb[1..];
        if (contactFirstName is not null) objectWords = [.. objectWords.Select(w => w.Equals("you", StringComparison.OrdinalIgnoreCase) ? contactFirstName : w)];

        if (head == "a") objectWords.Insert(0, verb[2..]);
        var title = string.Join(' ', new[] { action }.Concat(objectWords.Take(7)));
        return title.Trim();
    }

    public static bool IsPronoun(string word) => Pronoun().IsMatch(word);

    /// <summary>The words after the verb up to the time words or a reason ("so", "because", "once"), without leading pronouns and articles.</summary>
    public static List<string> ObjectWords(string rest, string? duePhrase)
    {
        var text = rest;
        if (duePhrase is not null && text.IndexOf(duePhrase, StringComparison.OrdinalIgnoreCase) is var at and >= 0) text = text[..at];
        var cut = ObjectEnd().Match(text);
        if (cut.Success) text = text[..cut.Index];
        var words = Regex.Split(text.Trim(), @"\s+").Select(w => w.Trim('.', ',', '!', '?', ';', ':', '"')).Where(w => w.Length > 0).ToList();
        while (words.Count > 0 && Leading().IsMatch(words[0])) words.RemoveAt(0);
        words = [.. words.Where(w => !Possessive().IsMatch(w))];
        while (words.Count > 0 && Trailing().IsMatch(words[^1])) words.RemoveAt(words.Count - 1);
        return words;
    }

    [GeneratedRegex(@"\b(?:demo|meeting|walkthrough|walk-through|kickoff|kick-off|deep dive|workshop|presentation|session|call with)\b", RegexOptions.IgnoreCase)]
    private static partial Regex MeetingNoun();

    [GeneratedRegex(@"\b(?:call (?:you|her|him|them|back)|ring you|phone you|try you again|give you a (?:call|ring)|call me)\b", RegexOptions.IgnoreCase)]
    private static partial Regex CallWords();

    [GeneratedRegex(@"\b(?:email|e-mail|inbox|mail)\b", RegexOptions.IgnoreCase)]
    private static partial Regex EmailWords();

    [GeneratedRegex(@"\b(?:over to you|to you|over)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Delivered();

    /// <summary>An object that stands for something said before: "send it", "forward those", "email him".</summary>
    [GeneratedRegex(@"^\s*(?:(?:it|them|those|that|these|him|her)\b(?!\s+(?:is|was|are)\b)|this(?=\s*$|\s+(?:to|over|by|today|tomorrow|tonight)\b))", RegexOptions.IgnoreCase)]
    private static partial Regex Pronoun();

    [GeneratedRegex(@"^(?:you|me|back|again|then|up)$", RegexOptions.IgnoreCase)]
    private static partial Regex CallFiller();

    [GeneratedRegex(@"^(?:you|me|him|her|us|over|across|out|the|a|an|to|also|some|back|in)$", RegexOptions.IgnoreCase)]
    private static partial Regex Leading();

    [GeneratedRegex(@"^(?:my|your|our|their)$", RegexOptions.IgnoreCase)]
    private static partial Regex Possessive();

    [GeneratedRegex(@"^(?:the|a|an|to|by|on|at|in|for|with|and|of|then|too|over|done|right|now|please)$", RegexOptions.IgnoreCase)]
    private static partial Regex Trailing();

    [GeneratedRegex(@"\b(?:so that|so|because|once|if|when|as soon as|after|before|or|,|we talked|we discussed|you asked|that we)\b|[,;—]", RegexOptions.IgnoreCase)]
    private static partial Regex ObjectEnd();
}
