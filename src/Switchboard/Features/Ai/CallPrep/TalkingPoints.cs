namespace Switchboard.Features.Ai.CallPrep;

/// <summary>
/// What the talking points are written from: the call prep's own parts, the time now, and the zone its dates are shown
/// in (the tenant's). An LLM writer (<see cref="ITalkingPointWriter"/>) gets the same facts.
/// </summary>
public sealed record TalkingPointFacts(
    CallPrepRecord Record, IReadOnlyList<CallPrepInteraction> Interactions, IReadOnlyList<CallPrepTask> OpenTasks, CallPrepLastCall? LastCall,
    string? LastNote, DateTimeOffset Now, TimeZoneInfo Zone)
{
    /// <summary>Whether the record has any history at all (a call, note or task); without it there is little to say.</summary>
    public bool HasHistory => Interactions.Count > 0 || OpenTasks.Count > 0 || LastCall is not null;
}

/// <summary>
/// Talking points built from the record's history alone, deterministically (ADR 0053): candidates in a fixed order of
/// importance — a do-not-call flag, what they asked for, what we promised, overdue work, a due callback, how the last
/// call went, how long since we spoke, the record's status and role, the next open task, the latest note, their local
/// time, a missing email, and closing on a next step — and the first <see cref="Count"/> are kept. Nothing is padded:
/// a record with too little history gets fewer points.
/// </summary>
public static class TalkingPoints
{
    public const int Count = 7;
    public const int MaxLength = 160;
    public const string HistorySource = "history";

    public static IReadOnlyList<string> FromHistory(TalkingPointFacts facts)
    {
        var points = new List<string>();
        var r = facts.Record;
        var call = facts.LastCall;

        if (r.DoNotCall) points.Add("Marked do not call: check before dialing.");
        foreach (var request in (call?.CustomerRequests ?? []).Take(2))
            points.Add($"They asked: “{Clip(request.Text, 90)}” — have the answer ready.");
        var promised = new HashSet<Guid>();
        foreach (var promise in (call?.OpenPromises ?? []).Take(2))
        {
            if (promise.ActivityId is { } id) promised.Add(id);
            var due = promise.DueAt is { } at ? (promise.Overdue ? $", overdue since {Day(at, facts)}" : $", due {Day(at, facts)}") : "";
            points.Add(promise.State == PromiseStates.Suggested
                ? $"You offered to {Lower(promise.Title)}{due}: do it or say when."
                : $"You promised to {Lower(promise.Title)}{due}: say where it stands.");
        }
        var overdue = facts.OpenTasks.Where(t => t.Overdue && !promised.Contains(t.Id)).ToList();
        if (overdue.Count > 0)
            points.Add(overdue.Count == 1
                ? $"Overdue: {Clip(overdue[0].Subject, 90)} (due {Day(overdue[0].DueAt!.Value, facts)})."
                : $"{overdue.Count} overdue tasks, the oldest: {Clip(overdue[^1].Subject, 80)}.");
        if (r.CallbackAt is { } callback)
            points.Add(callback <= facts.Now ? $"They asked for this callback ({Day(callback, facts)}): say so when you open." : $"A callback is set for {Day(callback, facts)}.");
        if (call is not null) points.Add(LastCallPoint(call, facts));
        if (call?.Summary is { Length: > 0 } summary) points.Add($"Last time: {Clip(summary, 120)}");
        if (facts.HasHistory) points.Add(LastTouchPoint(facts));
        if (StatusPoint(r, facts.HasHistory) is { } status) points.Add(status);
        if (RolePoint(r) is { } role) points.Add(role);
        if (facts.OpenTasks.FirstOrDefault(t => !t.Overdue && !promised.Contains(t.Id)) is { } next)
            points.Add($"Open task: {Clip(next.Subject, 90)}{(next.DueAt is { } due ? $" (due {Day(due, facts)})" : "")}.");
        if (facts.LastNote is { Length: > 0 } note) points.Add($"Latest note: {Clip(note, 110)}");
        points.Add(LocalTimePoint(r));
        if (r.Email is null) points.Add("No email on file: ask for one to send a follow-up.");
        if (facts.HasHistory) points.Add("Close on a next step with a date, and log it.");

        return points.Select(p => Clip(p, MaxLength)).Distinct(StringComparer.Ordinal).Take(Count).ToList();
    }

    private static string LastCallPoint(CallPrepLastCall call, TalkingPointFacts facts)
    {
        var mood = call.Sentiment switch
        {
            Engines.Sentiments.Negative => " and went badly: acknowledge it first",
            Engines.Sentiments.Positive => " and went well: build on it",
            _ => "",
        };
        var outcome = call.Disposition is { Length: > 0 } d ? $"ended “{Clip(d, 40)}”" : $"ended {call.Status}";
        return $"Last call ({Day(call.At, facts)}) {outcome}{mood}.";
    }

    private static string LastTouchPoint(TalkingPointFacts facts)
    {
        if (facts.Interactions.Count == 0) return "No calls or notes yet: this is a first conversation.";
        var last = facts.Interactions[0];
        var days = (int)Math.Floor((facts.Now - last.At).TotalDays);
        var when = days <= 0 ? "today" : days == 1 ? "yesterday" : $"{days} days ago";
        return $"Last touch {when} ({last.Kind}).";
    }

    private static string? StatusPoint(CallPrepRecord r, bool hasHistory) => r.Status switch
    {
        "new" => hasHistory ? "Still a new lead: qualify need, budget and timing." : "New lead, first call: introduce yourself and qualify need, budget and timing.",
        "contacted" => "Contacted before: move them towards qualified.",
        "qualified" => "Qualified: agree the step towards a proposal or demo.",
        "unqualified" => "Marked unqualified: find out whether anything has changed.",
        "converted" => "Converted: talk to them as a customer, not a prospect.",
        null when r.Type == "contact" => r.Company is { } company ? $"A contact at {Clip(company, 60)}: ask how things stand there." : "An existing contact: ask how things stand.",
        _ => null,
    };

    private static string? RolePoint(CallPrepRecord r) => (r.Title, r.Company) switch
    {
        ({ } title, { } company) => $"{Clip(title, 50)} at {Clip(company, 50)}: tie what you say to that role.",
        ({ } title, null) => $"Their role: {Clip(title, 60)}. Tie what you say to it.",
        (null, { } company) when r.Type == "lead" => $"At {Clip(company, 60)}: ask about their role there.",
        _ => null,
    };

    private static string LocalTimePoint(CallPrepRecord r)
    {
        var late = r.LocalTime.Hour is < 8 or >= 20 ? ", outside usual hours: keep it short" : "";
        return $"Their local time is {r.LocalTime.ToString("ddd HH:mm", CultureInfo.InvariantCulture)} ({r.TimeZone}){late}.";
    }

    private static string Day(DateTimeOffset at, TalkingPointFacts facts) =>
        TimeZoneInfo.ConvertTime(at, facts.Zone).ToString("ddd d MMM", CultureInfo.InvariantCulture);

    private static string Lower(string title) =>
        title.Length > 1 && char.IsUpper(title[0]) && !char.IsUpper(title[1]) ? char.ToLowerInvariant(title[0]) + Clip(title[1..], 90) : Clip(title, 90);

    /// <summary>One line of at most <paramref name="max"/> characters.</summary>
    public static string Clip(string text, int max)
    {
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= max ? line : line[..(max - 1)].TrimEnd() + "…";
    }
}

/// <summary>
/// The seam for another writer of talking points (an LLM): it answers seven points from the facts, or null when it
/// cannot (not configured, failed, timed out), and the history writer answers instead. Register one with
/// <c>services.AddScoped&lt;ITalkingPointWriter, …&gt;()</c>; the first that answers wins.
/// </summary>
public interface ITalkingPointWriter
{
    /// <summary>The talkingPointsSource the API reports ("llm").</summary>
    string Source { get; }

    Task<IReadOnlyList<string>?> WriteAsync(TalkingPointFacts facts, CancellationToken ct);
}

/// <summary>Asks the registered writers in turn and falls back to <see cref="TalkingPoints.FromHistory"/>.</summary>
[Scoped]
public sealed class TalkingPointWriters(IEnumerable<ITalkingPointWriter> writers, ILogger<TalkingPointWriters> log)
{
    public async Task<(IReadOnlyList<string> Points, string Source)> WriteAsync(TalkingPointFacts facts, CancellationToken ct)
    {
        foreach (var writer in writers)
        {
            try
            {
                if (await writer.WriteAsync(facts, ct) is { Count: > 0 } points) return (points, writer.Source);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                log.LogWarning(e, "The {Source} talking-point writer failed; the points come from the history", writer.Source);
            }
        }
        return (TalkingPoints.FromHistory(facts), TalkingPoints.HistorySource);
    }
}
