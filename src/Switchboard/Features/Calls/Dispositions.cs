using System.Text.RegularExpressions;
using Switchboard.Features.Leads;

namespace Switchboard.Features.Calls;

public sealed record DispositionDto(
    string Code, string Label, string? LeadStatus, bool AddsToDnc, bool IsConnect, int SortOrder, bool IsActive,
    string? Hotkey = null, bool RequiresCallback = false)
{
    public static DispositionDto Of(CallDisposition d) =>
        new(d.Code, d.Label, d.LeadStatus, d.AddsToDnc, d.IsConnect, d.SortOrder, d.IsActive, d.Hotkey, d.RequiresCallback);
}

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
    /// <summary>One letter or digit that picks the disposition in outcome forms (unique among active ones), or null for none.</summary>
    public Optional<string?> Hotkey { get; init; }
    /// <summary>True: an outcome with this disposition must name a callback time.</summary>
    public Optional<bool?> RequiresCallback { get; init; }
}

/// <summary>The body of POST /api/v1/dispositions/order: the codes in their new order (others keep theirs, after them).</summary>
public sealed record DispositionOrder : RequestBody
{
    public Optional<IReadOnlyList<string>?> Codes { get; init; }
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

    /// <summary>
    /// Keys the app already uses where outcome forms show (wwwroot/js): a disposition may not take them. "/" (search)
    /// and Enter (save) are not letters or digits, so no hotkey can clash with them.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ReservedHotkeys = new Dictionary<string, string>
    {
        ["d"] = "the dialer's Dial shortcut",
        ["s"] = "the dialer's Skip shortcut",
        ["p"] = "the dialer's pause/resume auto-dial shortcut",
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex("^[a-z0-9]$")]
    private static partial Regex HotkeyPattern();

    private sealed record Default(string Code, string Label, string? LeadStatus, bool Dnc, bool Connect, string Hotkey, bool Callback = false);

    private static readonly Default[] Defaults =
    [
        new("interested", "Interested", "qualified", false, true, "1"),
        new("not-interested", "Not interested", "unqualified", false, true, "2"),
        new("callback", "Call back later", "contacted", false, true, "3", Callback: true),
        new("left-voicemail", "Left voicemail", null, false, false, "4"),
        new("no-answer", "No answer", null, false, false, "5"),
        new("busy", "Busy", null, false, false, "6"),
        new("wrong-number", "Wrong number", "unqualified", false, false, "7"),
        new("do-not-call", "Do not call", "unqualified", true, true, "8"),
    ];

    public async Task<IReadOnlyList<DispositionDto>> ListAsync(CancellationToken ct)
    {
        await EnsureDefaultsAsync(ct);
        return await db.CallDispositions.AsNoTracking().OrderBy(d => d.SortOrder).ThenBy(d => d.Code)
            .Select(d => new DispositionDto(d.Code, d.Label, d.LeadStatus, d.AddsToDnc, d.IsConnect, d.SortOrder, d.IsActive, d.Hotkey, d.RequiresCallback))
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
        if (body.RequiresCallback is { IsSet: true, Value: { } callback }) disposition.RequiresCallback = callback;
        if (body.Hotkey.IsSet) disposition.Hotkey = NormalizeHotkey(body.Hotkey.Value);
        if (isNew || body.Label.IsSet) errors.Required("label", disposition.Label, "Label", 100);
        if (body.Hotkey.IsSet || body.IsActive.IsSet) await CheckHotkeyAsync(disposition, errors, ct);
        if (!errors.IsValid) return new Outcome<DispositionDto>.Invalid(errors.ToDictionary());
        if (isNew)
        {
            disposition.TenantId = ctx.RequiredTenantId;
            if (!body.SortOrder.IsSet) disposition.SortOrder = await NextSortOrderAsync(ct);
            db.CallDispositions.Add(disposition);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, out var constraint) && constraint == "call_dispositions_tenant_hotkey_idx")
        {
            // Two admins gave the same key at the same moment: the index keeps one, the other is told as a check would.
            return new Outcome<DispositionDto>.Invalid(new Dictionary<string, string[]> { ["hotkey"] = [$"Hotkey {Shown(disposition.Hotkey)} was just given to another disposition; choose another key."] });
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, out _))
        {
            return new Outcome<DispositionDto>.Conflict($"A disposition with the code '{code}' was just created by someone else. Reload and retry.");
        }
        return DispositionDto.Of(disposition);
    }

    /// <summary>
    /// Puts <paramref name="body"/>'s codes first, in that order; the tenant's other dispositions keep their order after them.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<DispositionDto>>> ReorderAsync(DispositionOrder body, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<IReadOnlyList<DispositionDto>>.Forbidden("Only administrators can change dispositions.");
        var errors = body.BindingErrors();
        var codes = body.Codes.Value ?? [];
        if (body.Codes.Error is null && codes.Count == 0) errors.Add("codes", "Codes is required: the dispositions' codes in their new order.");
        await EnsureDefaultsAsync(ct);
        var all = await db.CallDispositions.Where(d => d.Code != NoOutcome).OrderBy(d => d.SortOrder).ThenBy(d => d.Code).ToListAsync(ct);
        var byCode = all.ToDictionary(d => d.Code);
        if (codes.FirstOrDefault(c => !byCode.ContainsKey(c)) is { } unknown) errors.Add("codes", $"'{unknown}' is not one of this tenant's dispositions.");
        if (codes.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1) is { } twice) errors.Add("codes", $"'{twice.Key}' is listed twice.");
        if (!errors.IsValid) return new Outcome<IReadOnlyList<DispositionDto>>.Invalid(errors.ToDictionary());
        var ordered = codes.Select(c => byCode[c]).Concat(all.Where(d => !codes.Contains(d.Code))).ToList();
        for (var i = 0; i < ordered.Count; i++)
            if (ordered[i].SortOrder != (i + 1) * 10) ordered[i].SortOrder = (i + 1) * 10;
        await db.SaveChangesAsync(ct);
        return ordered.Select(DispositionDto.Of).ToList();
    }

    /// <summary>Moves one disposition a place up (-1) or down (+1) in the list every outcome form shows.</summary>
    public async Task<Outcome<IReadOnlyList<DispositionDto>>> MoveAsync(string code, int by, CancellationToken ct)
    {
        var codes = (await ListAsync(ct)).Where(d => d.Code != NoOutcome).Select(d => d.Code).ToList();
        var index = codes.IndexOf(code);
        if (index < 0) return new Outcome<IReadOnlyList<DispositionDto>>.NotFound();
        var target = Math.Clamp(index + Math.Sign(by), 0, codes.Count - 1);
        (codes[index], codes[target]) = (codes[target], codes[index]);
        return await ReorderAsync(new DispositionOrder { Codes = Optional.Of<IReadOnlyList<string>?>(codes) }, ct);
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

    /// <summary>A hotkey as stored: one lowercase character, or null for none (blank). Anything else is kept to be refused.</summary>
    private static string? NormalizeHotkey(string? key) => string.IsNullOrWhiteSpace(key) ? null : key.Trim().ToLowerInvariant();

    private static string Shown(string? key) => key?.ToUpperInvariant() ?? "";

    private async Task CheckHotkeyAsync(CallDisposition disposition, ValidationErrors errors, CancellationToken ct)
    {
        if (disposition.Hotkey is not { } key) return;
        if (!HotkeyPattern().IsMatch(key))
            errors.Add("hotkey", "Hotkey is one letter (A–Z) or digit (0–9).");
        else if (ReservedHotkeys.TryGetValue(key, out var use))
            errors.Add("hotkey", $"Hotkey {Shown(key)} is {use}; choose another key.");
        else if (disposition.IsActive && await db.CallDispositions.AsNoTracking()
                     .Where(d => d.IsActive && d.Hotkey == key && d.Code != disposition.Code)
                     .Select(d => d.Label).FirstOrDefaultAsync(ct) is { } holder)
            errors.Add("hotkey", $"Hotkey {Shown(key)} is already used by '{holder}'.");
    }

    private async Task<int> NextSortOrderAsync(CancellationToken ct) =>
        await db.CallDispositions.Where(d => d.Code != NoOutcome).MaxAsync(d => (int?)d.SortOrder, ct) + 10 ?? 10;

    private async Task EnsureDefaultsAsync(CancellationToken ct)
    {
        if (await db.CallDispositions.AnyAsync(ct)) return;
        var order = 0;
        foreach (var d in Defaults)
        {
            order += 10;
            // Concurrent first uses race to seed; the primary key keeps one copy.
            await db.Database.ExecuteSqlAsync($"""
                insert into call_dispositions (tenant_id, code, label, lead_status, adds_to_dnc, is_connect, sort_order, is_active, hotkey, requires_callback)
                values ({ctx.RequiredTenantId}, {d.Code}, {d.Label}, {d.LeadStatus}, {d.Dnc}, {d.Connect}, {order}, true, {d.Hotkey}, {d.Callback})
                on conflict do nothing
                """, ct);
        }
    }
}
