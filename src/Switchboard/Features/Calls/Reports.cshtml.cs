using Microsoft.AspNetCore.WebUtilities;

namespace Switchboard.Features.Calls;

public sealed class ReportsModel(CallReports reports, Dispositions dispositions, TenantContext ctx, TimeProvider clock) : AppPageModel
{
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? GroupBy { get; set; }

    public CallReport? Report { get; private set; }
    public CallReport? Daily { get; private set; }
    public CallReport? ByAgent { get; private set; }
    public TenantSettings? Tenant => ctx.Tenant;

    /// <summary>The tenant's label of each disposition code, for the table's columns.</summary>
    public IReadOnlyDictionary<string, string> DispositionLabels { get; private set; } = new Dictionary<string, string>();

    public string DispositionLabel(string code) => DispositionLabels.GetValueOrDefault(code) ?? Display.Label(code);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (ctx.TenantId is null || !CallReports.CanView(ctx)) return Forbid();
        ApplyDefaults();
        var daily = await reports.BuildAsync(Query(CallReports.ByDay), ct);
        if (daily is Outcome<CallReport>.Invalid invalid)
        {
            ShowErrors(invalid.Errors);
            return Page();
        }
        Daily = (daily as Outcome<CallReport>.Ok)?.Value;
        ByAgent = (await reports.BuildAsync(Query(CallReports.ByAgent), ct) as Outcome<CallReport>.Ok)?.Value;
        Report = GroupBy == CallReports.ByDay ? Daily : ByAgent;
        DispositionLabels = (await dispositions.ListAsync(ct)).ToDictionary(d => d.Code, d => d.Label);
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (ctx.TenantId is null || !CallReports.CanView(ctx)) return Forbid();
        ApplyDefaults();
        return await reports.ExportCsvAsync(Query(GroupBy), ct) switch
        {
            Outcome<string>.Ok ok => File(Encoding.UTF8.GetBytes(ok.Value), "text/csv; charset=utf-8", $"calls-{From}-{To}-by-{GroupBy}.csv"),
            Outcome<string>.Invalid => BadRequest(),
            _ => Forbid(),
        };
    }

    public string CsvLink => QueryHelpers.AddQueryString("/reports", new Dictionary<string, string?> { ["handler"] = "csv", ["from"] = From, ["to"] = To, ["groupBy"] = GroupBy });

    /// <summary>Chart data for reports.js, as JSON in a data attribute (no inline scripts under the CSP).</summary>
    public string DailyChart => Daily is null ? "{}" : JsonSerializer.Serialize(new
    {
        labels = Daily.Rows.Select(r => r.Key),
        dials = Daily.Rows.Select(r => r.Dials),
        connects = Daily.Rows.Select(r => r.Connects),
    });

    public string AgentChart => ByAgent is null ? "{}" : JsonSerializer.Serialize(new
    {
        labels = ByAgent.Rows.Select(r => r.AgentName),
        dials = ByAgent.Rows.Select(r => r.Dials),
        connects = ByAgent.Rows.Select(r => r.Connects),
        talkMinutes = ByAgent.Rows.Select(r => Math.Round(r.TalkSeconds / 60.0, 1)),
    });

    public static string Percent(double rate) => (rate * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    public static string Talk(long seconds) => seconds >= 3600 ? $"{seconds / 3600}h {seconds % 3600 / 60:00}m" : $"{seconds / 60}m {seconds % 60:00}s";

    private CallReportQuery Query(string? groupBy) => new(From, To, groupBy);

    private void ApplyDefaults()
    {
        var today = Platform.TimeZones.Today(clock.GetUtcNow(), Platform.TimeZones.FindOrUtc(ctx.Tenant?.TimeZone));
        if (string.IsNullOrWhiteSpace(To)) To = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (string.IsNullOrWhiteSpace(From)) From = today.AddDays(-6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        GroupBy = GroupBy == CallReports.ByDay ? CallReports.ByDay : CallReports.ByAgent;
    }
}
