namespace Switchboard.Features.Sequences;

/// <summary>Settings → Holidays (/settings/holidays, admins): the dates no sequence step is sent or falls due.</summary>
public sealed class HolidaysModel(HolidayService holidays, TenantContext ctx) : AppPageModel
{
    [BindProperty] public DateOnly? Day { get; set; }
    [BindProperty] public string? Name { get; set; }
    public IReadOnlyList<HolidayDto> Holidays { get; private set; } = [];

    public static bool CanManage(TenantContext ctx) => HolidayService.CanManage(ctx);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return Forbid();
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return Forbid();
        if (await holidays.AddAsync(new HolidayWrite(Day, Name), ct) is Outcome<HolidayDto>.Invalid invalid) ShowErrors(invalid.Errors);
        else (Day, Name) = (null, null);
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostDeleteAsync(DateOnly day, CancellationToken ct)
    {
        if (!CanManage(ctx)) return Forbid();
        await holidays.DeleteAsync(day, ct);
        return await PageAsync(ct);
    }

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        Holidays = (await holidays.ListAsync(ct)).Items;
        return Page();
    }
}
