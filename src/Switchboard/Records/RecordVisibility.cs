namespace Switchboard.Records;

/// <summary>
/// "Who may see this record": the one rule, applied by every query over owned records — the services, lead
/// conversion, dialer queues, search, exports and timelines.
/// </summary>
public static class RecordVisibility
{
    /// <summary>The owner an agent's queries are limited to, or null when the role sees every record of the tenant.</summary>
    public static Guid? OwnerScope(TenantContext ctx) => RecordPermissions.SeesOnlyOwn(ctx) ? ctx.UserId : null;

    public static IQueryable<T> VisibleTo<T>(this IQueryable<T> records, TenantContext ctx) where T : class, IOwnedRecord
    {
        if (OwnerScope(ctx) is not { } self) return records;
        return records.Where(r => r.OwnerId == self);
    }
}
