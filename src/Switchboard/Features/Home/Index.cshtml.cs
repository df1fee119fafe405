namespace Switchboard.Features.Home;

/// <summary>
/// The home page (docs/HOME.md): an agent's day (calls, what is due, dialer queues), or for managers and admins the
/// team's day and the pipeline. A superadmin who has not entered a tenant goes to the tenants list.
/// </summary>
public sealed class IndexModel(HomeDashboard home, TenantContext ctx, SwitchboardDbContext db) : AppPageModel
{
    public HomeDto Home { get; private set; } = null!;
    public TenantSettings? Tenant => ctx.Tenant;
    public string FirstName { get; private set; } = "";
    public DateTimeOffset LocalNow { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (ctx.TenantId is null) return ctx.IsSuperadmin ? LocalRedirect("/tenants") : LocalRedirect("/leads");
        if (await home.BuildAsync(ct) is not Outcome<HomeDto>.Ok ok) return Forbid();
        Home = ok.Value;
        var self = ctx.RequiredUserId;
        FirstName = await db.Users.AsNoTracking().Where(u => u.Id == self).Select(u => u.FirstName).SingleOrDefaultAsync(ct) ?? "";
        return Page();
    }

    public bool IsTeam => Home.View == HomeDto.TeamView;

    public string DayLabel => Home.Day.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);

    // ---- formatting ----

    public static string Percent(double rate) => (rate * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    public static string Talk(long seconds) => seconds >= 3600 ? $"{seconds / 3600}h {seconds % 3600 / 60:00}m" : $"{seconds / 60}m {seconds % 60:00}s";

    public static string Money(decimal amount) => amount.ToString("N0", CultureInfo.InvariantCulture);

    public string Time(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, Platform.TimeZones.FindOrUtc(Home.TimeZone)).ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>"Overdue · Mon 30 Nov 14:00" or "14:00" for today.</summary>
    public string When(HomeDueItem item)
    {
        var local = TimeZoneInfo.ConvertTime(item.DueAt, Platform.TimeZones.FindOrUtc(Home.TimeZone));
        return item.Overdue ? local.ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture) : local.ToString("HH:mm", CultureInfo.InvariantCulture);
    }

    public static string MonthLabel(string month) =>
        month == HomeForecastMonth.Overdue ? "Past due"
        : DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d.ToString("MMM yyyy", CultureInfo.InvariantCulture)
        : month;

    public static string StageLabel(HomeStage stage, bool manyPipelines) => manyPipelines ? $"{stage.Pipeline} · {stage.Stage}" : stage.Stage;

    // ---- chart series for home.js (JSON in data attributes: no inline scripts under the CSP) ----

    public string PipelineChart(HomePipeline pipeline)
    {
        var many = pipeline.Stages.Select(s => s.PipelineId).Distinct().Count() > 1;
        return JsonSerializer.Serialize(new
        {
            labels = pipeline.Stages.Select(s => StageLabel(s, many)),
            amount = pipeline.Stages.Select(s => s.Amount),
            weighted = pipeline.Stages.Select(s => s.Weighted),
            counts = pipeline.Stages.Select(s => s.Count),
            currency = pipeline.Currency,
        });
    }

    public static string ForecastChart(HomePipeline pipeline) => JsonSerializer.Serialize(new
    {
        labels = pipeline.Forecast.Select(m => MonthLabel(m.Month)),
        amount = pipeline.Forecast.Select(m => m.Amount),
        weighted = pipeline.Forecast.Select(m => m.Weighted),
        currency = pipeline.Currency,
    });

    public static string ConnectChart(HomeTeam team) => JsonSerializer.Serialize(new
    {
        labels = team.ConnectRate.Select(d => d.Day.ToString("d MMM", CultureInfo.InvariantCulture)),
        // A day without dials has no rate (a gap in the line), not 0%.
        rate = team.ConnectRate.Select(d => d.Dials == 0 ? (double?)null : Math.Round(d.ConnectRate * 100, 1)),
        dials = team.ConnectRate.Select(d => d.Dials),
    });

    public static string TeamChart(HomeTeam team) => JsonSerializer.Serialize(new
    {
        labels = team.Agents.Select(a => a.Name),
        dials = team.Agents.Select(a => a.Today.Dials),
        connects = team.Agents.Select(a => a.Today.Connects),
    });
}
