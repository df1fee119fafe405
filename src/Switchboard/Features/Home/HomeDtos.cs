using Switchboard.Features.Calls;
using Switchboard.Features.Dialer;

namespace Switchboard.Features.Home;

/// <summary>Outbound calls of one tenant-local day: the report's dials, connects and talk time (<see cref="CallReports"/>).</summary>
public sealed record HomeCalls(int Dials, int Connects, double ConnectRate, long TalkSeconds)
{
    public static HomeCalls Of(CallReportRow row) => new(row.Dials, row.Connects, row.ConnectRate, row.TalkSeconds);
}

/// <summary>
/// Something due by the end of the tenant's today: a lead's scheduled callback (<c>callback</c>) or a pending task
/// (<c>task</c>). <see cref="CallUrl"/> is the record page's click-to-call form action, when the record has a phone and
/// the caller may call; <see cref="Url"/> opens the record (or My tasks).
/// </summary>
public sealed record HomeDueItem(
    string Kind, Guid Id, string Title, DateTimeOffset DueAt, bool Overdue, string? Priority,
    string? RecordType, Guid? RecordId, string? RecordName, string? Phone, string Url, string? CallUrl);

/// <summary>One of the caller's dialer queues: leads callable now, those the compliance guard would block now, and when the next opens.</summary>
public sealed record HomeQueue(Guid Id, string Name, int Callable, int Blocked, NextCallable? Next);

/// <summary>An agent on the team today: presence now and today's calls.</summary>
public sealed record HomeAgent(Guid UserId, string Name, string Presence, DateTimeOffset? PresenceSince, HomeCalls Today);

/// <summary>An open stage of a pipeline: its deals, their amount and weighted amount (amount × the deal's probability).</summary>
public sealed record HomeStage(Guid PipelineId, string Pipeline, Guid StageId, string Stage, int Probability, int Count, decimal Amount, decimal Weighted);

/// <summary>Deals closed this month (tenant's month), by outcome.</summary>
public sealed record HomeClosed(int Won, decimal WonAmount, int Lost, decimal LostAmount)
{
    public double WinRate => Won + Lost == 0 ? 0 : Math.Round((double)Won / (Won + Lost), 4);
}

/// <summary>Open deals expected to close in a month (<c>yyyy-MM</c>), or before this month (<see cref="HomeForecastMonth.Overdue"/>).</summary>
public sealed record HomeForecastMonth(string Month, int Count, decimal Amount, decimal Weighted)
{
    public const string Overdue = "overdue";
}

public sealed record HomeConnectDay(DateOnly Day, int Dials, int Connects, double ConnectRate);

/// <summary>
/// The pipeline part of the team view. Amounts are in the tenant's <see cref="Currency"/>; deals in other currencies
/// are counted but not summed (<see cref="OtherCurrencyDeals"/>).
/// </summary>
public sealed record HomePipeline(
    string Currency, IReadOnlyList<HomeStage> Stages, HomeClosed ClosedThisMonth, IReadOnlyList<HomeForecastMonth> Forecast, int OtherCurrencyDeals)
{
    public int OpenDeals => Stages.Sum(s => s.Count);
    public decimal OpenAmount => Stages.Sum(s => s.Amount);
    public decimal WeightedAmount => Stages.Sum(s => s.Weighted);
}

/// <summary>The manager's and admin's view: the team today, the pipeline, and the connect rate of the last 30 days.</summary>
public sealed record HomeTeam(IReadOnlyList<HomeAgent> Agents, HomePipeline? Pipeline, IReadOnlyList<HomeConnectDay> ConnectRate);

/// <summary>
/// The home page's numbers (GET /api/v1/home). <see cref="View"/> is <c>agent</c> (own calls, what is due, own queues)
/// or <c>team</c> (managers and admins: <see cref="Team"/>, and <see cref="Today"/> is the whole team's).
/// </summary>
public sealed record HomeDto(
    string View, DateOnly Day, string TimeZone, HomeCalls Today,
    IReadOnlyList<HomeDueItem>? Due, IReadOnlyList<HomeQueue>? Queues, HomeTeam? Team)
{
    public const string AgentView = "agent";
    public const string TeamView = "team";
}
