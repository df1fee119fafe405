namespace Switchboard.Features.Retention;

/// <summary>The page's form: days as typed (blank keeps for ever).</summary>
public sealed class RetentionForm
{
    public string? RecordingsDays { get; set; }
    public string? TranscriptsDays { get; set; }
    public string? CallLogsDays { get; set; }
    public string? EmailBodiesDays { get; set; }
    public string? ClosedTicketsDays { get; set; }
    public string? DeletedRecordsDays { get; set; }
    public string? AuditEntriesDays { get; set; }
}

/// <summary>Settings → Data retention (administrators): how long each class of data is kept; the nightly run applies it.</summary>
public sealed class RetentionModel(RetentionSettingsService settings, TenantContext ctx) : AppPageModel
{
    [BindProperty] public RetentionForm Form { get; set; } = new();
    public RetentionSettingsDto Current { get; private set; } = null!;

    public static bool CanManage(TenantContext ctx) => RetentionSettingsService.CanManage(ctx);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await settings.GetAsync(ct) is not Outcome<RetentionSettingsDto>.Ok { Value: var current }) return Forbid();
        Current = current;
        Form = new RetentionForm
        {
            RecordingsDays = Text(current.RecordingsDays), TranscriptsDays = Text(current.TranscriptsDays), CallLogsDays = Text(current.CallLogsDays),
            EmailBodiesDays = Text(current.EmailBodiesDays), ClosedTicketsDays = Text(current.ClosedTicketsDays),
            DeletedRecordsDays = Text(current.DeletedRecordsDays), AuditEntriesDays = Text(current.AuditEntriesDays),
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return Forbid();
        var body = new RetentionSettingsWrite
        {
            RecordingsDays = Optional.WholeNumber(Form.RecordingsDays), TranscriptsDays = Optional.WholeNumber(Form.TranscriptsDays),
            CallLogsDays = Optional.WholeNumber(Form.CallLogsDays), EmailBodiesDays = Optional.WholeNumber(Form.EmailBodiesDays),
            ClosedTicketsDays = Optional.WholeNumber(Form.ClosedTicketsDays), DeletedRecordsDays = Optional.WholeNumber(Form.DeletedRecordsDays),
            AuditEntriesDays = Optional.WholeNumber(Form.AuditEntriesDays),
        };
        switch (await settings.PutAsync(body, ct))
        {
            case Outcome<RetentionSettingsDto>.Ok:
                Flash("The data retention was saved. The nightly run applies it.");
                return LocalRedirect("/settings/retention");
            case Outcome<RetentionSettingsDto>.Invalid invalid:
                ShowErrors(invalid.Errors);
                FormError = "The data retention was not saved: check the fields marked below.";
                Current = await settings.ReadAsync(ct);
                return Page();
            default:
                return Forbid();
        }
    }

    private static string? Text(int? days) => days?.ToString(CultureInfo.InvariantCulture);
}
