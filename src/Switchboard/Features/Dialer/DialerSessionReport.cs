using Switchboard.Features.Calls;

namespace Switchboard.Features.Dialer;

/// <summary>How many of the session's calls ended with one outcome; "awaiting" for calls still without one.</summary>
public sealed record DispositionTally(string Code, string Label, int Count);

/// <summary>
/// A session's calls as the reports count them (ADR 0032): a dial is a call placed from the session, a connect one that was
/// answered, talk time the duration of connected calls; outcomes by disposition, "no-outcome" (wrap-up ran out) included.
/// </summary>
public sealed record DialerSessionReport(int Dials, int Connects, long TalkSeconds, int Skipped, IReadOnlyList<DispositionTally> Outcomes)
{
    public const string Awaiting = "awaiting";
}

[Scoped]
public sealed class DialerSessionReports(SwitchboardDbContext db, DialerSessions sessions, Dispositions dispositions)
{
    /// <summary>The caller's own session's report; null for anyone else's session.</summary>
    public async Task<DialerSessionReport?> ForAsync(Guid sessionId, CancellationToken ct)
    {
        if (await sessions.FindOwnAsync(sessionId, ct) is not { } session) return null;
        var calls = db.Calls.AsNoTracking().Where(c => c.DialerSessionId == session.Id);
        var rows = await calls.GroupBy(c => c.Disposition)
            .Select(g => new
            {
                Disposition = g.Key, Dials = g.Count(), Connects = g.Count(c => c.AnsweredAt != null),
                Talk = g.Sum(c => c.AnsweredAt != null ? (long)(c.DurationSeconds ?? 0) : 0L),
            })
            .ToListAsync(ct);
        var labels = (await dispositions.ListAsync(ct)).ToDictionary(d => d.Code, d => (d.Label, d.SortOrder));
        var outcomes = rows
            .Select(r => r.Disposition is { } code
                ? new DispositionTally(code, labels.TryGetValue(code, out var known) ? known.Label : Display.Label(code), r.Dials)
                : new DispositionTally(DialerSessionReport.Awaiting, "Awaiting outcome", r.Dials))
            .OrderBy(t => t.Code == DialerSessionReport.Awaiting ? 1 : 0)
            .ThenBy(t => labels.TryGetValue(t.Code, out var known) ? known.SortOrder : int.MaxValue)
            .ThenBy(t => t.Label, StringComparer.Ordinal)
            .ToList();
        return new DialerSessionReport(rows.Sum(r => r.Dials), rows.Sum(r => r.Connects), rows.Sum(r => r.Talk), session.Skipped, outcomes);
    }
}

public sealed record SessionStatsModel(DialerSessionReport Report, Guid SessionId);
