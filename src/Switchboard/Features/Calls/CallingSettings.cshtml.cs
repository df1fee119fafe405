using System.Text.Json.Nodes;

namespace Switchboard.Features.Calls;

public sealed class DayHoursForm
{
    public string? Start { get; set; }
    public string? End { get; set; }
    public bool Closed { get; set; }
}

public sealed class CallingForm
{
    public Dictionary<string, DayHoursForm> Hours { get; set; } = [];
    public string? MaxAttemptsPerDay { get; set; }
    public string? InboundOwnerRule { get; set; }
    public string? InboundNoAgent { get; set; }
    public string? CallScript { get; set; }
    public string? WrapUpMaxSeconds { get; set; }
    public string? AutoDialSeconds { get; set; }
}

public sealed class CallingModel(CallingSettingsService settings, TenantContext ctx) : AppPageModel
{
    public static readonly string[] Days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    [BindProperty] public CallingForm Form { get; set; } = new();

    /// <summary>The merge field names, for the editor's live check of what is typed.</summary>
    public static string MergeFieldNames => JsonSerializer.Serialize(CallScript.Fields.Select(f => f.Name));

    /// <summary>Placeholders the script has that are not merge fields: they are shown to agents as typed.</summary>
    public string? UnknownFieldsWarning => CallScript.UnknownFields(Form.CallScript) is { Count: > 0 } unknown
        ? $"Not a merge field, so agents will see it as typed: {string.Join(", ", unknown)}."
        : null;

    public DayHoursForm Day(string day) => Form.Hours.GetValueOrDefault(day) ?? new DayHoursForm { Closed = true };

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        var current = await settings.GetAsync(ct);
        Form = new CallingForm
        {
            Hours = Days.ToDictionary(day => day, day => current.CallingHours.TryGetProperty(day, out var hours) && hours.ValueKind == JsonValueKind.Object
                ? new DayHoursForm { Start = hours.GetProperty("start").GetString(), End = hours.GetProperty("end").GetString() }
                : new DayHoursForm { Closed = true }),
            MaxAttemptsPerDay = current.MaxAttemptsPerDay.ToString(System.Globalization.CultureInfo.InvariantCulture),
            InboundOwnerRule = current.InboundOwnerRule,
            InboundNoAgent = current.InboundNoAgent,
            CallScript = current.CallScript,
            WrapUpMaxSeconds = current.WrapUpMaxSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            AutoDialSeconds = current.AutoDialSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        switch (await settings.UpdateAsync(ToPatch(), ct))
        {
            case Outcome<CallingSettingsDto>.Ok:
                Flash("Calling rules were saved.");
                return LocalRedirect("/settings/calling");
            case Outcome<CallingSettingsDto>.Invalid invalid:
                ShowErrors(invalid.Errors);
                FormError = "The calling rules were not saved: check the fields marked below.";
                return Page();
            default:
                return Forbid();
        }
    }

    /// <summary>All seven days (the service requires them so a typo cannot open or close a day); a closed day is null.</summary>
    private CallingSettingsWrite ToPatch()
    {
        var hours = new JsonObject();
        foreach (var day in Days)
        {
            var posted = Day(day);
            hours[day] = posted.Closed ? null : new JsonObject { ["start"] = posted.Start ?? "", ["end"] = posted.End ?? "" };
        }
        return new CallingSettingsWrite
        {
            CallingHours = Optional.Of<JsonElement?>(JsonSerializer.SerializeToElement(hours)),
            MaxAttemptsPerDay = Optional.WholeNumber(Form.MaxAttemptsPerDay),
            WrapUpMaxSeconds = Optional.WholeNumber(Form.WrapUpMaxSeconds),
            AutoDialSeconds = Optional.WholeNumber(Form.AutoDialSeconds),
            InboundOwnerRule = Optional.Text(Form.InboundOwnerRule),
            InboundNoAgent = Optional.Text(Form.InboundNoAgent),
            CallScript = Optional.Text(Form.CallScript),
        };
    }

    private bool CanManage() => ctx.TenantId is not null && CallingSettingsService.CanManage(ctx);
}
