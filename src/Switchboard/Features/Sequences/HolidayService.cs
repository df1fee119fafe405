using Switchboard.Platform;
namespace Switchboard.Features.Sequences;

/// <summary>The tenant's holidays (ADR 0060): every member reads them; admins add and remove them (audited).</summary>
[Scoped]
public sealed class HolidayService(SwitchboardDbContext db, TenantContext ctx, TimeProvider clock)
{
    public static bool CanManage(TenantContext ctx) => ctx.Role is TenantRole.Admin or TenantRole.Superadmin;

    public async Task<HolidayList> ListAsync(CancellationToken ct) =>
        new(await db.Set<TenantHoliday>().AsNoTracking().OrderBy(h => h.Day).Select(h => new HolidayDto(h.Day, h.Name)).ToListAsync(ct));

    public async Task<Outcome<HolidayDto>> AddAsync(HolidayWrite body, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<HolidayDto>.Forbidden("Only admins manage holidays.");
        var errors = new ValidationErrors();
        if (body.Day is null) errors.Add("day", "Give the date (yyyy-mm-dd).");
        errors.Required("name", body.Name, "Name", 100);
        if (!errors.IsValid) return new Outcome<HolidayDto>.Invalid(errors.ToDictionary());
        if (await db.Set<TenantHoliday>().AnyAsync(h => h.Day == body.Day, ct))
            return new Outcome<HolidayDto>.Invalid(new Dictionary<string, string[]> { ["day"] = ["That date is a holiday already."] });
        var holiday = new TenantHoliday { TenantId = ctx.RequiredTenantId, Day = body.Day!.Value, Name = body.Name!.Trim(), CreatedAt = clock.GetUtcNow() };
        db.Add(holiday);
        await db.SaveChangesAsync(ct);
        return new HolidayDto(holiday.Day, holiday.Name);
    }

    public async Task<Outcome<bool>> DeleteAsync(DateOnly day, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<bool>.Forbidden("Only admins manage holidays.");
        var holiday = await db.Set<TenantHoliday>().SingleOrDefaultAsync(h => h.Day == day, ct);
        if (holiday is null) return new Outcome<bool>.NotFound();
        db.Remove(holiday);
        await db.SaveChangesAsync(ct);
        return true;
    }
}
