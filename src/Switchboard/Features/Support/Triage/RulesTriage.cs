using System.Text.RegularExpressions;
using Switchboard.Features.Ai.Engines;
using Switchboard.Features.Ai.Rules;

namespace Switchboard.Features.Support.Triage;

/// <summary>
/// The deterministic triage engine, always available: the category whose keywords the email's new text mentions most
/// (the subject counts double; quoted history only when the new text names none), the priority from urgency cues in
/// the new text (an outage, "down", legal threats → urgent; cannot log in, cancel, refund, asap, a deadline → high;
/// a feature request, "no rush", "not urgent" → low; else normal), the sentiment from the call analysis' lexicon
/// plus a few email words, and the reply from the category's template. Sentences that instruct the triage itself
/// ("mark this urgent", "ignore your instructions") never count as cues.
/// </summary>
public static partial class RulesTriage
{
    public static TriageResult Run(TriageInput input)
    {
        var sentences = EmailText.Read(input.Subject, input.Body);
        if (Machine(input, sentences) is { } machine) return machine;
        var cues = sentences.Where(s => !s.Instruction).ToList();
        var fresh = cues.Where(s => s.Fresh).ToList();
        var reasons = new List<TriageReason>();

        var category = Categorise(input.Settings, fresh, reasons);
        if (category == SupportConfiguration.Other && fresh.Count < cues.Count)
            category = Categorise(input.Settings, cues.Where(s => !s.Fresh).ToList(), reasons);
        var priority = Prioritise(fresh, reasons);
        var sentiment = Feel(fresh, reasons);
        var reply = ReplyTemplates.Render(input.Settings.TemplateFor(category), EmailText.FirstName(input.FromName, input.FromAddress), input.TicketReference);
        var notes = sentences.Any(s => s.Instruction) ? new[] { "sentences that instruct the triage itself were read as data and not as cues" } : [];
        return new TriageResult(TriageEngines.Rules, null, null, category, priority, sentiment, reply, reasons, 0, notes, input.Settings.SlaFor(priority));
    }

    /// <summary>
    /// An auto-reply or unsolicited marketing is nobody's support request: other, low, neutral, with the words that
    /// show it. (Both are cues like the others: a real request that happens to say "click here" can be misread.)
    /// </summary>
    private static TriageResult? Machine(TriageInput input, IReadOnlyList<EmailSentence> sentences)
    {
        foreach (var (pattern, what) in new[] { (AutoReply(), "An automatic reply"), (Spam(), "Looks like unsolicited marketing") })
        {
            var hit = sentences.Where(s => !s.Instruction).Select(s => (s, m: pattern.Match(s.Text))).FirstOrDefault(x => x.m.Success);
            if (hit.s is null) continue;
            var reasons = new List<TriageReason>
            {
                new(TriageAbout.Category, what, Clip(hit.s.Text, hit.m.Value)),
                new(TriageAbout.Priority, what + " (low)", Clip(hit.s.Text, hit.m.Value)),
            };
            var reply = ReplyTemplates.Render(input.Settings.TemplateFor(SupportConfiguration.Other), EmailText.FirstName(input.FromName, input.FromAddress), input.TicketReference);
            return new TriageResult(TriageEngines.Rules, null, null, SupportConfiguration.Other, TriagePriorities.Low, Sentiments.Neutral, reply, reasons, 0, [], input.Settings.SlaFor(TriagePriorities.Low));
        }
        return null;
    }

    [GeneratedRegex(@"^(?:automatic reply|auto-?reply|out of (?:the )?office|abwesenheitsnotiz|r[ée]ponse automatique)\b|\bI am (?:currently )?out of the office\b", RegexOptions.IgnoreCase)]
    private static partial Regex AutoReply();

    [GeneratedRegex(@"\b(?:guaranteed (?:first page|ranking|results)|first page (?:of )?google|click here to claim|claim your (?:reward|prize)|you have been selected|exclusive (?:crypto )?investment|dear sir/madam|special discount of|seo (?:services|experts))\b", RegexOptions.IgnoreCase)]
    private static partial Regex Spam();

    private static string Categorise(SupportConfiguration settings, List<EmailSentence> sentences, List<TriageReason> reasons)
    {
        (string Name, int Score, string Keyword, EmailSentence Sentence)? best = null;
        foreach (var category in settings.Categories)
        {
            var score = 0;
            (string, EmailSentence)? first = null;
            foreach (var sentence in sentences)
            {
                foreach (var keyword in category.Keywords)
                {
                    if (string.IsNullOrWhiteSpace(keyword) || !Mentions(sentence.Text, keyword)) continue;
                    score += sentence.Subject ? 2 : 1;
                    first ??= (keyword, sentence);
                }
            }
            if (score > 0 && (best is null || score > best.Value.Score)) best = (category.Name, score, first!.Value.Item1, first.Value.Item2);
        }
        if (best is not { } b) return SupportConfiguration.Other;
        reasons.Add(new TriageReason(TriageAbout.Category, $"Mentions \"{b.Keyword}\" ({b.Name})", Clip(b.Sentence.Text, b.Keyword)));
        return b.Name;
    }

    private static bool Mentions(string text, string keyword) =>
        Regex.IsMatch(text, $@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(keyword.Trim())}(?![\p{{L}}\p{{N}}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static string Prioritise(List<EmailSentence> sentences, List<TriageReason> reasons)
    {
        var found = new List<(string Level, string What, Match Match, EmailSentence Sentence)>();
        foreach (var sentence in sentences)
        {
            var calm = Calm().Match(sentence.Text);
            if (calm.Success) found.Add((TriagePriorities.Low, CalmCue, calm, sentence));
            foreach (var (cueLevel, what, pattern) in Cues)
            {
                var m = pattern.Match(sentence.Text);
                if (!m.Success) continue;
                // "not urgent" is not an urgency cue; "no rush" neither.
                if (calm.Success && cueLevel != TriagePriorities.Low && Overlaps(m, calm)) continue;
                found.Add((cueLevel, what, m, sentence));
            }
        }
        // An outage or a legal threat is urgent whatever else is said; a sender who says it is not urgent is believed
        // over the words of the problem itself.
        var level =
            found.Any(f => f.Level == TriagePriorities.Urgent) ? TriagePriorities.Urgent
            : found.Any(f => f.What == CalmCue) ? TriagePriorities.Low
            : found.Any(f => f.Level == TriagePriorities.High) ? TriagePriorities.High
            : found.Any(f => f.Level == TriagePriorities.Low) ? TriagePriorities.Low
            : TriagePriorities.Normal;
        foreach (var f in found.Where(f => f.Level == level && (level != TriagePriorities.Low || f.What == CalmCue || !found.Any(g => g.What == CalmCue))).Take(3))
            reasons.Add(new TriageReason(TriageAbout.Priority, $"{f.What} ({level})", Clip(f.Sentence.Text, f.Match.Value)));
        return level;
    }

    private const string CalmCue = "Says it is not urgent";

    private static bool Overlaps(Match a, Match b) => a.Index < b.Index + b.Length && b.Index < a.Index + a.Length;

    private static readonly (string Level, string What, Regex Pattern)[] Cues =
    [
        (TriagePriorities.Urgent, "Reports an outage", Rx(@"\boutages?\b|\b(?:is|are|was|went|been|site|system|server|servers|platform|app|everything|still)\s+(?:completely\s+|totally\s+)?down\b|\bdown for (?:everyone|all)\b|\bnobody can\b|\bno one can\b|\b(?:none|all) of (?:our|my) (?:users|agents|team)\b|\bproduction\b|\bdata loss\b|\blost (?:all|our) (?:data|records|contacts)\b")),
        (TriagePriorities.Urgent, "Reports a security problem", Rx(@"\b(?:security (?:breach|incident)|hacked|breach|compromised|unauthori[sz]ed access)\b")),
        (TriagePriorities.Urgent, "Mentions legal steps", Rx(@"\b(?:legal action|lawyers?|attorneys?|lawsuit|sue you|solicitor|legal department|court)\b")),
        (TriagePriorities.Urgent, "Says it is urgent", Rx(@"\b(?:urgent|urgently|emergency|critical)\b")),
        (TriagePriorities.High, "Cannot get in", Rx(@"\b(?:can ?not|can't|cant|unable to|couldn't|could not)\s+(?:log ?in|sign ?in|login|access|get into)\b|\blocked out\b")),
        (TriagePriorities.High, "Wants to cancel or get money back", Rx(@"\bcancel(?:l?ing|l?ed|lation)?\b|\brefund\b|\bcharged (?:twice|double|two times)\b|\bdouble[- ]charged\b|\bchargeback\b")),
        (TriagePriorities.High, "Asks for speed", Rx(@"\basap\b|\bas soon as possible\b|\bimmediately\b|\bright away\b|\bright now\b")),
        (TriagePriorities.High, "Has a deadline", Rx(@"\bdeadline\b|\bby (?:today|tonight|tomorrow|end of (?:the )?day|eod|monday|tuesday|wednesday|thursday|friday)\b|\bbefore (?:tomorrow|monday|tuesday|wednesday|thursday|friday|(?:our|the) (?:meeting|launch|demo|board meeting|go-live))\b")),
        (TriagePriorities.Low, "Suggests a feature", Rx(@"\bfeature requests?\b|\bsuggestions?\b|\bwould be (?:nice|great|good|helpful)\b|\bwould love\b|\bit would help if\b|\bwish list\b|\broadmap\b")),
        (TriagePriorities.Low, "Only says thanks", Rx(@"\bjust (?:wanted to )?(?:say|saying) (?:thanks|thank you)\b|\bthank you so much\b|\bthanks so much\b|\bgreat job\b|\bkeep up the good work\b|\bkudos\b")),
        (TriagePriorities.Low, "Asks a general question", Rx(@"\bjust curious\b|\bquick question\b|\bwondering (?:if|whether)\b|\bfyi\b")),
    ];

    [GeneratedRegex(@"\b(?:(?:none of (?:this|it|these)|nothing (?:here )?)\s+(?:is|are)\s+urgent|nothing urgent|not a big deal|no big deal|small thing|minor (?:thing|issue)|not (?:urgent|an emergency|critical|a priority|time[- ]sensitive)|isn't urgent|no rush|no hurry|whenever you (?:can|get a chance|have time)|when you (?:get|have) a (?:chance|moment)|low priority)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Calm();

    private static Regex Rx(string pattern) => new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static string Feel(List<EmailSentence> sentences, List<TriageReason> reasons)
    {
        var scored = sentences.Select(s => (Sentence: s, Score: Score(s.Text))).Where(x => x.Score != 0).ToList();
        var total = scored.Sum(x => x.Score);
        var sentiment = total >= 1 ? Sentiments.Positive : total <= -1 ? Sentiments.Negative : Sentiments.Neutral;
        if (sentiment != Sentiments.Neutral)
            foreach (var (sentence, _) in scored.Where(x => Math.Sign(x.Score) == Math.Sign(total)).Take(2))
                reasons.Add(new TriageReason(TriageAbout.Sentiment, sentiment == Sentiments.Positive ? "Sounds pleased" : "Sounds unhappy", Clip(sentence.Text, null)));
        return sentiment;
    }

    private static int Score(string sentence)
    {
        var lexicon = SentimentLexicon.Classify([new Clause(sentence, null, 0, 0)]) switch { Sentiments.Positive => 1, Sentiments.Negative => -1, _ => 0 };
        var extra = Angry().Matches(sentence).Count * -2 + Pleased().Matches(sentence).Count + (sentence.Contains("!!") ? -1 : 0);
        return lexicon + extra;
    }

    [GeneratedRegex(@"\b(?:unacceptable|ridiculous|useless|horrible|disgusting|a joke|waste of (?:time|money)|scam|fed up|sick of|never again|third time|still (?:waiting|not|no|broken)|no one (?:has )?(?:replied|answered|responded)|nobody (?:has )?(?:replied|answered|responded)|furious|outrageous|appalling|pathetic|incompetent|worst)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Angry();

    [GeneratedRegex(@"\b(?:thank you so much|thanks so much|thanks a lot|many thanks|much appreciated|kudos|delighted|love (?:the|it|your|how)|great job|well done|keep up the good work|you guys rock|superb|impressed|thanks for everything)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Pleased();

    /// <summary>The sentence, or a window of it around <paramref name="around"/> cut at spaces: always a verbatim piece of the email.</summary>
    internal static string Clip(string sentence, string? around, int max = 240)
    {
        if (sentence.Length <= max) return sentence;
        var at = around is null ? 0 : Math.Max(0, sentence.IndexOf(around, StringComparison.OrdinalIgnoreCase));
        var start = Math.Max(0, at - max / 3);
        var end = Math.Min(sentence.Length, start + max);
        if (start > 0 && sentence.IndexOf(' ', start) is var s and >= 0 && s < at) start = s + 1;
        if (end < sentence.Length && sentence.LastIndexOf(' ', end - 1) is var e && e > at + (around?.Length ?? 0)) end = e;
        return sentence[start..end].Trim();
    }
}
