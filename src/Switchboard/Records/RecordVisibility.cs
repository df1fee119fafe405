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

    /// <summary>
    /// The record by id, untracked, when the caller may see it (else null): the same rule as <see cref="VisibleTo{T}"/>
    /// as one compiled query per record type. A record's page and <c>GET /{id}</c> are the most frequent reads after
    /// the lists, and building and looking up the LINQ query cost more CPU than running it (PERFORMANCE.md).
    /// </summary>
    public static Task<T?> FindVisibleAsync<T>(this SwitchboardDbContext db, Guid id, TenantContext ctx, CancellationToken ct)
        where T : class, IOwnedRecord =>
        ById<T>.Query(db, id, OwnerScope(ctx), ct);

    private static class ById<T> where T : class, IOwnedRecord
    {
        public static readonly Func<SwitchboardDbContext, Guid, Guid?, CancellationToken, Task<T?>> Query = EF.CompileAsyncQuery(
            (SwitchboardDbContext db, Guid id, Guid? owner, CancellationToken ct) =>
                db.Set<T>().AsNoTracking().SingleOrDefault(r => r.Id == id && (owner == null || r.OwnerId == owner)));
    }
}
