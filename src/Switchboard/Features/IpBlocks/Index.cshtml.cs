using Switchboard.Platform.Protection;

namespace Switchboard.Features.IpBlocks;

public sealed class IpBlockForm
{
    public string? Network { get; set; }
    public string? Reason { get; set; }
    /// <summary>Hours until the block ends by itself; empty: until lifted.</summary>
    public string? Hours { get; set; } = "24";
}

/// <summary>/platform/ip-blocks: the platform IP blocklist (superadmins) — every block with its reason, source and expiry; add and lift.</summary>
public sealed class IndexModel(IpBlockService blocks, TenantContext ctx, TimeProvider clock) : AppPageModel
{
    public static readonly IReadOnlyList<(string Value, string Label)> Durations =
        [("1", "1 hour"), ("24", "24 hours"), ("168", "7 days"), ("720", "30 days"), ("", "Until lifted")];

    [BindProperty] public IpBlockForm Form { get; set; } = new();

    public IReadOnlyList<IpBlockDto> Blocks { get; private set; } = [];
    public string? ClientAddress => CidrBlocks.Describe(HttpContext.Connection.RemoteIpAddress);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return Forbid();
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return Forbid();
        var hours = int.TryParse(Form.Hours, out var h) && h > 0 ? h : (int?)null;
        var body = new IpBlockCreate
        {
            Network = Optional.Text(Form.Network), Reason = Optional.Text(Form.Reason),
            ExpiresAt = hours is { } n ? Optional.Of<DateTimeOffset?>(clock.GetUtcNow().AddHours(n)) : Optional<DateTimeOffset?>.Unset,
        };
        var outcome = await blocks.CreateAsync(body, ct);
        if (outcome is Outcome<IpBlockDto>.Ok ok)
        {
            Flash($"{ok.Value.Network} is blocked.");
            return LocalRedirect("/platform/ip-blocks");
        }
        if (!ShowProblem(outcome)) return Forbid();
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostLiftAsync(Guid id, CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return Forbid();
        return FlashAndRedirect(await blocks.LiftAsync(id, ct), block => $"The block of {block.Network} was lifted.", "/platform/ip-blocks");
    }

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        if (await blocks.ListAsync(ct) is Outcome<IReadOnlyList<IpBlockDto>>.Ok ok) Blocks = ok.Value;
        return Page();
    }

    public static string When(DateTimeOffset? value) =>
        value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "—";
}
