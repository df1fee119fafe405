using Switchboard.Features.Invitations;
using Switchboard.Features.Sessions;

namespace Switchboard.Features.Users;

public sealed class InviteForm
{
    public string? Email { get; set; }
    public string? Role { get; set; } = "agent";
}

/// <summary>
/// Members of the workspace, and how people join it: invitations by email (one, or many from a CSV), pending ones
/// resent or withdrawn here. Administrators never set someone else's password (ADR 0040).
/// </summary>
public sealed class IndexModel(UserService users, UserImport import, InvitationService invitations, SessionService sessions, TenantContext ctx) : AppPageModel
{
    [BindProperty] public InviteForm Form { get; set; } = new();

    public IReadOnlyList<UserDto> Members { get; private set; } = [];
    public IReadOnlyList<InvitationDto> Invitations { get; private set; } = [];

    /// <summary>What the last CSV did, shown as a table under its form.</summary>
    public InvitationImportResult? ImportResult { get; private set; }
    public string? ImportError { get; private set; }
    public Guid? CurrentUserId => ctx.UserId;
    public TenantSettings? Tenant => ctx.Tenant;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        var outcome = await invitations.CreateAsync(new InvitationCreate { Email = Optional.Text(Form.Email), Role = Optional.Text(Form.Role) }, ct);
        if (outcome is Outcome<InvitationDto>.Ok ok)
        {
            Flash($"An invitation was sent to {ok.Value.Email}.");
            return LocalRedirect("/users");
        }
        if (outcome is Outcome<InvitationDto>.Forbidden) return Forbid();
        ShowProblem(outcome);
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostResendAsync(Guid id, CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        return FlashAndRedirect(await invitations.ResendAsync(id, ct), i => $"The invitation to {i.Email} was sent again with a new link.", "/users");
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        return FlashAndRedirect(await invitations.RevokeAsync(id, ct), i => $"The invitation to {i.Email} was withdrawn.", "/users");
    }

    /// <summary>The same as POST /api/v1/invitations/import; the result (or why the file was refused) shows on the page.</summary>
    public async Task<IActionResult> OnPostImportAsync(IFormFile? importFile, CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        if (importFile is not { Length: > 0 }) ImportError = "Choose a CSV file to import.";
        else if (importFile.Length > UserImport.MaxBytes) ImportError = $"The file is larger than {UserImport.MaxBytes / 1024 / 1024} MB.";
        else
        {
            using var buffer = new MemoryStream((int)importFile.Length);
            await importFile.CopyToAsync(buffer, ct);
            switch (await import.InviteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct))
            {
                case Outcome<InvitationImportResult>.Ok ok:
                    ImportResult = ok.Value;
                    break;
                case Outcome<InvitationImportResult>.Invalid invalid:
                    ImportError = invalid.Summary;
                    break;
                case Outcome<InvitationImportResult>.Conflict conflict:
                    ImportError = conflict.Message;
                    break;
                default:
                    return Forbid();
            }
        }
        return await PageAsync(ct);
    }

    public Task<IActionResult> OnPostRoleAsync(Guid id, string role, CancellationToken ct) =>
        UpdateAsync(id, new UserUpdate { Role = Optional.Text(role) }, u => $"{u.Email} is now {u.Role}.", ct);

    public Task<IActionResult> OnPostActiveAsync(Guid id, bool active, CancellationToken ct) =>
        UpdateAsync(id, new UserUpdate { IsActive = Optional.Of<bool?>(active) },
            u => u.IsActive ? $"{u.Email} can sign in to this workspace again." : $"{u.Email} was deactivated.", ct);

    public async Task<IActionResult> OnPostUnlockAsync(Guid id, CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        return FlashAndRedirect(await users.UnlockAsync(id, ct), u => $"{u.Email} can sign in again; we told them by email.", "/users");
    }

    public async Task<IActionResult> OnPostResetTwoFactorAsync(Guid id, [FromServices] TwoFactor.TwoFactorService twoFactor, CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        var member = await users.FindAsync(id, ct);
        return FlashAndRedirect(await twoFactor.ResetMemberAsync(id, ct),
            reset => reset ? $"Two-factor sign-in of {member?.Email} was reset; we told them by email." : $"{member?.Email} had no two-factor sign-in to reset.", "/users");
    }

    public async Task<IActionResult> OnPostEndSessionsAsync(Guid id, CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        var member = await users.FindAsync(id, ct);
        return FlashAndRedirect(await sessions.EndMemberSessionsAsync(id, ct),
            ended => $"{member?.Email ?? "The member"} was signed out of {(ended.Ended == 1 ? "1 session" : $"{ended.Ended} sessions")} in this workspace.", "/users");
    }

    private async Task<IActionResult> UpdateAsync(Guid id, UserUpdate patch, Func<UserDto, string> message, CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        return FlashAndRedirect(await users.UpdateAsync(id, patch, ct), message, "/users");
    }

    private bool CanManage() => ctx.TenantId is not null && UserService.CanManage(ctx);

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        if (await users.ListAsync(ct) is Outcome<IReadOnlyList<UserDto>>.Ok ok) Members = ok.Value;
        if (await invitations.ListAsync(ct) is Outcome<IReadOnlyList<InvitationDto>>.Ok pending) Invitations = pending.Value;
        return Page();
    }
}
