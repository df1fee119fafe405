using Switchboard.Features.Calls;

namespace Switchboard.Features.Floor;

public sealed record FloorCall(Guid Id, string Status, string Direction, DateTimeOffset? AnsweredAt);

public sealed record FloorAgent(Guid UserId, string Name, string State, DateTimeOffset? Since, FloorCall? Call, CallReportRow Today);

public sealed record FloorSnapshot(DateOnly Day, int CallsInProgress, int CallsRinging, CallReportRow Total, IReadOnlyList<FloorAgent> Agents, IReadOnlyDictionary<string, string> DispositionLabels);

/// <summary>
/// The wallboard's state: every agent (members with the agent role, plus anyone with a presence), their live
/// call, and today's counters from <see cref="CallReports"/>, so the board and the reports agree.
/// </summary>
public sealed class FloorBoard(SwitchboardDbContext db, TenantContext ctx, CallReports reports, Dispositions dispositions, TimeProvider clock)
{
    /// <summary>Calls older than this that never reached an end state are stale (a lost callback), not live.</summary>
    private static readonly TimeSpan LiveWindow = TimeSpan.FromHours(6);

    public async Task<FloorSnapshot?> SnapshotAsync(CancellationToken ct)
    {
        var zone = Platform.TimeZones.FindOrUtc(ctx.Tenant?.TimeZone);
        var now = clock.GetUtcNow();
        var today = Platform.TimeZones.Today(now, zone);
        var day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (await reports.BuildAsync(new CallReportQuery(day, day, CallReports.ByAgent), ct) is not Outcome<CallReport>.Ok { Value: var report })
            return null;

        var agentRole = TenantRole.Agent.ToName();
        var members = await (from m in db.Memberships.AsNoTracking()
                             join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                             where m.IsActive && u.IsActive
                             select new { u.Id, u.FirstName, u.LastName, u.Email, m.Role }).ToListAsync(ct);
        var presence = await db.AgentPresence.AsNoTracking().ToListAsync(ct);
        var since = now - LiveWindow;
        var live = await db.Calls.AsNoTracking()
            .Where(c => c.AgentId != null && CallStatuses.Live.Contains(c.Status) && c.CreatedAt >= since)
            .OrderByDescending(c => c.CreatedAt)
            .Select(c => new { AgentId = c.AgentId!.Value, call = new FloorCall(c.Id, c.Status, c.Direction, c.AnsweredAt) })
            .ToListAsync(ct);
        var liveByAgent = live.GroupBy(c => c.AgentId).ToDictionary(g => g.Key, g => g.First().call);
        var statsByAgent = report.Rows.Where(r => r.AgentId is not null).ToDictionary(r => r.AgentId!.Value);
        var presenceByUser = presence.ToDictionary(p => p.UserId);

        var agents = members
            .Where(m => m.Role == agentRole || presenceByUser.ContainsKey(m.Id))
            .Select(m =>
            {
                var state = presenceByUser.GetValueOrDefault(m.Id);
                var name = $"{m.FirstName} {m.LastName}".Trim() is { Length: > 0 } full ? full : m.Email ?? "Unknown";
                var stats = statsByAgent.GetValueOrDefault(m.Id) ?? new CallReportRow(m.Id.ToString(), m.Id, name, null, 0, 0, 0, 0, 0, new Dictionary<string, int>());
                return new FloorAgent(m.Id, name, state?.State ?? "offline", state?.Since, liveByAgent.GetValueOrDefault(m.Id), stats);
            })
            .OrderBy(a => a.Call is null)
            .ThenBy(a => a.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();

        var labels = (await dispositions.ListAsync(ct)).ToDictionary(d => d.Code, d => d.Label);
        return new FloorSnapshot(today, live.Count(c => c.call.Status == CallStatuses.InProgress),
            live.Count(c => c.call.Status != CallStatuses.InProgress), report.Total, agents, labels);
    }
}
