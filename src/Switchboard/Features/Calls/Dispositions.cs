using System.Text.RegularExpressions;
using Switchboard.Features.Leads;

namespace Switchboard.Features.Calls;

public sealed record DispositionDto(string Code, string Label, string? LeadStatus, bool AddsToDnc, bool IsConnect, int SortOrder, bool IsActive);

/// <summary>The body of PUT /api/v1/dispositions/{code}: creates the disposition, or changes the members sent.</summary>
public sealed record DispositionWrite : RequestBody
{
    public Optional<string?> Label { get; init; }
    /// <summary>The lead status the disposition moves the lead to (one of the lead statuses), or null to leave it.</summary>
    public Optional<string?> LeadStatus { get; init; }
    public Optional<bool?> AddsToDnc { get; init; }
    public Optional<bool?> IsConnect { get; init; }
    public Optional<int?> SortOrder { get; init; }
    /// <summary>False retires the disposition; one calls already used is never deleted.</summary>
    public Optional<bool?> IsActive { get; init; }
}

/// <summary>The tenant's disposition list. A tenant that has none yet gets the defaults on first use.</summary>
[Scoped]
public sealed partial class Dispositions(SwitchboardDbContext db, TenantContext ctx)
{
    public static bool CanManage(TenantContext ctx) => ctx.Role is TenantRole.Admin or TenantRole.Superadmin;

    /// <summary>
    /// Set by Switchboard, never chosen: the call's wrap-up ran past the tenant's maximum without an outcome
    /// (<see cref="WrapUpExpiry"/>). Inactive, so no outcome form offers it; an agent may still replace it with a real outcome.
    /// </summary>
    public const string NoOutcome = "no-outcome";

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex CodePattern();

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

    /// <summary>
    /// Creates or changes a disposition (admins). Dispositions already used by calls are never deleted; set
    /// isActive false to retire one.
    /// </summary>
    public async Task<Outcome<DispositionDto>> PutAsync(string code, DispositionWrite body, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<DispositionDto>.Forbidden("Only administrators can change dispositions.");
        var errors = body.BindingErrors();
        if (!CodePattern().IsMatch(code)) errors.Add("code", "A code is 1–40 lowercase letters, digits or hyphens, starting with a letter or digit.");
        else if (code == NoOutcome) errors.Add("code", $"'{NoOutcome}' is set by Switchboard when a wrap-up runs out; it cannot be changed.");
        await EnsureDefaultsAsync(ct);
        var disposition = await db.CallDispositions.SingleOrDefaultAsync(d => d.Code == code, ct);
        var isNew = disposition is null;
        disposition ??= new CallDisposition { Code = code, Label = "" };
        if (body.Label is { IsSet: true } label) disposition.Label = label.Value ?? "";
        if (body.LeadStatus.OneOf("leadStatus", LeadStatuses.All, errors) is { IsSet: true } status) disposition.LeadStatus = status.Value;
        if (body.AddsToDnc is { IsSet: true, Value: { } dnc }) disposition.AddsToDnc = dnc;
        if (body.IsConnect is { IsSet: true, Value: { } connect }) disposition.IsConnect = connect;
        if (body.IsActive is { IsSet: true, Value: { } active }) disposition.IsActive = active;
        if (body.SortOrder is { IsSet: true, Value: { } order }) disposition.SortOrder = order;
        if (isNew || body.Label.IsSet) errors.Required("label", disposition.Label, "Label", 100);
        if (!errors.IsValid) return new Outcome<DispositionDto>.Invalid(errors.ToDictionary());
        if (isNew)
        {
            disposition.TenantId = ctx.RequiredTenantId;
            if (!body.SortOrder.IsSet) disposition.SortOrder = await db.CallDispositions.MaxAsync(d => (int?)d.SortOrder, ct) + 10 ?? 10;
            db.CallDispositions.Add(disposition);
        }
        await db.SaveChangesAsync(ct);
        return new DispositionDto(disposition.Code, disposition.Label, disposition.LeadStatus, disposition.AddsToDnc, disposition.IsConnect, disposition.SortOrder, disposition.IsActive);
    }

    public async Task<CallDisposition?> FindActiveAsync(string code, CancellationToken ct)
    {
        await EnsureDefaultsAsync(ct);
        return await db.CallDispositions.AsNoTracking().SingleOrDefaultAsync(d => d.Code == code && d.IsActive, ct);
    }

    /// <summary>The tenant's dispositions with <see cref="NoOutcome"/> among them (inactive), which calls reference.</summary>
    public async Task EnsureNoOutcomeAsync(CancellationToken ct)
    {
        await EnsureDefaultsAsync(ct);
        await db.Database.ExecuteSqlAsync($"""
            insert into call_dispositions (tenant_id, code, label, lead_status, adds_to_dnc, is_connect, sort_order, is_active)
            values ({ctx.RequiredTenantId}, {NoOutcome}, {"No outcome (wrap-up ran out)"}, null, false, false, 1000, false)
            on conflict do nothing
            """, ct);
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
