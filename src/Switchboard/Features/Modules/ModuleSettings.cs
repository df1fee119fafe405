namespace Switchboard.Features.Modules;

/// <summary>
/// Which optional modules the current tenant has switched on. Scoped and read once per request, so the
/// layout, endpoint filters and pages can all ask without extra queries. Inject it into Razor to hide UI.
/// </summary>
[Scoped]
public sealed class ModuleSettings(SwitchboardDbContext db, TenantContext ctx)
{
    private Dictionary<string, bool>? _switches;

    public static bool CanManage(TenantContext ctx) => ctx.Role is TenantRole.Admin or TenantRole.Superadmin;

    public async Task<bool> IsEnabledAsync(string module, CancellationToken ct = default)
    {
        if (!ModuleNames.All.Contains(module)) throw new ArgumentOutOfRangeException(nameof(module), module, "Not an optional module.");
        if (ctx.TenantId is null) return true;
        _switches ??= await db.Set<TenantModule>().AsNoTracking().ToDictionaryAsync(m => m.Module, m => m.Enabled, ct);
        return _switches.GetValueOrDefault(module, true);
    }

    public async Task<ModulesDto> GetAsync(CancellationToken ct) => new(
        await IsEnabledAsync(ModuleNames.Opportunities, ct),
        await IsEnabledAsync(ModuleNames.Products, ct),
        await IsEnabledAsync(ModuleNames.Activities, ct));

    /// <summary>A merge patch of <see cref="ModulesDto"/> (admins); each change is audited.</summary>
    public async Task<Outcome<ModulesDto>> UpdateAsync(ModulesWrite patch, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<ModulesDto>.Forbidden("Only administrators can switch modules.");
        var errors = patch.BindingErrors();
        var changes = new Dictionary<string, bool>();
        foreach (var (module, value) in new[]
                 {
                     (ModuleNames.Opportunities, patch.Opportunities), (ModuleNames.Products, patch.Products), (ModuleNames.Activities, patch.Activities),
                 })
        {
            if (!value.IsSet) continue;
            if (value.Value is null) errors.Add(module, $"'{module}' must be true or false.");
            else changes[module] = value.Value.Value;
        }
        if (!errors.IsValid) return new Outcome<ModulesDto>.Invalid(errors.ToDictionary());

        var rows = await db.Set<TenantModule>().ToDictionaryAsync(m => m.Module, ct);
        foreach (var (module, enabled) in changes)
        {
            if (rows.TryGetValue(module, out var row)) row.Enabled = enabled;
            else if (!enabled) db.Set<TenantModule>().Add(new TenantModule { Module = module, Enabled = false });
        }
        await db.SaveChangesAsync(ct);
        _switches = null;
        return await GetAsync(ct);
    }
}
