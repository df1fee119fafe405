namespace Switchboard.Features.Sso;

public sealed class SsoForm
{
    public bool Enabled { get; set; } = true;
    public string? Issuer { get; set; }
    public string? ClientId { get; set; }

    /// <summary>Empty keeps the stored secret: it is never sent back to the browser.</summary>
    public string? ClientSecret { get; set; }
    public bool RemoveClientSecret { get; set; }
    public string? AllowedDomains { get; set; }
    public bool JitProvisioning { get; set; }
    public string? DefaultRole { get; set; }
    public string? GroupClaim { get; set; }

    /// <summary>One mapping a line, "group = role".</summary>
    public string? GroupRoles { get; set; }
    public bool SsoRequired { get; set; }
    public string? BreakGlassUserId { get; set; }
}

/// <summary>/settings/sso: the tenant's OpenID Connect provider (admins), saved as the API's PUT; test connection; remove.</summary>
public sealed class SsoSettingsModel(SsoSettings settings, TenantContext ctx) : AppPageModel
{
    [BindProperty] public SsoForm Form { get; set; } = new();

    public SsoSettingsDto Current { get; private set; } = null!;
    public IReadOnlyList<(Guid Id, string Name, string Email)> Administrators { get; private set; } = [];
    public SsoConnectionTest? Test { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return Forbid();
        Form = new SsoForm
        {
            Enabled = !Current.Configured || Current.Enabled, Issuer = Current.Issuer, ClientId = Current.ClientId,
            AllowedDomains = string.Join("\n", Current.AllowedDomains), JitProvisioning = Current.JitProvisioning, DefaultRole = Current.DefaultRole,
            GroupClaim = Current.GroupClaim, GroupRoles = string.Join("\n", Current.GroupRoles.Select(p => $"{p.Key} = {p.Value}")),
            SsoRequired = Current.SsoRequired, BreakGlassUserId = Current.BreakGlassUserId?.ToString(),
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!SsoSettings.CanManage(ctx)) return Forbid();
        var groupRoles = ParseGroupRoles(Form.GroupRoles);
        var body = new SsoSettingsWrite
        {
            Enabled = Optional.Of<bool?>(Form.Enabled), Issuer = Optional.Text(Form.Issuer), ClientId = Optional.Text(Form.ClientId),
            ClientSecret = Form.RemoveClientSecret ? Optional.Of<string?>(null) : string.IsNullOrEmpty(Form.ClientSecret) ? Optional<string?>.Unset : Optional.Of<string?>(Form.ClientSecret),
            AllowedDomains = Optional.Of<string[]?>((Form.AllowedDomains ?? "").Split(['\n', ',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
            JitProvisioning = Optional.Of<bool?>(Form.JitProvisioning), DefaultRole = Optional.Text(Form.DefaultRole), GroupClaim = Optional.Text(Form.GroupClaim),
            GroupRoles = groupRoles is null ? Optional<Dictionary<string, string>?>.Unset : Optional.Of<Dictionary<string, string>?>(groupRoles),
            SsoRequired = Optional.Of<bool?>(Form.SsoRequired),
            BreakGlassUserId = Optional.Of(Guid.TryParse(Form.BreakGlassUserId, out var id) ? id : (Guid?)null),
        };
        var outcome = await settings.PutAsync(body, ct);
        if (groupRoles is null) AddError("groupRoles", "Write each mapping on its own line as group = role.");
        if (outcome is Outcome<SsoSettingsDto>.Ok && groupRoles is not null)
        {
            Flash("Single sign-on settings were saved.");
            return LocalRedirect("/settings/sso");
        }
        if (outcome is Outcome<SsoSettingsDto>.Forbidden) return Forbid();
        if (outcome is Outcome<SsoSettingsDto>.Invalid invalid) foreach (var (field, messages) in invalid.Errors) foreach (var m in messages) AddError(field, m);
        FormError = "The single sign-on settings were not saved: check the fields marked below.";
        Form.ClientSecret = null;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostTestAsync(CancellationToken ct)
    {
        var page = await OnGetAsync(ct);
        if (page is not Microsoft.AspNetCore.Mvc.RazorPages.PageResult) return page;
        if (await settings.TestAsync(ct) is Outcome<SsoConnectionTest>.Ok ok) Test = ok.Value;
        else FormError = "Save the provider's settings first, then test the connection.";
        return page;
    }

    public async Task<IActionResult> OnPostRemoveAsync(CancellationToken ct) =>
        FlashAndRedirect(await settings.DeleteAsync(ct), _ => "Single sign-on was removed: everyone signs in with a password again.", "/settings/sso");

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (await settings.GetAsync(ct) is not Outcome<SsoSettingsDto>.Ok { Value: var current }) return false;
        Current = current;
        Administrators = await settings.AdministratorsAsync(ct);
        return true;
    }

    /// <summary>"group = role" lines as the API's map; null when a line is not in that shape.</summary>
    private static Dictionary<string, string>? ParseGroupRoles(string? text)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = line.LastIndexOf('=');
            if (equals <= 0) return null;
            map[line[..equals].Trim()] = line[(equals + 1)..].Trim().ToLowerInvariant();
        }
        return map;
    }
}
