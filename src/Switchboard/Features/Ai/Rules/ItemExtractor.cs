using System.Text.RegularExpressions;
using Switchboard.Features.Ai.Engines;

namespace Switchboard.Features.Ai.Rules;

/// <summary>The customer's requests, the promises made and the follow-up items they give, from the read clauses.</summary>
public sealed record Extraction(IReadOnlyList<ExtractedStatement> Requests, IReadOnlyList<ExtractedStatement> Commitments, IReadOnlyList<ExtractedItem> Items);

public sealed partial class ItemExtractor(IReadOnlyList<Clause> clauses, AnalysisContext context)
{
    /// <summary>What a contact promises becomes an item only when it is a deliverable with a time ("I'll review the proposal by Monday").</summary>
    private static readonly HashSet<string> ContactDeliverables =
        ["send", "email", "forward", "review", "read", "sign", "talk", "introduce", "share", "get back", "discuss", "confirm", "mail"];

    /// <summary>Requests that add to something already promised ("please include the discount") rather than ask for a new thing.</summary>
    private static readonly HashSet<string> Amendments = ["include", "add", "attach", "copy", "cc", "also"];

    private readonly List<ClauseReading> readings = Read(clauses);
    private readonly List<(ExtractedItem Item, int Sentence)> items = [];
    private readonly List<ExtractedStatement> requests = [];
    private readonly List<ExtractedStatement> commitments = [];
    private readonly string? contactFirstName = context.ContactName?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();

    public Extraction Extract()
    {
        for (var i = 0; i < clauses.Count; i++)
        {
            var reading = readings[i];
            if (reading.Kind is ClauseKind.Commitment or ClauseKind.Suggestion && reading.Verb is not null) Promise(i, reading);
            else if (reading.Kind == ClauseKind.Request && clauses[i].Speaker != Speakers.Agent) Request(i, reading);
        }
        return new Extraction(requests, commitments, ItemMerging.Merge(items));
    }

    private void Promise(int i, ClauseReading reading)
    {
        var clause = clauses[i];
        var owner = clause.Speaker == Speakers.Contact ? Speakers.Contact : Speakers.Agent;
        var due = DueFor(i);
        if (SameThread().IsMatch(clause.Text)) return;
        if (owner == Speakers.Contact && (!ContactDeliverables.Contains(reading.Verb!) || due is null)) return;

        var item = Item(reading.Verb!, reading.Rest, due, owner, reading.Confidence, clause.Text, Antecedent(i));
        if (reading.Kind == ClauseKind.Commitment) commitments.Add(new ExtractedStatement($"{item.Title}{When(due)}", clause.Text));
        items.Add((item, clause.Sentence));
    }

    private void Request(int i, ClauseReading reading)
    {
        var clause = clauses[i];
        var title = ItemWording.Title(reading.Verb!, reading.Rest, ItemWording.Type(reading.Verb!, reading.Rest), DueFor(i), contactFirstName, Antecedent(i));
        requests.Add(new ExtractedStatement(title, clause.Text));
        if (Amendments.Contains(reading.Verb!.Split(' ')[0])) return;

        var answer = clauses.Where(c => c.Turn > clause.Turn && c.Speaker == Speakers.Agent).Select(c => c.Turn).DefaultIfEmpty(-1).First();
        if (answer < 0 || answer > clause.Turn + 2) return;
        var answerClauses = Enumerable.Range(0, clauses.Count).Where(j => clauses[j].Turn == answer).ToList();
        if (!ClauseReader.IsAcceptance(clauses[answerClauses[0]].Text)) return;
        if (answerClauses.Any(j => readings[j].Kind is ClauseKind.Commitment or ClauseKind.Refusal or ClauseKind.Suggestion)) return;

        var due = answerClauses.Select(j => DuePhrases.Find(clauses[j].Text)).FirstOrDefault(d => d is not null) ?? DueFor(i);
        var item = Item(reading.Verb!, reading.Rest, due, Speakers.Agent, 0.8, clause.Text, Antecedent(i)) with { Priority = "high" };
        commitments.Add(new ExtractedStatement($"{item.Title}{When(due)}", clauses[answerClauses[0]].Text));
        items.Add((item, clause.Sentence));
    }

    private ExtractedItem Item(string verb, string rest, string? due, string owner, double confidence, string quote, string? antecedent)
    {
        var type = ItemWording.Type(verb, rest);
        var title = ItemWording.Title(verb, rest, type, due, contactFirstName, antecedent);
        var dueAt = DueDates.Resolve(due, context.CallStartedAt, context.TimeZone);
        var priority = confidence < RulesEngine.FirmConfidence || owner == Speakers.Contact ? "low"
            : ClauseReader.IsUrgent(quote) || (due is not null && NearDue().IsMatch(due)) ? "high" : "medium";
        return new ExtractedItem(title, type, priority, due, dueAt, owner, confidence, quote);
    }

    /// <summary>The time said in the clause, else elsewhere in its sentence, else in the next two sentences if they only answer ("By when?" "Friday works.").</summary>
    private string? DueFor(int i)
    {
        var own = DuePhrases.Find(clauses[i].Text);
        if (own is not null) return own;
        var sentence = clauses[i].Sentence;
        var sibling = Enumerable.Range(0, clauses.Count)
            .Where(j => j != i && clauses[j].Sentence == sentence)
            .OrderBy(j => j < i ? 1 : 0)
            .Select(j => DuePhrases.Find(clauses[j].Text))
            .FirstOrDefault(d => d is not null);
        if (sibling is not null) return sibling;
        for (var j = i + 1; j < clauses.Count && clauses[j].Sentence <= sentence + 2; j++)
        {
            if (readings[j].Kind is ClauseKind.Commitment or ClauseKind.Request or ClauseKind.Refusal) return null;
            if (clauses[j].Sentence > sentence && DuePhrases.Find(clauses[j].Text) is { } later) return later;
        }
        return null;
    }

    /// <summary>
    /// What "it", "those" or "him" stands for: the object of the latest request, else the last "the …" said just before.
    /// "Get back to you" is about the contact's latest question.
    /// </summary>
    private string? Antecedent(int i)
    {
        var window = Enumerable.Range(Math.Max(0, i - 4), Math.Min(4, i)).Reverse().ToList();
        if (readings[i].Verb == "get back")
        {
            var question = window.FirstOrDefault(j => clauses[j].Speaker != Speakers.Agent && clauses[j].Text.EndsWith('?'), -1);
            return question < 0 ? null : QuestionLead().Replace(clauses[question].Text.TrimEnd('?'), "");
        }
        if (i > 0 && clauses[i - 1].Sentence == clauses[i].Sentence && readings[i - 1] is { Kind: ClauseKind.Commitment, Verb: not null } previous
            && ItemWording.ObjectWords(previous.Rest, DuePhrases.Find(previous.Rest)) is { Count: > 0 } thing)
            return string.Join(' ', thing);
        foreach (var j in window)
        {
            if (readings[j].Kind == ClauseKind.Request && readings[j].Verb is { } verb && !verb.StartsWith("a ")
                && ItemWording.ObjectWords(readings[j].Rest, DuePhrases.Find(readings[j].Rest)) is { Count: > 0 } asked && !ItemWording.IsPronoun(asked[0]))
                return string.Join(' ', asked);
        }
        foreach (var j in window)
        {
            if (TheNoun().Matches(clauses[j].Text) is { Count: > 0 } nouns) return nouns[^1].Groups["noun"].Value;
        }
        return null;
    }

    private static string When(string? due) => due is null ? "" : $" ({due})";

    private static List<ClauseReading> Read(IReadOnlyList<Clause> clauses)
    {
        var readings = new List<ClauseReading>(clauses.Count);
        for (var i = 0; i < clauses.Count; i++)
        {
            var continues = i > 0 && clauses[i - 1].Sentence == clauses[i].Sentence && readings[i - 1].Kind == ClauseKind.Commitment;
            readings.Add(ClauseReader.Read(clauses[i].Text, continues));
        }
        return readings;
    }

    [GeneratedRegex(@"^(?:\W*(?:quick question|question|so|and|but|does|do|is|are|can|could|will|would|your|the|you|it)\b\W*)+", RegexOptions.IgnoreCase)]
    private static partial Regex QuestionLead();

    [GeneratedRegex(@"\bin the same (?:email|call|message|invite)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SameThread();

    [GeneratedRegex(@"\b(?:today|tonight|tomorrow|hour|now|this (?:morning|afternoon|evening)|end of (?:the )?day|eod)\b", RegexOptions.IgnoreCase)]
    private static partial Regex NearDue();

    [GeneratedRegex(@"\b(?:the|an?) (?<noun>[A-Za-z0-9-]+(?: (?!yet\b|is\b|was\b|still\b)[A-Za-z0-9-]+){0,2})")]
    private static partial Regex TheNoun();
}
