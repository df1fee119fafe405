using Microsoft.AspNetCore.WebUtilities;

namespace Switchboard.Features.Audit;

/// <summary>The sign-in log (/audit/sign-ins): every attempt to sign in to the workspace, for its administrators.</summary>
public sealed class SignInsModel(SignInLog log, TenantContext ctx) : AppPageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Result { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }

    public PagedList<SignInAttemptDto> Attempts { get; private set; } = new([], 0, 1, PageSize);
    public TenantSettings? Tenant => ctx.Tenant;
    public int PageCount => Math.Max(1, (Attempts.Total + PageSize - 1) / PageSize);
    public bool IsFiltered => Filters.Any(kv => kv.Value is not null);

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        if (ctx.TenantId is null || !AuditQueries.CanView(ctx)) return Forbid();
        switch (await log.ListAsync(new SignInQuery(Blank(Result), From, To, Math.Max(1, pageNumber ?? 1), PageSize), ct))
        {
            case Outcome<PagedList<SignInAttemptDto>>.Ok ok:
                Attempts = ok.Value;
                break;
            case Outcome<PagedList<SignInAttemptDto>>.Invalid invalid:
                ShowErrors(invalid.Errors);
                break;
            default:
                return Forbid();
        }
        return Page();
    }

    private Dictionary<string, string?> Filters => new() { ["result"] = Blank(Result), ["from"] = Blank(From), ["to"] = Blank(To) };

    public string Link(int page) => QueryHelpers.AddQueryString("/audit/sign-ins",
        Filters.Append(new("page", page > 1 ? page.ToString(CultureInfo.InvariantCulture) : null)).Where(kv => kv.Value is not null));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
