namespace Switchboard.Features.Tenants;

public sealed class RateLimitsForm
{
    public string? UserPerSecond { get; set; }
    public string? UserBurst { get; set; }
    public string? KeyPerSecond { get; set; }
    public string? KeyBurst { get; set; }
    public string? TenantPerSecond { get; set; }
    public string? TenantBurst { get; set; }
}

/// <summary>/tenants/{id}/limits: a tenant's API rate limits (superadmins), posted as the API's patch; empty fields take the platform default.</summary>
public sealed class LimitsModel(TenantRateLimitsService limits, TenantContext ctx) : AppPageModel
{
    [BindProperty] public RateLimitsForm Form { get; set; } = new();

    public TenantRateLimitsDto? Current { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return Forbid();
        if (await limits.GetAsync(id, ct) is not Outcome<TenantRateLimitsDto>.Ok { Value: var current }) return NotFound();
        Current = current;
        string? Own(string name, int value) => current.Overridden.Contains(name) ? value.ToString(CultureInfo.InvariantCulture) : null;
        Form = new RateLimitsForm
        {
            UserPerSecond = Own("userPerSecond", current.UserPerSecond), UserBurst = Own("userBurst", current.UserBurst),
            KeyPerSecond = Own("keyPerSecond", current.KeyPerSecond), KeyBurst = Own("keyBurst", current.KeyBurst),
            TenantPerSecond = Own("tenantPerSecond", current.TenantPerSecond), TenantBurst = Own("tenantBurst", current.TenantBurst),
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return Forbid();
        var patch = new TenantRateLimitsWrite
        {
            UserPerSecond = Optional.WholeNumber(Form.UserPerSecond), UserBurst = Optional.WholeNumber(Form.UserBurst),
            KeyPerSecond = Optional.WholeNumber(Form.KeyPerSecond), KeyBurst = Optional.WholeNumber(Form.KeyBurst),
            TenantPerSecond = Optional.WholeNumber(Form.TenantPerSecond), TenantBurst = Optional.WholeNumber(Form.TenantBurst),
        };
        var outcome = await limits.UpdateAsync(id, patch, ct);
        switch (outcome)
        {
            case Outcome<TenantRateLimitsDto>.Ok ok:
                Flash($"The API rate limits of {ok.Value.TenantName} were saved.");
                return LocalRedirect($"/tenants/{id}/limits");
            case Outcome<TenantRateLimitsDto>.NotFound:
                return NotFound();
        }
        ShowProblem(outcome);
        FormError ??= "The rate limits were not saved: check the fields marked below.";
        if (await limits.GetAsync(id, ct) is Outcome<TenantRateLimitsDto>.Ok { Value: var current }) Current = current;
        return Page();
    }
}
