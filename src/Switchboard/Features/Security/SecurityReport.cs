using Switchboard.Features.ApiKeys;
using Switchboard.Platform.Identity.TwoFactor;

namespace Switchboard.Features.Security;

/// <summary>
/// The answer of GET /api/v1/tenants/current/security/report: what an administrator should look at, as of
/// <see cref="GeneratedAt"/>. Every list is complete (a workspace has at most a few thousand members and keys).
/// </summary>
public sealed record SecurityReportDto(
    DateTimeOffset GeneratedAt,
    int Members,
    string Mfa,
    IReadOnlyList<string> IpAllowlist,
    IReadOnlyList<ReportMember> WithoutSecondFactor,
    IReadOnlyList<ReportMember> Admins,
    IReadOnlyList<ReportMember> DormantMembers,
    IReadOnlyList<ReportMember> LockedMembers,
    IReadOnlyList<ReportKey> KeysWithoutExpiry,
    IReadOnlyList<ReportKey> UnusedKeys,
    FailedSignInSummary FailedSignIns)
{
    /// <summary>How many findings need a look: everything listed except the admins themselves.</summary>
    public int Findings => WithoutSecondFactor.Count + DormantMembers.Count + LockedMembers.Count + KeysWithoutExpiry.Count + UnusedKeys.Count + (FailedSignIns.Total > 0 ? 1 : 0);
}

/// <summary>A member as the report lists them: when they were last active (any session in this workspace), and locked until when (null: not locked).</summary>
public sealed record ReportMember(Guid UserId, string Name, string Email, string Role, DateTimeOffset? LastActiveAt, DateTimeOffset? LockedUntil);

/// <summary>An active (not revoked, not expired) API key as the report lists it.</summary>
public sealed record ReportKey(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt);

/// <summary>Failed sign-ins into this workspace over the last 24 hours: how many, why, and from where (the most frequent addresses first).</summary>
public sealed record FailedSignInSummary(int Total, IReadOnlyList<CountOf> ByReason, IReadOnlyList<CountOf> TopAddresses);

public sealed record CountOf(string Value, int Count);

/// <summary>
/// The tenant's security report (issue 12 §9): members without a second factor, admins, dormant members, locked accounts, API keys without expiry or
/// unused, failed sign-ins. Admins read their tenant's on /settings/security/report and through the API; the platform
/// operator prints any tenant's with <c>switchboard security-report</c>.
/// </summary>
[Scoped]
public sealed class SecurityReports(SwitchboardDbContext db, TenantContext ctx, TimeProvider clock)
{
    /// <summary>A member with no activity in the workspace for this long is dormant; a key unused for this long, unused.</summary>
    public static readonly TimeSpan DormantAfter = TimeSpan.FromDays(90);
    public static readonly TimeSpan FailedSignInWindow = TimeSpan.FromHours(24);
    public const int TopAddresses = 10;

    public async Task<Outcome<SecurityReportDto>> GetAsync(CancellationToken ct)
    {
        if (!SecuritySettings.CanManage(ctx)) return new Outcome<SecurityReportDto>.Forbidden("Only administrators can see the security report.");
        return await BuildAsync(ctx.RequiredTenantId, ct);
    }

    /// <summary>The report of a tenant the caller has entered (row-level security applies to every read).</summary>
    public async Task<SecurityReportDto> BuildAsync(Guid tenantId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var members = await MembersAsync(tenantId, now, ct);
        var dormantBefore = now - DormantAfter;
        var keys = await db.Set<ApiKey>().AsNoTracking()
            .Where(k => k.TenantId == tenantId && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now))
            .OrderBy(k => k.Name).ThenBy(k => k.CreatedAt)
            .Select(k => new ReportKey(k.Id, k.Name, k.Prefix, k.CreatedAt, k.ExpiresAt, k.LastUsedAt))
            .ToListAsync(ct);
        var policy = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => new { t.MfaRequirement, t.IpAllowlist }).SingleAsync(ct);
        return new SecurityReportDto(
            now,
            members.Count,
            policy.MfaRequirement,
            policy.IpAllowlist ?? [],
            [.. members.Where(m => !m.HasSecondFactor).Select(m => m.Row)],
            [.. members.Where(m => m.Row.Role == TenantRole.Admin.ToName()).Select(m => m.Row)],
            [.. members.Where(m => (m.Row.LastActiveAt ?? m.MemberSince) < dormantBefore).Select(m => m.Row)],
            [.. members.Where(m => m.Row.LockedUntil is not null).Select(m => m.Row)],
            [.. keys.Where(k => k.ExpiresAt is null)],
            [.. keys.Where(k => (k.LastUsedAt ?? k.CreatedAt) < dormantBefore)],
            await FailedSignInsAsync(tenantId, now - FailedSignInWindow, ct));
    }

    /// <summary>
    /// The tenant's active members, each with when they were last active in it (the newest activity of any of their
    /// sessions here), when they joined (a member who never signed in is dormant from then) and whether they have a
    /// confirmed second factor.
    /// </summary>
    private async Task<List<(ReportMember Row, DateTimeOffset MemberSince, bool HasSecondFactor)>> MembersAsync(Guid tenantId, DateTimeOffset now, CancellationToken ct)
    {
        var rows = await (from m in db.Memberships.AsNoTracking()
                          where m.TenantId == tenantId && m.IsActive && m.User!.IsActive
                          orderby m.User!.FirstName, m.User!.LastName, m.User!.Email
                          select new
                          {
                              m.UserId, m.User!.FirstName, m.User.LastName, m.User.Email, m.Role, m.CreatedAt, m.User.LockoutEnd,
                              HasSecondFactor = db.Set<UserSecondFactor>().Any(f => f.UserId == m.UserId && f.ConfirmedAt != null),
                              LastActiveAt = db.Sessions.Where(s => s.UserId == m.UserId && s.TenantId == tenantId).Max(s => (DateTimeOffset?)s.LastSeenAt),
                          }).ToListAsync(ct);
        return [.. rows.Select(r => (new ReportMember(r.UserId, Display.FullName(r.FirstName, r.LastName), r.Email ?? "", r.Role, r.LastActiveAt, r.LockoutEnd > now ? r.LockoutEnd : null), r.CreatedAt, r.HasSecondFactor))];
    }

    private async Task<FailedSignInSummary> FailedSignInsAsync(Guid tenantId, DateTimeOffset since, CancellationToken ct)
    {
        var failed = AuditActions.UserSignInFailed.Name;
        var byReason = await db.Database.SqlQuery<CountOf>($"""
            select coalesce(changes ->> 'reason', 'unknown') as "Value", count(*)::int as "Count"
            from audit_log where tenant_id = {tenantId} and action = {failed} and occurred_at >= {since}
            group by 1 order by 2 desc, 1
            """).ToListAsync(ct);
        var byAddress = await db.Database.SqlQuery<CountOf>($"""
            select coalesce(ip, 'unknown') as "Value", count(*)::int as "Count"
            from audit_log where tenant_id = {tenantId} and action = {failed} and occurred_at >= {since}
            group by 1 order by 2 desc, 1 limit {TopAddresses}
            """).ToListAsync(ct);
        return new FailedSignInSummary(byReason.Sum(r => r.Count), byReason, byAddress);
    }
}
