namespace Switchboard.Features.Security;

public sealed class SecurityForm
{
    public string? PasswordMinLength { get; set; }
    public string? PasswordHistory { get; set; }
    public string? PasswordMaxAgeDays { get; set; }
    public string? SessionIdleMinutes { get; set; }
    public string? SessionMaxHours { get; set; }
    public string? Mfa { get; set; }
    public string? MfaGraceDays { get; set; }
    public string? IpAllowlist { get; set; }
}

/// <summary>/settings/security: the tenant's password rules and session lifetimes (admins), posted as the API's patch.</summary>
public sealed class SecuritySettingsModel(SecuritySettings settings, TenantContext ctx) : AppPageModel
{
    /// <summary>The address this page was asked from, so an admin sees what the allowlist must keep.</summary>
    public string? ClientAddress => CidrBlocks.Describe(HttpContext.Connection.RemoteIpAddress);

    [BindProperty] public SecurityForm Form { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await settings.GetAsync(ct) is not Outcome<SecuritySettingsDto>.Ok { Value: var current }) return Forbid();
        Form = new SecurityForm
        {
            PasswordMinLength = Text(current.PasswordMinLength), PasswordHistory = Text(current.PasswordHistory),
            PasswordMaxAgeDays = Text(current.PasswordMaxAgeDays), SessionIdleMinutes = Text(current.SessionIdleMinutes),
            SessionMaxHours = Text(current.SessionMaxHours), Mfa = current.Mfa, MfaGraceDays = Text(current.MfaGraceDays),
            IpAllowlist = string.Join('\n', current.IpAllowlist),
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!SecuritySettings.CanManage(ctx)) return Forbid();
        var patch = new SecuritySettingsWrite
        {
            PasswordMinLength = Optional.WholeNumber(Form.PasswordMinLength), PasswordHistory = Optional.WholeNumber(Form.PasswordHistory),
            PasswordMaxAgeDays = Optional.WholeNumber(Form.PasswordMaxAgeDays), SessionIdleMinutes = Optional.WholeNumber(Form.SessionIdleMinutes),
            SessionMaxHours = Optional.WholeNumber(Form.SessionMaxHours), Mfa = Optional.Text(Form.Mfa), MfaGraceDays = Optional.WholeNumber(Form.MfaGraceDays),
            IpAllowlist = Optional.Of<IReadOnlyList<string>?>(CidrBlocks.Split(Form.IpAllowlist)),
        };
        switch (await settings.UpdateAsync(patch, ct))
        {
            case Outcome<SecuritySettingsDto>.Ok:
                Flash("Security settings were saved.");
                return LocalRedirect("/settings/security");
            case Outcome<SecuritySettingsDto>.Invalid invalid:
                ShowErrors(invalid.Errors);
                FormError = "The security settings were not saved: check the fields marked below.";
                return Page();
            default:
                return Forbid();
        }
    }

    private static string? Text(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
