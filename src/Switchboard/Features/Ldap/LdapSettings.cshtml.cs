namespace Switchboard.Features.Ldap;

public sealed class LdapForm
{
    public bool Enabled { get; set; }
    public string? Host { get; set; }
    public string? Port { get; set; }
    public string Security { get; set; } = LdapSecurity.Ldaps;
    public string? CaCertificate { get; set; }
    public string? UserDnTemplate { get; set; }
    public string? SearchBase { get; set; }
    public string? SearchFilter { get; set; }
    public string? BindDn { get; set; }
    public string? BindPassword { get; set; }
    public bool RemoveBindPassword { get; set; }
    public string GroupSource { get; set; } = LdapGroupSource.None;
    public string? GroupSearchBase { get; set; }
    /// <summary>One mapping a line: "role: group DN".</summary>
    public string? GroupRoles { get; set; }
    public bool JitProvisioning { get; set; }
    public string DefaultRole { get; set; } = "agent";
    public Guid? BreakGlassUserId { get; set; }
}

public sealed record AdminChoice(Guid Id, string Name, string Email);

/// <summary>/settings/ldap: the tenant's LDAP / Active Directory sign-in (admins), posted as the API's PUT; test and remove beside it.</summary>
public sealed class LdapSettingsModel(LdapSettingsService settings, TenantContext ctx, SwitchboardDbContext db) : AppPageModel
{
    [BindProperty] public LdapForm Form { get; set; } = new();
    public bool Configured { get; private set; }
    public bool BindPasswordSet { get; private set; }
    public IReadOnlyList<AdminChoice> Admins { get; private set; } = [];
    public LdapTestResult? Test { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var current = await settings.GetAsync(ct);
        if (current is Outcome<LdapSettingsDto>.Forbidden) return Forbid();
        if (current is Outcome<LdapSettingsDto>.Ok { Value: var dto }) Show(dto);
        await LoadAdminsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!LdapSettingsService.CanManage(ctx)) return Forbid();
        var (roles, roleErrors) = ParseGroupRoles(Form.GroupRoles);
        var body = new LdapSettingsWrite
        {
            Enabled = Optional.Of<bool?>(Form.Enabled), Host = Optional.Text(Form.Host), Port = Optional.WholeNumber(Form.Port),
            Security = Optional.Text(Form.Security), CaCertificate = Optional.Text(Form.CaCertificate),
            UserDnTemplate = Optional.Text(Form.UserDnTemplate), SearchBase = Optional.Text(Form.SearchBase), SearchFilter = Optional.Text(Form.SearchFilter),
            BindDn = Optional.Text(Form.BindDn),
            BindPassword = Form.RemoveBindPassword ? Optional.Of<string?>(null)
                : string.IsNullOrEmpty(Form.BindPassword) ? Optional<string?>.Unset : Optional.Of<string?>(Form.BindPassword),
            GroupSource = Optional.Text(Form.GroupSource), GroupSearchBase = Optional.Text(Form.GroupSearchBase),
            GroupRoles = Optional.Of<IReadOnlyList<LdapGroupRole>?>(roles), JitProvisioning = Optional.Of<bool?>(Form.JitProvisioning),
            DefaultRole = Optional.Text(Form.DefaultRole), BreakGlassUserId = Optional.Of(Form.BreakGlassUserId),
        };
        var outcome = roleErrors is null ? await settings.PutAsync(body, ct) : new Outcome<LdapSettingsDto>.Invalid(new Dictionary<string, string[]> { ["groupRoles"] = [roleErrors] });
        switch (outcome)
        {
            case Outcome<LdapSettingsDto>.Ok:
                Flash("LDAP settings were saved.");
                return LocalRedirect("/settings/ldap");
            case Outcome<LdapSettingsDto>.Invalid invalid:
                // The API names a mapping's field by its index; the page has one box for all of them.
                ShowErrors(invalid.Errors
                    .GroupBy(e => e.Key.StartsWith("groupRoles", StringComparison.Ordinal) ? "groupRoles" : e.Key)
                    .ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value).ToArray()));
                FormError = "The LDAP settings were not saved: check the fields marked below.";
                Configured = await settings.GetAsync(ct) is Outcome<LdapSettingsDto>.Ok;
                await LoadAdminsAsync(ct);
                return Page();
            default:
                return Forbid();
        }
    }

    public async Task<IActionResult> OnPostTestAsync(CancellationToken ct)
    {
        if (!LdapSettingsService.CanManage(ctx)) return Forbid();
        if (await settings.TestAsync(ct) is not Outcome<LdapTestResult>.Ok { Value: var result }) return LocalRedirect("/settings/ldap");
        Test = result;
        return await OnGetAsync(ct);
    }

    public async Task<IActionResult> OnPostRemoveAsync(CancellationToken ct)
    {
        if (!LdapSettingsService.CanManage(ctx)) return Forbid();
        await settings.DeleteAsync(ct);
        Flash("LDAP sign-in was removed: members sign in with their Switchboard passwords.");
        return LocalRedirect("/settings/ldap");
    }

    private void Show(LdapSettingsDto dto)
    {
        Configured = true;
        BindPasswordSet = dto.BindPasswordSet;
        Form = new LdapForm
        {
            Enabled = dto.Enabled, Host = dto.Host, Port = dto.Port.ToString(CultureInfo.InvariantCulture), Security = dto.Security,
            CaCertificate = dto.CaCertificate, UserDnTemplate = dto.UserDnTemplate, SearchBase = dto.SearchBase, SearchFilter = dto.SearchFilter,
            BindDn = dto.BindDn, GroupSource = dto.GroupSource, GroupSearchBase = dto.GroupSearchBase,
            GroupRoles = string.Join("\n", dto.GroupRoles.Select(g => $"{g.Role}: {g.Group}")),
            JitProvisioning = dto.JitProvisioning, DefaultRole = dto.DefaultRole, BreakGlassUserId = dto.BreakGlassUserId,
        };
    }

    private async Task LoadAdminsAsync(CancellationToken ct) =>
        Admins = await db.Memberships.AsNoTracking()
            .Where(m => m.IsActive && m.Role == "admin")
            .OrderBy(m => m.User!.FirstName).ThenBy(m => m.User!.LastName)
            .Select(m => new AdminChoice(m.UserId, m.User!.FirstName + " " + m.User.LastName, m.User.Email!))
            .ToListAsync(ct);

    /// <summary>"role: group DN" lines; a line without a colon is named in the error.</summary>
    private static (IReadOnlyList<LdapGroupRole> Roles, string? Error) ParseGroupRoles(string? text)
    {
        var roles = new List<LdapGroupRole>();
        var lines = (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) return ([], $"Write each mapping as \"role: group DN\" (line \"{line}\").");
            roles.Add(new LdapGroupRole(line[(colon + 1)..].Trim(), line[..colon].Trim().ToLowerInvariant()));
        }
        return (roles, null);
    }
}
