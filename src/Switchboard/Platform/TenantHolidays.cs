using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Platform;

/// <summary>
/// A tenant holiday (Settings → Holidays): not a business day on the <see cref="BusinessCalendar"/>, so no sequence
/// step is sent or scheduled on it and no business-hours SLA clock runs on it.
/// </summary>
public sealed class TenantHoliday : ITenantOwned, IAudited
{
    public Guid TenantId { get; set; }
    public DateOnly Day { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public string AuditEntityType => "tenant-holiday";
    public string AuditEntityId => Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>The current tenant's holiday dates, read once per scope.</summary>
[Scoped]
public sealed class TenantHolidays(SwitchboardDbContext db)
{
    private IReadOnlySet<DateOnly>? _days;

    public async Task<IReadOnlySet<DateOnly>> DaysAsync(CancellationToken ct) =>
        _days ??= (await db.Set<TenantHoliday>().AsNoTracking().Select(h => h.Day).ToListAsync(ct)).ToHashSet();
}

internal sealed class TenantHolidayConfiguration : IEntityTypeConfiguration<TenantHoliday>
{
    public void Configure(EntityTypeBuilder<TenantHoliday> e) => e.ToTable("tenant_holidays").HasKey(x => new { x.TenantId, x.Day });
}
