namespace Switchboard.Features.Audit;

public sealed record AuditEntryDto(
    Guid Id, long? Seq, DateTimeOffset OccurredAt, string ActorType, Guid? ActorId, string? ActorName, string Action,
    string? EntityType, string? EntityId, JsonElement? Changes, string? Ip, string? UserAgent);

/// <summary>
/// The audit log's filters, as the API, the viewer and the export take them. <see cref="From"/> and <see cref="To"/>
/// are days (YYYY-MM-DD) in the tenant's time zone, both included. scope=platform (superadmins) reads platform events:
/// tenant administration, sign-ins with unknown emails.
/// </summary>
public sealed record AuditQuery(
    string? Entity, string? EntityId, string? Action, int? Page, int? PageSize, string? Scope = null,
    string? ActorType = null, string? ActorId = null, string? From = null, string? To = null);

/// <summary>A checked <see cref="AuditQuery"/>: whose log (a tenant's, or the platform's: null) and the conditions on its rows.</summary>
public sealed record AuditFilter(
    Guid? TenantId, string? Entity, string? EntityId, string? Action, string? ActorType, Guid? ActorId, DateTimeOffset? Since, DateTimeOffset? Before)
{
    public IQueryable<AuditEntry> Apply(IQueryable<AuditEntry> rows)
    {
        rows = rows.Where(a => a.TenantId == TenantId);
        if (Entity is not null) rows = rows.Where(a => a.EntityType == Entity);
        if (EntityId is not null) rows = rows.Where(a => a.EntityId == EntityId);
        if (Action is not null) rows = rows.Where(a => a.Action == Action);
        if (ActorType is not null) rows = rows.Where(a => a.ActorType == ActorType);
        if (ActorId is not null) rows = rows.Where(a => a.ActorId == ActorId);
        if (Since is not null) rows = rows.Where(a => a.OccurredAt >= Since);
        if (Before is not null) rows = rows.Where(a => a.OccurredAt < Before);
        return rows;
    }

    /// <summary>The filters as they were asked, for the audit row of an export.</summary>
    public object Described => new { Entity, EntityId, Action, ActorType, ActorId, Since, Before };
}

[Scoped]
public sealed class AuditQueries(SwitchboardDbContext db, TenantContext ctx)
{
    public static bool CanView(TenantContext ctx) => ctx.Role is TenantRole.Admin or TenantRole.Superadmin;

    public async Task<Outcome<PagedList<AuditEntryDto>>> ListAsync(AuditQuery query, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.Validate(query.Page, query.PageSize, errors);
        var outcome = await FilterAsync(query, errors);
        if (outcome is not Outcome<AuditFilter>.Ok { Value: var filter }) return Relay<PagedList<AuditEntryDto>>(outcome);
        var rows = filter.Apply(db.AuditLog.AsNoTracking()).OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id);
        var page = await paging.ApplyAsync(db, rows, ct);
        var ids = page.Items.Select(a => a.Id).ToList();
        var numbers = await db.AuditChain.Where(l => ids.Contains(l.AuditId)).ToDictionaryAsync(l => l.AuditId, l => l.Seq, ct);
        return page.Map(a => new AuditEntryDto(a.Id, numbers.TryGetValue(a.Id, out var seq) ? seq : null, a.OccurredAt, a.ActorType, a.ActorId, a.ActorName, a.Action,
            a.EntityType, a.EntityId, a.Changes?.RootElement.Clone(), a.Ip, a.UserAgent));
    }

    /// <summary>
    /// Checks the caller may read the log asked for and the filters are well-formed (a 400 names each bad one); on the
    /// platform scope, takes the platform path. <paramref name="errors"/> may hold the caller's own findings already.
    /// </summary>
    public async Task<Outcome<AuditFilter>> FilterAsync(AuditQuery query, ValidationErrors? errors = null)
    {
        if (!CanView(ctx)) return new Outcome<AuditFilter>.Forbidden("Only administrators can view the audit log.");
        errors ??= new ValidationErrors();
        if (query.Scope is not (null or "tenant" or "platform")) errors.Add("scope", "scope must be 'tenant' or 'platform'.");
        var action = Blank(query.Action);
        if (action is not null && AuditActions.Find(action) is null)
            errors.Add("action", $"'{action}' is not an audit action. Use one of: {string.Join(", ", AuditActions.All.Select(a => a.Name))}.");
        var actorType = Blank(query.ActorType);
        if (actorType is not null && !AuditActorTypes.All.Contains(actorType))
            errors.Add("actorType", $"actorType must be one of: {string.Join(", ", AuditActorTypes.All)}.");
        Guid? actorId = null;
        if (Blank(query.ActorId) is { } idText)
        {
            if (Guid.TryParse(idText, out var id)) actorId = id;
            else errors.Add("actorId", $"'{idText}' is not an id.");
        }
        var zone = Platform.TimeZones.FindOrUtc(ctx.Tenant?.TimeZone);
        var from = Day(query.From, "from", errors);
        var to = Day(query.To, "to", errors);
        if (from > to) errors.Add("from", "From must be on or before To.");
        if (!errors.IsValid) return new Outcome<AuditFilter>.Invalid(errors.ToDictionary());

        Guid? tenantId = ctx.TenantId;
        if (query.Scope == "platform")
        {
            if (!ctx.IsSuperadmin) return new Outcome<AuditFilter>.Forbidden("Only superadmins can view platform events.");
            await ctx.EnterPlatformAsync();
            tenantId = null;
        }
        return new AuditFilter(tenantId, Blank(query.Entity), Blank(query.EntityId), action, actorType, actorId,
            from is { } f ? Platform.TimeZones.StartOfDayUtc(f, zone) : null,
            to is { } t ? Platform.TimeZones.StartOfDayUtc(t.AddDays(1), zone) : null);
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

    /// <summary>Every action the tenant's audit log holds, in name order: what the log's action filter offers. The same skip scan, over (tenant_id, action).</summary>
    public async Task<IReadOnlyList<string>> ActionsAsync(CancellationToken ct)
    {
        if (!CanView(ctx) || ctx.TenantId is not { } tenantId) return [];
        return await db.Database.SqlQuery<string>($"""
            with recursive actions(action) as (
                (select action from audit_log where tenant_id = {tenantId} order by action limit 1)
                union all
                select (select a.action from audit_log a where a.tenant_id = {tenantId} and a.action > actions.action order by a.action limit 1)
                from actions where actions.action is not null)
            select action as "Value" from actions where action is not null
            """).ToListAsync(ct);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static DateOnly? Day(string? value, string field, ValidationErrors errors)
    {
        if (Blank(value) is not { } text) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
        errors.Add(field, $"{(field == "from" ? "From" : "To")} must be a date written YYYY-MM-DD.");
        return null;
    }

    /// <summary>A refused filter as the answer of whatever was asked with it.</summary>
    internal static Outcome<T> Relay<T>(Outcome<AuditFilter> outcome) => outcome switch
    {
        Outcome<AuditFilter>.Forbidden f => new Outcome<T>.Forbidden(f.Message),
        Outcome<AuditFilter>.Invalid i => new Outcome<T>.Invalid(i.Errors),
        _ => new Outcome<T>.NotFound(),
    };
}
