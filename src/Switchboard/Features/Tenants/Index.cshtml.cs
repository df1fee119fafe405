using Switchboard.Features.Dialer;

namespace Switchboard.Features.Tenants;

public sealed class NewTenantForm
{
    public string? Name { get; set; }
    public string? Slug { get; set; }
    public string? TimeZone { get; set; } = "America/New_York";
    public string? Currency { get; set; } = "USD";
    public string? DefaultCountry { get; set; } = "US";
}

/// <summary>Platform administration: every tenant, for superadmins only.</summary>
public sealed class IndexModel(TenantService tenants, TenantContext ctx) : AppPageModel
{
    [BindProperty] public NewTenantForm Form { get; set; } = new();

    public IReadOnlyList<TenantDto> Tenants { get; private set; } = [];
    public Guid? CurrentTenantId => ctx.TenantId;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return Forbid();
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return Forbid();
        var body = new TenantWrite
        {
            Name = Optional.Text(Form.Name), Slug = Optional.Text(Form.Slug?.ToLowerInvariant()), TimeZone = Optional.Text(Form.TimeZone),
            Currency = Optional.Text(Form.Currency), DefaultCountry = Optional.Text(Form.DefaultCountry),
        };
        switch (await tenants.CreateAsync(body, ct))
        {
            case Outcome<TenantDto>.Ok ok:
                Flash($"Tenant {ok.Value.Name} was created.");
                return LocalRedirect("/tenants");
            case Outcome<TenantDto>.Invalid invalid:
                ShowErrors(invalid.Errors);
                break;
            case Outcome<TenantDto>.Forbidden:
                return Forbid();
        }
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostActiveAsync(Guid id, bool active, CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return Forbid();
        return FlashAndRedirect(await tenants.UpdateAsync(id, new TenantWrite { IsActive = Optional.Of<bool?>(active) }, ct),
            tenant => tenant.IsActive ? $"{tenant.Name} is active again." : $"{tenant.Name} was deactivated; its members can no longer sign in.",
            "/tenants");
    }

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        if (await tenants.ListAsync(ct) is Outcome<IReadOnlyList<TenantDto>>.Ok ok) Tenants = ok.Value;
        return Page();
    }
}
