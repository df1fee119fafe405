using Switchboard.Features.Accounts;
using Switchboard.Features.Activities;
using Switchboard.Features.Calls;
using Switchboard.Features.Contacts;
using Switchboard.Features.Dialer;
using Switchboard.Features.Floor;
using Switchboard.Features.Leads;
using Switchboard.Features.Modules;
using Switchboard.Features.Opportunities;

namespace Switchboard.Features.Home;

/// <summary>
/// The numbers of the home page, for the caller's role (docs/HOME.md). Every number reuses the definition of the
/// page it comes from: calls from <see cref="CallReports"/> (and <see cref="FloorBoard"/> for the team today), callable
/// counts from the dialer's <see cref="CallableTargets"/>; the rest is aggregated in SQL on indexed columns, in a fixed
/// number of queries whatever the size of the team (one set per dialer queue of the agent's, at most <see cref="MaxQueues"/>).
/// </summary>
// Wide on purpose: database, tenant and clock are ambient; each other dependency feeds one panel of the page (calls,
// dispositions, queues, modules).
[Scoped]
public sealed class HomeDashboard(
    SwitchboardDbContext db, TenantContext ctx, TimeProvider clock, CallReports reports, Dispositions dispositions,
    DialerQueues queues, ModuleSettings modules)
{
    public const int MaxDueItems = 50;
    public const int MaxQueues = 8;
    public const int ForecastMonths = 6;
    public const int ConnectRateDays = 30;

    /// <summary>Managers and admins see the team's numbers; everyone else (agents, read-only members) their own.</summary>
    public static bool SeesTeam(TenantContext ctx) => CallReports.CanView(ctx);

    private System.TimeZoneInfo Zone => Platform.TimeZones.FindOrUtc(ctx.Tenant?.TimeZone);

    public async Task<Outcome<HomeDto>> BuildAsync(CancellationToken ct)
    {
        if (ctx.TenantId is null || ctx.UserId is null) return new Outcome<HomeDto>.Forbidden("Select a tenant first.");
        var zone = Zone;
        var now = clock.GetUtcNow();
        var today = Platform.TimeZones.Today(now, zone);
        var start = Platform.TimeZones.StartOfDayUtc(today, zone);
        var end = Platform.TimeZones.StartOfDayUtc(today.AddDays(1), zone);

        if (SeesTeam(ctx))
        {
            var team = await TeamAsync(today, ct);
            return new HomeDto(HomeDto.TeamView, today, zone.Id, team.Today, null, null, team.Team);
        }

        var own = HomeCalls.Of(await reports.OwnTotalsAsync(start, end, ct));
        var due = await DueAsync(now, start, end, ct);
        var ownQueues = CallService.CanCall(ctx) ? await QueuesAsync(ct) : null;
        return new HomeDto(HomeDto.AgentView, today, zone.Id, own, due, ownQueues, null);
    }

    // ---- Agent: what is due today ----

    private async Task<IReadOnlyList<HomeDueItem>> DueAsync(DateTimeOffset now, DateTimeOffset startOfToday, DateTimeOffset endOfToday, CancellationToken ct)
    {
        var callbacks = await CallbacksDueAsync(startOfToday, endOfToday, ct);
        var tasks = await modules.IsEnabledAsync(ModuleNames.Activities, ct) ? await TasksDueAsync(startOfToday, endOfToday, ct) : [];
        return callbacks.Concat(tasks).OrderBy(i => i.DueAt).ThenBy(i => i.Title, StringComparer.OrdinalIgnoreCase).Take(MaxDueItems).ToList();
    }

    /// <summary>
    /// The caller's lead callbacks due by the end of today (overdue ones included), from the lead's <c>callback_at</c>.
    /// Each also has its callback task (ADR 0034), which keeps <c>callback_at</c> in step (moved, completed, canceled),
    /// so <see cref="TasksDueAsync"/> leaves out callback tasks about leads: one line per callback.
    /// </summary>
    private async Task<IReadOnlyList<HomeDueItem>> CallbacksDueAsync(DateTimeOffset startOfToday, DateTimeOffset endOfToday, CancellationToken ct)
    {
        var self = ctx.RequiredUserId;
        var leads = await db.Leads.AsNoTracking()
            .Where(l => l.OwnerId == self && l.CallbackAt != null && l.CallbackAt < endOfToday)
            .OrderBy(l => l.CallbackAt).Take(MaxDueItems)
            .Select(l => new { l.Id, l.FirstName, l.LastName, l.Company, l.Phone, l.DoNotCall, CallbackAt = l.CallbackAt!.Value })
            .ToListAsync(ct);
        var canCall = CallService.CanCall(ctx);
        return leads.Select(l =>
        {
            var name = Display.FullName(l.FirstName, l.LastName) is { Length: > 0 } full ? full : l.Company ?? "Lead";
            return new HomeDueItem("callback", l.Id, $"Call back {name}", l.CallbackAt, l.CallbackAt < startOfToday, null,
                "lead", l.Id, name, l.Phone, $"/leads/{l.Id}", canCall && l.Phone is not null && !l.DoNotCall ? $"/leads/{l.Id}?handler=Call" : null);
        }).ToList();
    }

    /// <summary>The caller's pending tasks due by the end of today, with the record each is about (name, phone) when the caller may see it.</summary>
    private async Task<IReadOnlyList<HomeDueItem>> TasksDueAsync(DateTimeOffset startOfToday, DateTimeOffset endOfToday, CancellationToken ct)
    {
        var self = ctx.RequiredUserId;
        var tasks = await db.Set<Activity>().AsNoTracking()
            .Where(a => a.AssigneeId == self && a.Status == ActivityStatuses.Pending && a.Type == ActivityTypes.Task && a.DueAt != null && a.DueAt < endOfToday)
            .Where(a => !(a.CallId != null && a.RelatedType == "lead")) // shown as the lead's callback (CallbacksDueAsync)
            .OrderBy(a => a.DueAt).Take(MaxDueItems)
            .Select(a => new { a.Id, a.Subject, DueAt = a.DueAt!.Value, a.Priority, a.RelatedType, a.RelatedId })
            .ToListAsync(ct);

        List<Guid> Related(string type) => tasks.Where(t => t.RelatedType == type && t.RelatedId is not null).Select(t => t.RelatedId!.Value).Distinct().ToList();
        var records = new Dictionary<(string, Guid), (string Name, string? Phone, bool CanCall)>();
        var canCall = CallService.CanCall(ctx);
        if (Related("lead") is { Count: > 0 } leadIds)
            foreach (var l in await db.Leads.AsNoTracking().VisibleTo(ctx).Where(l => leadIds.Contains(l.Id))
                         .Select(l => new { l.Id, l.FirstName, l.LastName, l.Company, l.Phone, l.DoNotCall, l.OwnerId }).ToListAsync(ct))
                records[("lead", l.Id)] = (Display.FullName(l.FirstName, l.LastName) is { Length: > 0 } n ? n : l.Company ?? "Lead", l.Phone,
                    canCall && !l.DoNotCall && RecordPermissions.CanEdit(ctx, l.OwnerId));
        if (Related("contact") is { Count: > 0 } contactIds)
            foreach (var c in await db.Set<Contact>().AsNoTracking().VisibleTo(ctx).Where(c => contactIds.Contains(c.Id))
                         .Select(c => new { c.Id, c.FirstName, c.LastName, c.Phones, c.OwnerId }).ToListAsync(ct))
                records[("contact", c.Id)] = (Display.FullName(c.FirstName, c.LastName), c.Phones.FirstOrDefault(), canCall && RecordPermissions.CanEdit(ctx, c.OwnerId));
        if (Related("account") is { Count: > 0 } accountIds)
            foreach (var a in await db.Set<Account>().AsNoTracking().VisibleTo(ctx).Where(a => accountIds.Contains(a.Id)).Select(a => new { a.Id, a.Name }).ToListAsync(ct))
                records[("account", a.Id)] = (a.Name, null, false);
        if (Related("opportunity") is { Count: > 0 } opportunityIds)
            foreach (var o in await db.Set<Opportunity>().AsNoTracking().VisibleTo(ctx).Where(o => opportunityIds.Contains(o.Id)).Select(o => new { o.Id, o.Name }).ToListAsync(ct))
                records[("opportunity", o.Id)] = (o.Name, null, false);

        return tasks.Select(t =>
        {
            var found = t.RelatedType is { } type && t.RelatedId is { } id && records.TryGetValue((type, id), out var r) ? r : ((string Name, string? Phone, bool CanCall)?)null;
            var url = found is not null ? $"{RecordPath(t.RelatedType!)}/{t.RelatedId}" : "/tasks";
            var callUrl = found is { CanCall: true, Phone: not null } && t.RelatedType is "lead" or "contact" ? $"{url}?handler=Call" : null;
            return new HomeDueItem("task", t.Id, t.Subject, t.DueAt, t.DueAt < startOfToday, t.Priority,
                found is null ? null : t.RelatedType, found is null ? null : t.RelatedId, found?.Name, found?.Phone, url, callUrl);
        }).ToList();
    }

    private static string RecordPath(string type) => type switch
    {
        "lead" => "/leads",
        "contact" => "/contacts",
        "account" => "/accounts",
        _ => "/opportunities",
    };

    // ---- Agent: dialer queues ----

    /// <summary>
    /// The caller's queues with the leads callable now: the dialer's own filter (<see cref="DialerQueues"/>) narrowed by
    /// the compliance rules it serves by (<see cref="CallableTargets"/>), and when the next opens if none is callable.
    /// </summary>
    private async Task<IReadOnlyList<HomeQueue>> QueuesAsync(CancellationToken ct)
    {
        var own = (await queues.ListOwnAsync(ct)).Take(MaxQueues).ToList();
        if (own.Count == 0) return [];
        var compliance = await queues.ComplianceAsync(ct);
        var result = new List<HomeQueue>(own.Count);
        foreach (var queue in own)
        {
            var applied = await compliance.ApplyAsync(queues.Matching(queue.Filter, queue.Id), ct);
            var callable = await applied.Callable.CountAsync(ct);
            var next = callable == 0 && applied.Skipped.Total > 0 ? await compliance.NextAsync(applied, ct) : null;
            result.Add(new HomeQueue(queue.Id, queue.Name, callable, applied.Skipped.Total, next));
        }
        return result;
    }

    // ---- Team ----

    private async Task<(HomeCalls Today, HomeTeam Team)> TeamAsync(DateOnly today, CancellationToken ct)
    {
        var floor = await new FloorBoard(db, ctx, reports, dispositions, clock).SnapshotAsync(ct);
        var agents = floor?.Agents
            .Select(a => new HomeAgent(a.UserId, a.Name, a.State, a.Since, HomeCalls.Of(a.Today)))
            .OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ToList() ?? [];
        var pipeline = await modules.IsEnabledAsync(ModuleNames.Opportunities, ct) ? await PipelineAsync(today, ct) : null;

        var from = today.AddDays(1 - ConnectRateDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var daily = await reports.BuildAsync(new CallReportQuery(from, to, CallReports.ByDay), ct) is Outcome<CallReport>.Ok ok ? ok.Value.Rows : [];
        var connectRate = daily.Select(r => new HomeConnectDay(r.Day!.Value, r.Dials, r.Connects, r.ConnectRate)).ToList();

        var total = floor?.Total is { } t ? HomeCalls.Of(t) : new HomeCalls(0, 0, 0, 0);
        return (total, new HomeTeam(agents, pipeline, connectRate));
    }

    private async Task<HomePipeline> PipelineAsync(DateOnly today, CancellationToken ct)
    {
        var tenantId = ctx.RequiredTenantId;
        var currency = ctx.Tenant?.Currency ?? "USD";
        var zone = Zone;
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var closedFrom = Platform.TimeZones.StartOfDayUtc(monthStart, zone);
        var closedTo = Platform.TimeZones.StartOfDayUtc(monthStart.AddMonths(1), zone);
        var forecastEnd = monthStart.AddMonths(ForecastMonths);

        var stages = await db.Database.SqlQuery<StageRow>($"""
            select s.pipeline_id as "PipelineId", p.name as "Pipeline", s.id as "StageId", s.name as "Stage", s.probability as "Probability",
                   count(o.id)::int as "Count",
                   coalesce(sum(o.amount) filter (where o.currency = {currency}), 0)::numeric as "Amount",
                   coalesce(sum(o.amount * o.probability / 100.0) filter (where o.currency = {currency}), 0)::numeric as "Weighted",
                   count(o.id) filter (where o.currency <> {currency})::int as "OtherCurrency"
            from pipeline_stages s
            join pipelines p on p.tenant_id = s.tenant_id and p.id = s.pipeline_id
            left join opportunities o on o.tenant_id = s.tenant_id and o.pipeline_id = s.pipeline_id and o.stage_id = s.id
            where s.tenant_id = {tenantId} and s.kind = 'open'
            group by s.pipeline_id, p.name, p.is_default, p.position, s.id, s.name, s.position, s.probability
            order by p.is_default desc, p.position, p.name, s.position
            """).ToListAsync(ct);

        var closed = await db.Database.SqlQuery<ClosedRow>($"""
            select s.kind as "Kind", count(*)::int as "Count",
                   coalesce(sum(o.amount) filter (where o.currency = {currency}), 0)::numeric as "Amount"
            from opportunities o
            join pipeline_stages s on s.tenant_id = o.tenant_id and s.pipeline_id = o.pipeline_id and s.id = o.stage_id
            where o.tenant_id = {tenantId} and o.closed_at is not null and o.closed_at >= {closedFrom} and o.closed_at < {closedTo}
              and s.kind in ('won', 'lost')
            group by s.kind
            """).ToListAsync(ct);

        var forecast = await db.Database.SqlQuery<ForecastRow>($"""
            select case when o.expected_close < {monthStart} then 'overdue' else to_char(o.expected_close, 'YYYY-MM') end as "Month",
                   count(*)::int as "Count",
                   coalesce(sum(o.amount) filter (where o.currency = {currency}), 0)::numeric as "Amount",
                   coalesce(sum(o.amount * o.probability / 100.0) filter (where o.currency = {currency}), 0)::numeric as "Weighted"
            from opportunities o
            join pipeline_stages s on s.tenant_id = o.tenant_id and s.pipeline_id = o.pipeline_id and s.id = o.stage_id
            where o.tenant_id = {tenantId} and o.closed_at is null and o.expected_close is not null and o.expected_close < {forecastEnd}
              and s.kind = 'open'
            group by 1
            """).ToListAsync(ct);

        var byMonth = forecast.ToDictionary(f => f.Month);
        var months = new List<HomeForecastMonth>();
        if (byMonth.GetValueOrDefault(HomeForecastMonth.Overdue) is { } overdue)
            months.Add(new HomeForecastMonth(HomeForecastMonth.Overdue, overdue.Count, Round(overdue.Amount), Round(overdue.Weighted)));
        for (var i = 0; i < ForecastMonths; i++)
        {
            var key = monthStart.AddMonths(i).ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var row = byMonth.GetValueOrDefault(key);
            months.Add(new HomeForecastMonth(key, row?.Count ?? 0, Round(row?.Amount ?? 0), Round(row?.Weighted ?? 0)));
        }

        var won = closed.SingleOrDefault(c => c.Kind == StageKinds.Won);
        var lost = closed.SingleOrDefault(c => c.Kind == StageKinds.Lost);
        return new HomePipeline(
            currency,
            stages.Select(s => new HomeStage(s.PipelineId, s.Pipeline, s.StageId, s.Stage, s.Probability, s.Count, Round(s.Amount), Round(s.Weighted))).ToList(),
            new HomeClosed(won?.Count ?? 0, Round(won?.Amount ?? 0), lost?.Count ?? 0, Round(lost?.Amount ?? 0)),
            months, stages.Sum(s => s.OtherCurrency));
    }

    private static decimal Round(decimal value) => decimal.Round(value, 2);

    private sealed class StageRow
    {
        public Guid PipelineId { get; init; }
        public required string Pipeline { get; init; }
        public Guid StageId { get; init; }
        public required string Stage { get; init; }
        public int Probability { get; init; }
        public int Count { get; init; }
        public decimal Amount { get; init; }
        public decimal Weighted { get; init; }
        public int OtherCurrency { get; init; }
    }

    private sealed class ClosedRow
    {
        public required string Kind { get; init; }
        public int Count { get; init; }
        public decimal Amount { get; init; }
    }

    private sealed class ForecastRow
    {
        public required string Month { get; init; }
        public int Count { get; init; }
        public decimal Amount { get; init; }
        public decimal Weighted { get; init; }
    }
}
