namespace Switchboard.Features.Audit;

public sealed record AuditEntryDto(
    Guid Id, DateTimeOffset OccurredAt, string ActorType, Guid? ActorId, string? ActorName, string Action,
    string? EntityType, string? EntityId, JsonElement? Changes, string? Ip, string? UserAgent);

/// <summary>scope=platform (superadmins) lists platform events: tenant administration, sign-ins with unknown emails.</summary>
public sealed record AuditQuery(string? Entity, string? EntityId, string? Action, int? Page, int? PageSize, string? Scope = null);

[Scoped]
public sealed class AuditQueries(SwitchboardDbContext db, TenantContext ctx)
{
    public static bool CanView(TenantContext ctx) => ctx.Role is TenantRole.Admin or TenantRole.Superadmin;

    public async Task<Outcome<PagedList<AuditEntryDto>>> ListAsync(AuditQuery query, CancellationToken ct)
    {
        if (!CanView(ctx)) return new Outcome<PagedList<AuditEntryDto>>.Forbidden("Only administrators can view the audit log.");
        var errors = new ValidationErrors();
        var paging = PageRequest.Validate(query.Page, query.PageSize, errors);
        if (!errors.IsValid) return new Outcome<PagedList<AuditEntryDto>>.Invalid(errors.ToDictionary());

        if (query.Scope is not (null or "tenant" or "platform"))
            return new Outcome<PagedList<AuditEntryDto>>.Invalid(new Dictionary<string, string[]> { ["scope"] = ["scope must be 'tenant' or 'platform'."] });
        Guid? tenantId = ctx.TenantId;
        if (query.Scope == "platform")
        {
            if (!ctx.IsSuperadmin) return new Outcome<PagedList<AuditEntryDto>>.Forbidden("Only superadmins can view platform events.");
            await ctx.EnterPlatformAsync();
            tenantId = null;
        }
        var rows = db.AuditLog.AsNoTracking().Where(a => a.TenantId == tenantId);
        if (!string.IsNullOrWhiteSpace(query.Entity)) rows = rows.Where(a => a.EntityType == query.Entity);
        if (!string.IsNullOrWhiteSpace(query.EntityId)) rows = rows.Where(a => a.EntityId == query.EntityId);
        if (!string.IsNullOrWhiteSpace(query.Action)) rows = rows.Where(a => a.Action == query.Action);
        var page = await paging.ApplyAsync(db, rows.OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id), ct);
        return page.Map(a => new AuditEntryDto(a.Id, a.OccurredAt, a.ActorType, a.ActorId, a.ActorName, a.Action,
            a.EntityType, a.EntityId, a.Changes?.RootElement.Clone(), a.Ip, a.UserAgent));
    }

    /// <summary>
    /// Every kind of record the tenant's audit log holds events for, in name order: what the log's entity filter
    /// offers, so a new audited entity shows up without a list to keep. A skip scan over the (tenant_id, entity_type)
    /// index: one index probe per kind, however long the log.
    /// </summary>
    public async Task<IReadOnlyList<string>> EntityTypesAsync(CancellationToken ct)
    {
        if (!CanView(ctx) || ctx.TenantId is not { } tenantId) return [];
        return await db.Database.SqlQuery<string>($"""
            with recursive kinds(entity_type) as (
                (select entity_type from audit_log where tenant_id = {tenantId} and entity_type is not null order by entity_type limit 1)
                union all
                select (select a.entity_type from audit_log a
                        where a.tenant_id = {tenantId} and a.entity_type > kinds.entity_type order by a.entity_type limit 1)
                from kinds where kinds.entity_type is not null)
            select entity_type as "Value" from kinds where entity_type is not null
            """).ToListAsync(ct);
    }
}

public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapTenantApi("/audit", "Audit")
            .MapGet("/", async ([AsParameters] AuditQuery query, AuditQueries audit, CancellationToken ct) =>
                (await audit.ListAsync(query, ct)).ToResult(value => Results.Ok(value)))
            .Produces<PagedList<AuditEntryDto>>()
            .WithSummary("The tenant's audit log, newest first (admins). Filter by entity type and id, or action.");
        return app;
    }
}
