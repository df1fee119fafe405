namespace Switchboard.Features.ApiKeys;

/// <summary>The create form of the Keys page: a name, a role or a read/write choice per entity, an expiry day and an allowlist.</summary>
public sealed class ApiKeyForm
{
    /// <summary>What <see cref="Access"/> holds when the key gets scopes rather than a role.</summary>
    public const string ScopedAccess = "scopes";

    public string? Name { get; set; }
    public string Access { get; set; } = "readonly";
    /// <summary>Per entity of <see cref="ApiScopes"/>: "", "read" or "write".</summary>
    public Dictionary<string, string> Scopes { get; set; } = new();
    public DateOnly? ExpiresOn { get; set; }
    public string? AllowedIps { get; set; }
}

/// <summary>/settings/api-keys (ADR 0043): administrators list, create and revoke the tenant's API keys. A new key is shown once, on the answer to its creation.</summary>
public sealed class ApiKeysModel(ApiKeyService keys, TenantContext ctx) : AppPageModel
{
    [BindProperty] public ApiKeyForm Form { get; set; } = new();

    public IReadOnlyList<ApiKeyDto> Keys { get; private set; } = [];
    public TenantSettings? Tenant => ctx.Tenant;

    /// <summary>The key just created: shown on this answer only, never stored where it could be shown again.</summary>
    public ApiKeyCreated? Created { get; private set; }
    public string? CreatedName { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!ApiKeyService.CanManage(ctx)) return Forbid();
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        if (!ApiKeyService.CanManage(ctx)) return Forbid();
        var outcome = await keys.CreateAsync(ToRequest(), ct);
        if (outcome is Outcome<ApiKeyCreated>.Ok ok)
        {
            Created = ok.Value;
            CreatedName = Form.Name?.Trim();
            Form = new ApiKeyForm();
        }
        else if (!ShowProblem(outcome)) return Forbid();
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken ct) =>
        FlashAndRedirect(await keys.RevokeAsync(id, ct), key => $"The key '{key.Name}' is revoked: requests that carry it are refused from now on.", "/settings/api-keys");

    public string AccessOf(ApiKeyDto key) => key.Role is { } role ? Display.Label(role) : string.Join(", ", ScopesShown(key.Scopes!));

    /// <summary>Scopes as an administrator reads them: "leads: read and write" rather than both scopes.</summary>
    private static IEnumerable<string> ScopesShown(IReadOnlyList<string> scopes) =>
        ApiScopes.Entities
            .Select(e => scopes.Contains($"{e}:{ApiScopes.Write}") ? $"{e}: read & write" : scopes.Contains($"{e}:{ApiScopes.Read}") ? $"{e}: read" : null)
            .OfType<string>();

    private ApiKeyCreate ToRequest()
    {
        var scoped = Form.Access == ApiKeyForm.ScopedAccess;
        var scopes = ApiScopes.Entities
            .Select(e => Form.Scopes.GetValueOrDefault(e) is ApiScopes.Read or ApiScopes.Write ? $"{e}:{Form.Scopes[e]}" : null)
            .OfType<string>()
            .ToList();
        var zone = Platform.TimeZones.FindOrUtc(ctx.Tenant?.TimeZone);
        var blocks = CidrBlocks.Split(Form.AllowedIps);
        return new ApiKeyCreate
        {
            Name = Optional.Text(Form.Name),
            Role = scoped ? Optional<string?>.Unset : Optional.Of<string?>(Form.Access),
            Scopes = scoped ? Optional.Of<IReadOnlyList<string>?>(scopes) : Optional<IReadOnlyList<string>?>.Unset,
            // Valid through the chosen day on the tenant's clock.
            ExpiresAt = Form.ExpiresOn is { } day ? Optional.Of<DateTimeOffset?>(Platform.TimeZones.StartOfDayUtc(day.AddDays(1), zone)) : Optional<DateTimeOffset?>.Unset,
            AllowedIps = Optional.Of<IReadOnlyList<string>?>(blocks),
        };
    }

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        if (await keys.ListAsync(ct) is Outcome<IReadOnlyList<ApiKeyDto>>.Ok ok) Keys = ok.Value;
        return Page();
    }
}
