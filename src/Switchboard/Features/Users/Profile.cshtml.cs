using Switchboard.Features.Auth;
using Switchboard.Features.Calls;
using Switchboard.Features.Dialer;
using Switchboard.Features.Sessions;
using Switchboard.Features.TwoFactor;

namespace Switchboard.Features.Users;

/// <summary>
/// The signed-in user's own page: who they are and, for a member of the workspace, the phone click-to-call rings and
/// their presence. A superadmin is not a member of the workspaces they enter (or may have none selected), so they see
/// their account and role without the calling part. Everyone changes their own password and email here (the forms'
/// handlers live with the rest of the account's self-service in Features/Auth).
/// </summary>
// Wide on purpose: the profile page shows and changes the person's details, presence, password, sessions and second
// factors, each from its own service.
public sealed class ProfileModel(UserService users, PresenceService presence, TenantContext ctx, SwitchboardDbContext db, Passwords passwords, SessionService sessions,
    TwoFactorService twoFactor)
    : AppPageModel
{
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public PasswordChangeForm PasswordChange { get; set; } = new();
    [BindProperty] public EmailChangeForm EmailChange { get; set; } = new();

    public string Name { get; private set; } = "";
    public string Email { get; private set; } = "";
    public string Role { get; private set; } = "";
    public string PresenceState { get; private set; } = PresenceStates.Away;
    public TenantSettings? Tenant => ctx.Tenant;
    public string PasswordHint { get; private set; } = "";

    /// <summary>The user's live sessions in every tenant, this one marked.</summary>
    public IReadOnlyList<SessionDto> Sessions { get; private set; } = [];

    /// <summary>Calling settings belong to a membership of the workspace; a visiting superadmin has none.</summary>
    public bool IsMember { get; private set; }

    /// <summary>The user's two-factor sign-in, managed on /profile/two-factor.</summary>
    public TwoFactorStatus SecondFactor { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await PageAsync(ct) ?? NotFound();

    public async Task<IActionResult> OnPostPhoneAsync(CancellationToken ct)
    {
        var result = await users.UpdateAsync(ctx.RequiredUserId, new UserUpdate { Phone = Optional.Text(Phone) }, ct);
        if (result is Outcome<UserDto>.Ok)
        {
            Flash("Phone saved.");
            return LocalRedirect("/profile");
        }
        if (!ShowProblem(result)) return NotFound();
        var typed = Phone;
        var page = await PageAsync(ct) ?? NotFound();
        Phone = typed;
        return page;
    }

    public async Task<IActionResult> OnPostPasswordAsync([FromServices] ChangePassword change, CancellationToken ct) =>
        await OwnAccountForms.ChangePasswordAsync(this, change, PasswordChange, ct) ?? await PageAsync(ct) ?? NotFound();

    public async Task<IActionResult> OnPostEmailAsync([FromServices] ChangeEmail change, CancellationToken ct) =>
        await OwnAccountForms.ChangeEmailAsync(this, change, EmailChange, ct) ?? await PageAsync(ct) ?? NotFound();

    public async Task<IActionResult> OnPostEndSessionAsync(Guid id, CancellationToken ct) =>
        FlashAndRedirect(await sessions.EndOwnAsync(id, CurrentSession, ct), s => $"{s.Device} was signed out.", "/profile#sessions");

    public async Task<IActionResult> OnPostEndOtherSessionsAsync(CancellationToken ct)
    {
        if (CurrentSession is not { } current) return LocalRedirect("/signin");
        var ended = await sessions.EndOthersAsync(current, ct);
        Flash(ended.Ended == 1 ? "1 other session was signed out." : $"{ended.Ended} other sessions were signed out.");
        return LocalRedirect("/profile#sessions");
    }

    private Guid? CurrentSession => User.Read(SwitchboardClaims.SessionId);

    public async Task<IActionResult> OnPostPresenceAsync(string? state, CancellationToken ct)
    {
        var result = await presence.SetOwnAsync(PresenceRequest.To(state), ct);
        if (result is Outcome<PresenceDto>.Forbidden) return Forbid();
        return Partial("_Presence", new PresenceView(result is Outcome<PresenceDto>.Ok ok ? ok.Value.State : state ?? PresenceStates.Away));
    }

    private async Task<IActionResult?> PageAsync(CancellationToken ct)
    {
        if (ctx.UserId is not { } self) return null;
        var member = ctx.TenantId is null ? null
            : await db.Memberships.AsNoTracking().Include(m => m.User).SingleOrDefaultAsync(m => m.UserId == self, ct);
        var user = member?.User ?? await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == self, ct);
        if (user is null || (member is null && !ctx.IsSuperadmin)) return null;
        Name = Display.FullName(user.FirstName, user.LastName);
        Email = user.Email ?? "";
        Role = member?.Role ?? TenantRole.Superadmin.ToName();
        IsMember = member is not null;
        PasswordHint = (await passwords.RulesForAsync(self, ctx.TenantId, ct)).Hint;
        Sessions = await sessions.ListOwnAsync(CurrentSession, ct);
        SecondFactor = await twoFactor.StatusAsync(ct);
        if (member is null) return Page();
        Phone = member.Phone is null ? null : Display.Phone(member.Phone, ctx.Tenant);
        PresenceState = (await presence.ListAsync(ct)).FirstOrDefault(p => p.UserId == self)?.State ?? PresenceStates.Away;
        return Page();
    }
}
