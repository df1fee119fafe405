using Switchboard.Features.Calls;
using Switchboard.Features.Dialer;

namespace Switchboard.Features.Users;

/// <summary>The signed-in member's own page: who they are, the phone click-to-call rings, and their presence.</summary>
public sealed class ProfileModel(UserService users, PresenceService presence, TenantContext ctx, SwitchboardDbContext db) : AppPageModel
{
    [BindProperty] public string? Phone { get; set; }

    public string Name { get; private set; } = "";
    public string Email { get; private set; } = "";
    public string Role { get; private set; } = "";
    public string PresenceState { get; private set; } = PresenceStates.Away;
    public TenantSettings? Tenant => ctx.Tenant;

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

    public async Task<IActionResult> OnPostPresenceAsync(string? state, CancellationToken ct)
    {
        var result = await presence.SetOwnAsync(PresenceRequest.To(state), ct);
        if (result is Outcome<PresenceDto>.Forbidden) return Forbid();
        return Partial("_Presence", new PresenceView(result is Outcome<PresenceDto>.Ok ok ? ok.Value.State : state ?? PresenceStates.Away));
    }

    private async Task<IActionResult?> PageAsync(CancellationToken ct)
    {
        if (ctx.UserId is not { } self || ctx.TenantId is null) return null;
        var member = await db.Memberships.AsNoTracking().Include(m => m.User).SingleOrDefaultAsync(m => m.UserId == self, ct);
        if (member?.User is null) return null;
        Name = Display.FullName(member.User.FirstName, member.User.LastName);
        Email = member.User.Email ?? "";
        Role = member.Role;
        Phone = member.Phone is null ? null : Display.Phone(member.Phone, ctx.Tenant);
        PresenceState = (await presence.ListAsync(ct)).FirstOrDefault(p => p.UserId == self)?.State ?? PresenceStates.Away;
        return Page();
    }
}
