using Switchboard.Features.Dialer;

namespace Switchboard.Features.Imports;

/// <summary>The upload step: what to import and how to match; encoding and delimiter are detected unless chosen.</summary>
public sealed class UploadForm
{
    public string Entity { get; set; } = "leads";
    public string Mode { get; set; } = ImportModes.Create;
    public string? MatchOn { get; set; }
    public string Encoding { get; set; } = "auto";
    public string Delimiter { get; set; } = "auto";
}

/// <summary>
/// /imports: recent imports and the upload form. The upload keeps the import as a draft and opens its page,
/// where the mapping is checked against a preview before it runs.
/// </summary>
[RequestSizeLimit(ImportFiles.MaxBytes + 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = ImportFiles.MaxBytes + 1024 * 1024)]
public sealed class IndexModel(ImportService imports, TenantContext ctx, SwitchboardDbContext db) : AppPageModel
{
    private const int RecentCount = 25;

    [BindProperty] public UploadForm Form { get; set; } = new();

    public IReadOnlyList<ImportDto> Recent { get; private set; } = [];
    public int Total { get; private set; }
    public IReadOnlyDictionary<Guid, string> CreatedBy { get; private set; } = new Dictionary<Guid, string>();
    public TenantSettings? Tenant => ctx.Tenant;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!CanImport()) return Forbid();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, CancellationToken ct)
    {
        if (!CanImport()) return Forbid();
        var options = new ImportOptions(Form.Entity, Form.Mode, Form.MatchOn, null, Form.Encoding, Form.Delimiter, Start: false);
        var outcome = await imports.CreateAsync(options, file, ct);
        if (outcome is Outcome<ImportDto>.Ok ok) return LocalRedirect($"/imports/{ok.Value.Id}");
        if (!ShowProblem(outcome)) return NotFound();
        if (file is null || file.Length == 0) Errors["file"] = ["Choose a CSV file to import."];
        await LoadAsync(ct);
        return Page();
    }

    private bool CanImport() => ctx.TenantId is not null && ImportService.CanImport(ctx);

    private async Task LoadAsync(CancellationToken ct)
    {
        if (await imports.ListAsync(1, RecentCount, ct) is not Outcome<PagedList<ImportDto>>.Ok ok) return;
        Recent = ok.Value.Items;
        Total = ok.Value.Total;
        var userIds = Recent.Select(i => i.CreatedBy).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .Select(u => new { u.Id, u.FirstName, u.LastName, u.Email }).ToDictionaryAsync(u => u.Id, ct);
        string NameOf(Guid user) => names.TryGetValue(user, out var n)
            ? Display.FullName(n.FirstName, n.LastName) is { Length: > 0 } full ? full : n.Email ?? "Unknown"
            : "Former member";
        CreatedBy = Recent.ToDictionary(i => i.Id, i => NameOf(i.CreatedBy));
    }
}
