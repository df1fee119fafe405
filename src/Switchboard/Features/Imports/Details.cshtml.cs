namespace Switchboard.Features.Imports;

/// <summary>The draft's options next to the mapping. Each column's field is posted as <c>map-{index}</c> ("" = don't import).</summary>
public sealed class DraftForm
{
    public string? Mode { get; set; }
    public string? MatchOn { get; set; }
    public string? Encoding { get; set; }
    public string? Delimiter { get; set; }
}

/// <summary>
/// One import through the wizard: while it is a draft, the column mapping and a preview of the first rows with the
/// cells that will fail; then live progress (<c>?handler=Status</c>, polled by imports.js), the result with the
/// error CSV, and undo.
/// </summary>
public sealed class DetailsModel(ImportService imports, ImportReports reports, ImportTargets targets, TenantContext ctx) : AppPageModel
{
    public const int PreviewRows = 10;
    public const string MapPrefix = "map-";
    /// <summary>The value mapping step posts, per unknown value k: its field (<c>vf-k</c>), the value (<c>vv-k</c>) and the choice (<c>vs-k</c>).</summary>
    public const string ValueFieldPrefix = "vf-", ValuePrefix = "vv-", ValueChoicePrefix = "vs-";
    /// <summary>The choice "leave empty" (the value mapping's null); "" is "not mapped", so the rows fail.</summary>
    public const string LeaveEmpty = ":empty";

    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty] public DraftForm Draft { get; set; } = new();

    public ImportDto Import { get; private set; } = null!;
    public ImportPreviewDto? Preview { get; private set; }
    /// <summary>What each column's select shows: the saved mapping, or what was posted when it could not be used.</summary>
    public IReadOnlyDictionary<string, string?> Chosen { get; private set; } = new Dictionary<string, string?>();
    public TenantSettings? Tenant => ctx.Tenant;
    public ImportTarget Target => targets.ForEntity(Import.Entity);
    public bool IsDraft => Import.Status == ImportStatuses.Uploaded;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await LoadAsync(ct) ?? await PageAsync(keepPosted: false, ct);

    /// <summary>The status card alone, for the live progress poll.</summary>
    public async Task<IActionResult> OnGetStatusAsync(CancellationToken ct) =>
        await LoadAsync(ct) ?? Partial("_Status", this);

    /// <summary>The rows that were not imported, as CSV (the API's report, for the signed-in browser).</summary>
    public async Task<IActionResult> OnGetErrorsAsync(CancellationToken ct)
    {
        if (!CanImport()) return Forbid();
        switch (await reports.ErrorsCsvAsync(Id, ct))
        {
            case Outcome<Func<Stream, CancellationToken, Task>>.Ok ok:
                Response.ContentType = "text/csv; charset=utf-8";
                Response.Headers.ContentDisposition = $"attachment; filename=\"import-{Id:N}-errors.csv\"";
                await ok.Value(Response.Body, ct);
                return new EmptyResult();
            case Outcome<Func<Stream, CancellationToken, Task>>.Forbidden:
                return Forbid();
            default:
                return NotFound();
        }
    }

    /// <summary>"Update preview": saves the mapping and options, then shows the preview with them.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused) return refused;
        if (!IsDraft) return LocalRedirect($"/imports/{Id}");
        var (outcome, reread) = await SaveDraftAsync(ct);
        if (outcome is Outcome<ImportDto>.Ok)
        {
            if (reread) Flash("The file was read again with the new format; check the mapping.", FlashKind.Info);
            return LocalRedirect($"/imports/{Id}");
        }
        if (outcome is Outcome<ImportDto>.Conflict) return Moved(outcome);
        if (!ShowProblem(outcome)) return NotFound();
        return await PageAsync(keepPosted: true, ct);
    }

    /// <summary>"Start import": saves the mapping and options, then queues the run; what stops it is shown on the form.</summary>
    public async Task<IActionResult> OnPostStartAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is { } refused) return refused;
        if (!IsDraft) return LocalRedirect($"/imports/{Id}");
        var (saved, reread) = await SaveDraftAsync(ct);
        if (saved is Outcome<ImportDto>.Ok && reread)
        {
            Flash("The file was read again with the new format. Check the mapping and the preview, then start the import.", FlashKind.Info);
            return LocalRedirect($"/imports/{Id}");
        }
        var outcome = saved is Outcome<ImportDto>.Ok ? await imports.StartAsync(Id, ct) : saved;
        if (outcome is Outcome<ImportDto>.Ok) return LocalRedirect($"/imports/{Id}");
        if (outcome is Outcome<ImportDto>.Conflict) return Moved(outcome);
        if (!ShowProblem(outcome)) return NotFound();
        if (await LoadAsync(ct) is { } gone) return gone;
        return await PageAsync(keepPosted: saved is not Outcome<ImportDto>.Ok, ct);
    }

    public async Task<IActionResult> OnPostUndoAsync([FromServices] ImportUndo undo, CancellationToken ct)
    {
        if (!CanImport()) return Forbid();
        switch (await undo.UndoAsync(Id, ct))
        {
            case Outcome<ImportDto>.Ok { Value.Undo: var result }:
                Flash(result is null ? "The import was undone." : $"The import was undone: {UndoText(result)}");
                break;
            case Outcome<ImportDto>.Conflict conflict:
                Flash(conflict.Message, FlashKind.Error);
                break;
            case Outcome<ImportDto>.Forbidden:
                return Forbid();
            default:
                return NotFound();
        }
        return LocalRedirect($"/imports/{Id}");
    }

    public static string UndoText(ImportUndoResult result) =>
        $"{Count(result.Deleted, "record")} deleted, {Count(result.Restored, "record")} restored" +
        (result.KeptChanged > 0 ? $", {Count(result.KeptChanged, "record")} kept because {(result.KeptChanged == 1 ? "it" : "they")} changed after the import." : ".");

    public static string Count(int n, string noun) => $"{n:N0} {noun}{(n == 1 ? "" : "s")}";

    /// <summary>What the phase means to a person watching the bar.</summary>
    public static string PhaseText(ImportDto import) => import.Status switch
    {
        ImportStatuses.Queued => "Waiting to start…",
        _ => import.Phase == ImportRunner.Merging ? "Writing records…" : "Reading the file…",
    };

    /// <summary>Null when the import can be shown; otherwise the answer (refused, or not found in this tenant).</summary>
    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        if (!CanImport()) return Forbid();
        switch (await imports.FindAsync(Id, ct))
        {
            case Outcome<ImportDto>.Ok ok:
                Import = ok.Value;
                Chosen = ok.Value.Mapping;
                return null;
            case Outcome<ImportDto>.Forbidden:
                return Forbid();
            default:
                return NotFound();
        }
    }

    private async Task<IActionResult> PageAsync(bool keepPosted, CancellationToken ct)
    {
        if (keepPosted) Chosen = PostedMapping();
        else Draft = new DraftForm { Mode = Import.Mode, MatchOn = string.Join(",", Import.MatchOn), Encoding = Import.Encoding, Delimiter = Import.Delimiter };
        if (IsDraft)
        {
            var preview = await reports.PreviewAsync(Id, PreviewRows, ct);
            if (preview is Outcome<ImportPreviewDto>.Ok ok) Preview = ok.Value;
            else if (preview is Outcome<ImportPreviewDto>.NotFound) return NotFound();
        }
        return Page();
    }

    /// <summary>Saves the draft. A changed encoding or delimiter re-reads the file, so the mapping is suggested afresh.</summary>
    private async Task<(Outcome<ImportDto> Outcome, bool Reread)> SaveDraftAsync(CancellationToken ct)
    {
        var reread = (Draft.Encoding is { Length: > 0 } encoding && encoding != Import.Encoding)
                     || (Draft.Delimiter is { Length: > 0 } delimiter && delimiter != Import.Delimiter);
        var mapping = reread ? null : JsonSerializer.Serialize(PostedMapping());
        var values = reread ? null : PostedValueMapping();
        var options = new ImportOptions(null, Draft.Mode, Draft.MatchOn ?? "", mapping,
            reread ? Draft.Encoding : null, reread ? Draft.Delimiter : null, Start: false,
            values is { Count: > 0 } ? JsonSerializer.Serialize(values) : null);
        return (await imports.UpdateDraftAsync(Id, options, ct), reread);
    }

    /// <summary>The posted field of each of the file's columns; a column the form did not send is not imported.</summary>
    private Dictionary<string, string?> PostedMapping()
    {
        var mapping = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < Import.Header.Count; i++)
        {
            var value = Request.HasFormContentType ? Request.Form[MapPrefix + i].ToString() : "";
            mapping[Import.Header[i]] = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }
        return mapping;
    }

    /// <summary>The posted value choices, as the API's value mapping: field → {value → stored value or null}; "not mapped" is left out.</summary>
    private Dictionary<string, Dictionary<string, string?>> PostedValueMapping()
    {
        var mapping = new Dictionary<string, Dictionary<string, string?>>(StringComparer.Ordinal);
        if (!Request.HasFormContentType) return mapping;
        for (var k = 0; Request.Form.TryGetValue(ValueFieldPrefix + k, out var field); k++)
        {
            var value = Request.Form[ValuePrefix + k].ToString();
            var choice = Request.Form[ValueChoicePrefix + k].ToString();
            if (string.IsNullOrEmpty(field) || value.Length == 0 || choice.Length == 0) continue;
            if (!mapping.TryGetValue(field!, out var values)) mapping[field!] = values = new(StringComparer.Ordinal);
            values[value] = choice == LeaveEmpty ? null : choice;
        }
        return mapping;
    }

    /// <summary>The import left the draft stage meanwhile (started from another tab): show where it is now.</summary>
    private IActionResult Moved(Outcome<ImportDto> conflict)
    {
        Flash(((Outcome<ImportDto>.Conflict)conflict).Message, FlashKind.Error);
        return LocalRedirect($"/imports/{Id}");
    }

    private bool CanImport() => ctx.TenantId is not null && ImportService.CanImport(ctx);
}
