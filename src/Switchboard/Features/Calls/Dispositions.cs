using Microsoft.EntityFrameworkCore;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;

namespace Switchboard.Features.Calls;

public sealed record DispositionDto(string Code, string Label, string? LeadStatus, bool AddsToDnc, bool IsConnect, int SortOrder, bool IsActive);

/// <summary>The tenant's disposition list. A tenant that has none yet gets the defaults on first use.</summary>
public sealed class Dispositions(SwitchboardDbContext db, TenantContext ctx)
{
    // code, label, lead status it moves the lead to, adds the number to DNC, counts as a connect
    private static readonly (string Code, string Label, string? LeadStatus, bool Dnc, bool Connect)[] Defaults =
    [
        ("interested", "Interested", "qualified", false, true),
        ("not-interested", "Not interested", "unqualified", false, true),
        ("callback", "Call back later", "contacted", false, true),
        ("left-voicemail", "Left voicemail", null, false, false),
        ("no-answer", "No answer", null, false, false),
        ("busy", "Busy", null, false, false),
        ("wrong-number", "Wrong number", "unqualified", false, false),
        ("do-not-call", "Do not call", "unqualified", true, true),
    ];

    public async Task<IReadOnlyList<DispositionDto>> ListAsync(CancellationToken ct)
    {
        await EnsureDefaultsAsync(ct);
        return await db.CallDispositions.AsNoTracking().OrderBy(d => d.SortOrder).ThenBy(d => d.Code)
            .Select(d => new DispositionDto(d.Code, d.Label, d.LeadStatus, d.AddsToDnc, d.IsConnect, d.SortOrder, d.IsActive))
            .ToListAsync(ct);
    }

    public async Task<CallDisposition?> FindActiveAsync(string code, CancellationToken ct)
    {
        await EnsureDefaultsAsync(ct);
        return await db.CallDispositions.AsNoTracking().SingleOrDefaultAsync(d => d.Code == code && d.IsActive, ct);
    }

    private async Task EnsureDefaultsAsync(CancellationToken ct)
    {
        if (await db.CallDispositions.AnyAsync(ct)) return;
        var order = 0;
        foreach (var (code, label, leadStatus, dnc, connect) in Defaults)
        {
            order += 10;
            // Concurrent first uses race to seed; the primary key keeps one copy.
            await db.Database.ExecuteSqlAsync($"""
                insert into call_dispositions (tenant_id, code, label, lead_status, adds_to_dnc, is_connect, sort_order, is_active)
                values ({ctx.RequiredTenantId}, {code}, {label}, {leadStatus}, {dnc}, {connect}, {order}, true)
                on conflict do nothing
                """, ct);
        }
    }
}
