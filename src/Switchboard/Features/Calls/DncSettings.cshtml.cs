namespace Switchboard.Features.Calls;

public sealed class DncForm
{
    public string? Phone { get; set; }
    public string? Reason { get; set; }
}

public sealed class DncModel(DncService dnc, TenantContext ctx) : AppPageModel
{
    private const int PageSize = 50;
    private const long MaxImportBytes = 5 * 1024 * 1024;

    [BindProperty] public DncForm Form { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? Search { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int? PageNumber { get; set; }

    public PagedList<DncDto>? Results { get; private set; }
    public DncImportResult? Imported { get; private set; }
    public string? ImportError { get; private set; }
    public TenantSettings? Tenant => ctx.Tenant;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        var reason = string.IsNullOrWhiteSpace(Form.Reason) ? null : Form.Reason.Trim();
        switch (await dnc.AddAsync(new DncWrite { Phone = Optional.Text(Form.Phone), Reason = Optional.Text(reason) }, ct))
        {
            case Outcome<DncDto>.Ok ok:
                Flash($"{Display.Phone(ok.Value.Phone, Tenant)} is on the do-not-call list.");
                return LocalRedirect("/settings/dnc");
            case Outcome<DncDto>.Invalid invalid:
                ShowErrors(invalid.Errors);
                return await PageAsync(ct);
            default:
                return Forbid();
        }
    }

    public async Task<IActionResult> OnPostRemoveAsync(string? phone, CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        switch (await dnc.RemoveAsync(phone ?? "", ct))
        {
            case Outcome<bool>.Ok:
                Flash($"{Display.Phone(phone, Tenant)} was removed from the do-not-call list.");
                break;
            case Outcome<bool>.NotFound:
                Flash("That number is not on the do-not-call list.", FlashKind.Error);
                break;
            default:
                return Forbid();
        }
        return LocalRedirect("/settings/dnc");
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        if (file is null || file.Length == 0)
            ImportError = "Choose a CSV file to import.";
        else if (file.Length > MaxImportBytes)
            ImportError = "The file is larger than 5 MB; split it into smaller files.";
        else
        {
            await using var stream = file.OpenReadStream();
            switch (await dnc.ImportAsync(stream, ct))
            {
                case Outcome<DncImportResult>.Ok ok:
                    Imported = ok.Value;
                    break;
                default:
                    return Forbid();
            }
        }
        return await PageAsync(ct);
    }

    public string Link(int page)
    {
        var query = new Dictionary<string, string?> { ["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (!string.IsNullOrWhiteSpace(Search)) query["search"] = Search;
        return "/settings/dnc" + QueryString.Create(query);
    }

    private bool CanManage() => ctx.TenantId is not null && DncService.CanManage(ctx);

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        switch (await dnc.ListAsync(Search, PageNumber, PageSize, ct))
        {
            case Outcome<PagedList<DncDto>>.Ok ok:
                Results = ok.Value;
                break;
            case Outcome<PagedList<DncDto>>.Invalid:
                PageNumber = 1;
                if (await dnc.ListAsync(Search, 1, PageSize, ct) is Outcome<PagedList<DncDto>>.Ok first) Results = first.Value;
                break;
        }
        return Page();
    }
}
