using Switchboard.Platform.Csv;

namespace Switchboard.Features.Calls;

public sealed record CallReportQuery(string? From, string? To, string? GroupBy);

/// <summary>One group of outbound calls: an agent (<see cref="AgentId"/>) or a tenant-local day (<see cref="Day"/>).</summary>
public sealed record CallReportRow(
    string Key, Guid? AgentId, string? AgentName, DateOnly? Day,
    int Dials, int Connects, double ConnectRate, long TalkSeconds, int AverageTalkSeconds,
    IReadOnlyDictionary<string, int> Dispositions, TalkAverages? Talk = null);

/// <summary>
/// Over the group's calls whose transcript had speakers (the AI analysis's talk metrics): how many, the agent's average
/// share of the talking (0–1), the average longest monologue and the average number of questions the agent asked.
/// </summary>
public sealed record TalkAverages(int Calls, double AgentShare, double LongestMonologueSeconds, double QuestionsAsked);

public sealed record CallReport(DateOnly From, DateOnly To, string GroupBy, string TimeZone, IReadOnlyList<CallReportRow> Rows, CallReportRow Total);

/// <summary>
/// Call statistics over outbound calls, grouped in PostgreSQL by agent or by day in the tenant's time zone.
/// A dial is an outbound call; a connect is one that was answered (reached in-progress); talk time is the
/// duration of connected calls.
/// </summary>
[Scoped]
public sealed class CallReports(SwitchboardDbContext primary, StandbyReads reads, TenantContext ctx, AuditLog audit)
{
    public const string ByAgent = "agent";
    public const string ByDay = "day";
    public const int MaxDays = 366;

    public static bool CanView(TenantContext ctx) => ctx.Role is TenantRole.Manager or TenantRole.Admin or TenantRole.Superadmin;

    public async Task<Outcome<CallReport>> BuildAsync(CallReportQuery query, CancellationToken ct)
    {
        if (!CanView(ctx)) return new Outcome<CallReport>.Forbidden("Only managers and administrators can see call reports.");
        var errors = new ValidationErrors();
        var from = ParseDate(query.From, "from", errors);
        var to = ParseDate(query.To, "to", errors);
        var groupBy = string.IsNullOrWhiteSpace(query.GroupBy) ? ByAgent : query.GroupBy.Trim().ToLowerInvariant();
        if (groupBy is not (ByAgent or ByDay)) errors.Add("groupBy", "groupBy must be 'agent' or 'day'.");
        if (from is { } f && to is { } t)
        {
            if (f > t) errors.Add("from", "From must be on or before To.");
            else if (t.DayNumber - f.DayNumber + 1 > MaxDays) errors.Add("to", $"The range can cover at most {MaxDays} days.");
        }
        if (!errors.IsValid || from is null || to is null) return new Outcome<CallReport>.Invalid(errors.ToDictionary());

        var zoneId = ctx.Tenant?.TimeZone ?? "UTC";
        var zone = Platform.TimeZones.FindOrUtc(zoneId);
        var start = Platform.TimeZones.StartOfDayUtc(from.Value, zone);
        var end = Platform.TimeZones.StartOfDayUtc(to.Value.AddDays(1), zone);
        var tenantId = ctx.RequiredTenantId;

        // A caught-up standby when there is one (ADR 0070): a report is the heaviest read a manager makes.
        var db = await reads.ContextAsync(ct);
        var totals = await QueryTotalsAsync(db, groupBy, tenantId, zone.Id, start, end, ct);
        var dispositions = await QueryDispositionsAsync(db, groupBy, tenantId, zone.Id, start, end, ct);
        var talk = (await QueryTalkAsync(db, groupBy, tenantId, zone.Id, start, end, ct)).ToDictionary(t => t.Key);
        TalkAverages? TalkOf(string key) => talk.GetValueOrDefault(key) is { } t ? new TalkAverages(t.Calls, Math.Round(t.AgentShare, 2), Math.Round(t.LongestMonologueSeconds, 1), Math.Round(t.QuestionsAsked, 1)) : null;
        var byKey = dispositions.GroupBy(d => d.Key).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, int>)g.ToDictionary(d => d.Disposition, d => d.Count));
        IReadOnlyDictionary<string, int> DispositionsOf(string key) => byKey.GetValueOrDefault(key) ?? new Dictionary<string, int>();

        List<CallReportRow> rows;
        if (groupBy == ByDay)
        {
            var byDay = totals.ToDictionary(r => r.Key);
            rows = Enumerable.Range(0, to.Value.DayNumber - from.Value.DayNumber + 1)
                .Select(offset => from.Value.AddDays(offset))
                .Select(day =>
                {
                    var key = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    var row = byDay.GetValueOrDefault(key);
                    return Row(key, null, null, day, row?.Dials ?? 0, row?.Connects ?? 0, row?.TalkSeconds ?? 0, DispositionsOf(key)) with { Talk = TalkOf(key) };
                })
                .ToList();
        }
        else
        {
            var names = await AgentNamesAsync(db, ct);
            rows = totals
                .Select(r =>
                {
                    Guid? agentId = Guid.TryParse(r.Key, out var id) ? id : null;
                    var name = agentId is null ? "No agent" : names.GetValueOrDefault(agentId.Value) ?? "Former member";
                    return Row(r.Key, agentId, name, null, r.Dials, r.Connects, r.TalkSeconds, DispositionsOf(r.Key)) with { Talk = TalkOf(r.Key) };
                })
                .OrderBy(r => r.AgentName, StringComparer.OrdinalIgnoreCase)
                .ToList();
        }

        var allDispositions = dispositions.GroupBy(d => d.Disposition).ToDictionary(g => g.Key, g => g.Sum(d => d.Count));
        var total = Row("total", null, null, null, rows.Sum(r => r.Dials), rows.Sum(r => r.Connects), rows.Sum(r => r.TalkSeconds), allDispositions)
            with { Talk = Weighted(talk.Values.ToList()) };
        return new CallReport(from.Value, to.Value, groupBy, zone.Id, rows, total);
    }

    /// <summary>The report as CSV; every export is audited, since it carries the team's performance out of the app.</summary>
    public async Task<Outcome<string>> ExportCsvAsync(CallReportQuery query, CancellationToken ct)
    {
        var outcome = await BuildAsync(query, ct);
        if (outcome is not Outcome<CallReport>.Ok ok) return Relay<string>(outcome);
        var report = ok.Value;
        await audit.WriteAsync(AuditActions.ReportDownloaded, ctx.RequiredTenantId, "report", "calls",
            new { from = report.From, to = report.To, groupBy = report.GroupBy, rows = report.Rows.Count }, ct);
        return ToCsv(report);
    }

    public static string ToCsv(CallReport report)
    {
        var codes = report.Total.Dispositions.Keys.Order(StringComparer.Ordinal).ToList();
        var csv = new StringBuilder();
        var first = report.GroupBy == ByDay ? "date" : "agent";
        csv.AppendJoin(',', [first, "dials", "connects", "connect_rate", "talk_seconds", "average_talk_seconds",
            "analysed_calls", "agent_talk_share", "average_longest_monologue_seconds", "average_questions_asked", .. codes.Select(c => "disposition_" + c)]).Append("\r\n");
        foreach (var row in report.Rows.Append(report.Total))
        {
            var label = row.Key == "total" ? "Total" : report.GroupBy == ByDay ? row.Key : row.AgentName ?? "";
            csv.AppendJoin(',', [
                CsvWriter.Escape(label), row.Dials.ToString(CultureInfo.InvariantCulture), row.Connects.ToString(CultureInfo.InvariantCulture),
                row.ConnectRate.ToString("0.####", CultureInfo.InvariantCulture), row.TalkSeconds.ToString(CultureInfo.InvariantCulture),
                row.AverageTalkSeconds.ToString(CultureInfo.InvariantCulture),
                (row.Talk?.Calls ?? 0).ToString(CultureInfo.InvariantCulture), row.Talk?.AgentShare.ToString("0.##", CultureInfo.InvariantCulture) ?? "",
                row.Talk?.LongestMonologueSeconds.ToString("0.#", CultureInfo.InvariantCulture) ?? "", row.Talk?.QuestionsAsked.ToString("0.#", CultureInfo.InvariantCulture) ?? "",
                .. codes.Select(c => row.Dispositions.GetValueOrDefault(c).ToString(CultureInfo.InvariantCulture)),
            ]).Append("\r\n");
        }
        return csv.ToString();
    }

    private static CallReportRow Row(string key, Guid? agentId, string? agentName, DateOnly? day, int dials, int connects, long talk, IReadOnlyDictionary<string, int> dispositions) =>
        new(key, agentId, agentName, day, dials, connects,
            dials == 0 ? 0 : Math.Round((double)connects / dials, 4), talk,
            connects == 0 ? 0 : (int)Math.Round((double)talk / connects), dispositions);

    private static DateOnly? ParseDate(string? value, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, $"{Label(field)} is required (YYYY-MM-DD).");
            return null;
        }
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        errors.Add(field, $"{Label(field)} must be a date written YYYY-MM-DD.");
        return null;
    }

    /// <summary>A date parameter as the report form labels it ("From", "To").</summary>
    private static string Label(string field) => char.ToUpperInvariant(field[0]) + field[1..];


    /// <summary>
    /// The caller's own outbound totals over [<paramref name="start"/>, <paramref name="end"/>), by the same definitions
    /// as the report (dial, connect, talk time): what any member may see of their own calls (the home page), whatever
    /// their role, so it needs no <see cref="CanView"/>.
    /// </summary>
    public async Task<CallReportRow> OwnTotalsAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        var self = ctx.RequiredUserId;
        var row = (await QueryTotalsAsync(primary, ByAgent, ctx.RequiredTenantId, "UTC", start, end, ct, agentId: self)).SingleOrDefault();
        return Row(self.ToString(), self, null, null, row?.Dials ?? 0, row?.Connects ?? 0, row?.TalkSeconds ?? 0, new Dictionary<string, int>());
    }

    private static Task<List<TotalsRow>> QueryTotalsAsync(SwitchboardDbContext db, string groupBy, Guid tenantId, string zone, DateTimeOffset start, DateTimeOffset end, CancellationToken ct, Guid? agentId = null) =>
        groupBy == ByDay
            ? db.Database.SqlQuery<TotalsRow>($"""
                select to_char((created_at at time zone {zone})::date, 'YYYY-MM-DD') as "Key",
                       count(*)::int as "Dials", count(answered_at)::int as "Connects",
                       coalesce(sum(duration_seconds) filter (where answered_at is not null), 0)::bigint as "TalkSeconds"
                from calls
                where tenant_id = {tenantId} and direction = 'outbound' and created_at >= {start} and created_at < {end}
                group by 1
                """).ToListAsync(ct)
            : db.Database.SqlQuery<TotalsRow>($"""
                select coalesce(agent_id::text, '') as "Key",
                       count(*)::int as "Dials", count(answered_at)::int as "Connects",
                       coalesce(sum(duration_seconds) filter (where answered_at is not null), 0)::bigint as "TalkSeconds"
                from calls
                where tenant_id = {tenantId} and direction = 'outbound' and created_at >= {start} and created_at < {end}
                  and ({agentId}::uuid is null or agent_id = {agentId})
                group by 1
                """).ToListAsync(ct);

    /// <summary>The talk metrics of the analysed calls per group (<c>call_analyses.talk</c>, written by the AI analysis when a transcript has speakers).</summary>
    private static Task<List<TalkRow>> QueryTalkAsync(SwitchboardDbContext db, string groupBy, Guid tenantId, string zone, DateTimeOffset start, DateTimeOffset end, CancellationToken ct) =>
        db.Database.SqlQuery<TalkRow>($"""
            select case when {groupBy} = 'day' then to_char((c.created_at at time zone {zone})::date, 'YYYY-MM-DD') else coalesce(c.agent_id::text, '') end as "Key",
                   count(*)::int as "Calls",
                   avg((a.talk ->> 'agentShare')::float8) as "AgentShare",
                   avg((a.talk ->> 'longestMonologueSeconds')::float8) as "LongestMonologueSeconds",
                   avg((a.talk ->> 'questionsAsked')::float8) as "QuestionsAsked"
            from calls c
            join call_analyses a on a.tenant_id = c.tenant_id and a.call_id = c.id
            where c.tenant_id = {tenantId} and c.direction = 'outbound' and c.created_at >= {start} and c.created_at < {end} and a.talk is not null
            group by 1
            """).ToListAsync(ct);

    /// <summary>The total's talk averages: each group's (unrounded) averages weighted by its analysed calls.</summary>
    private static TalkAverages? Weighted(IReadOnlyList<TalkRow> groups)
    {
        var calls = groups.Sum(g => g.Calls);
        if (calls == 0) return null;
        double Mean(Func<TalkRow, double> value) => groups.Sum(g => value(g) * g.Calls) / calls;
        return new TalkAverages(calls, Math.Round(Mean(g => g.AgentShare), 2), Math.Round(Mean(g => g.LongestMonologueSeconds), 1), Math.Round(Mean(g => g.QuestionsAsked), 1));
    }

    private static Task<List<DispositionRow>> QueryDispositionsAsync(SwitchboardDbContext db, string groupBy, Guid tenantId, string zone, DateTimeOffset start, DateTimeOffset end, CancellationToken ct) =>
        groupBy == ByDay
            ? db.Database.SqlQuery<DispositionRow>($"""
                select to_char((created_at at time zone {zone})::date, 'YYYY-MM-DD') as "Key", disposition as "Disposition", count(*)::int as "Count"
                from calls
                where tenant_id = {tenantId} and direction = 'outbound' and disposition is not null and created_at >= {start} and created_at < {end}
                group by 1, 2
                """).ToListAsync(ct)
            : db.Database.SqlQuery<DispositionRow>($"""
                select coalesce(agent_id::text, '') as "Key", disposition as "Disposition", count(*)::int as "Count"
                from calls
                where tenant_id = {tenantId} and direction = 'outbound' and disposition is not null and created_at >= {start} and created_at < {end}
                group by 1, 2
                """).ToListAsync(ct);

    private static async Task<Dictionary<Guid, string>> AgentNamesAsync(SwitchboardDbContext db, CancellationToken ct) =>
        (await (from m in db.Memberships.AsNoTracking()
                join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                select new { u.Id, u.FirstName, u.LastName, u.Email }).ToListAsync(ct))
        .ToDictionary(u => u.Id, u => $"{u.FirstName} {u.LastName}".Trim() is { Length: > 0 } name ? name : u.Email ?? "Unknown");

    private static Outcome<T> Relay<T>(Outcome<CallReport> outcome) => outcome switch
    {
        Outcome<CallReport>.Forbidden f => new Outcome<T>.Forbidden(f.Message),
        Outcome<CallReport>.Invalid i => new Outcome<T>.Invalid(i.Errors),
        _ => new Outcome<T>.NotFound(),
    };

    private sealed class TotalsRow
    {
        public required string Key { get; init; }
        public int Dials { get; init; }
        public int Connects { get; init; }
        public long TalkSeconds { get; init; }
    }

    private sealed class TalkRow
    {
        public required string Key { get; init; }
        public int Calls { get; init; }
        public double AgentShare { get; init; }
        public double LongestMonologueSeconds { get; init; }
        public double QuestionsAsked { get; init; }
    }

    private sealed class DispositionRow
    {
        public required string Key { get; init; }
        public required string Disposition { get; init; }
        public int Count { get; init; }
    }
}

public static class CallReportsApi
{
    public static IEndpointRouteBuilder MapCallReportsApi(this IEndpointRouteBuilder app)
    {
        var reports = app.MapTenantApi("/reports", "Reports");
        reports.MapGet("/calls", async ([AsParameters] CallReportQuery query, CallReports service, CancellationToken ct) =>
                (await service.BuildAsync(query, ct)).ToResult(value => Results.Ok(value)))
            .Produces<CallReport>()
            .ProducesValidationProblem()
            .WithSummary("Outbound call statistics from..to (tenant-local dates, at most 366 days), grouped by agent or day. Managers and admins.");
        reports.MapGet("/calls.csv", async ([AsParameters] CallReportQuery query, CallReports service, CancellationToken ct) =>
                (await service.ExportCsvAsync(query, ct)).ToResult(csv => Results.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", "calls-report.csv")))
            .Produces(200, contentType: "text/csv")
            .ProducesValidationProblem()
            .WithSummary("The same report as CSV (audited as report.downloaded).");
        return app;
    }
}
