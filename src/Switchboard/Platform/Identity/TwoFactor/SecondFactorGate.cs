namespace Switchboard.Platform.Identity.TwoFactor;

/// <summary>What the gate decided: stop with <see cref="Stop"/> (a challenge or a refusal), or open the session, with <see cref="Due"/> when enrolment is due.</summary>
public sealed record GateDecision(SignInResult? Stop, MfaEnrolmentDue? Due);

/// <summary>
/// The step of the password sign-in after the password was right (ADR 0045). A user with a second factor gets a
/// challenge (an mfaToken and the methods to answer it with) instead of a session, unless the browser is a device
/// they asked to be remembered. A user without one whom the tenant signed into requires to have one is let in during
/// their grace period (the web walks them through enrolment); past it, the web opens a session that can only enrol and
/// the API refuses with <see cref="SecondFactorEnrolmentRequired"/>.
/// </summary>
[Scoped]
public sealed class SecondFactorGate(SwitchboardDbContext db, TenantContext tenant, SecondFactorCodes factors, MfaChallenges challenges, RememberedDevices devices,
    TimeProvider clock)
{
    public async Task<GateDecision> CheckAsync(AppUser user, MembershipChoice? target, string kind, string method, string? rememberedDevice, CancellationToken ct)
    {
        var methods = await factors.MethodsAsync(user.Id, ct);
        if (methods.Count > 0)
        {
            if (kind == "web" && await devices.IsRememberedAsync(user, rememberedDevice, ct)) return new GateDecision(null, null);
            var token = await challenges.IssueAsync(user.Id, target?.Tenant.Id, kind, method, ct);
            return new GateDecision(new SecondFactorRequired(token, [.. methods, SecondFactorMethods.RecoveryCode]), null);
        }
        return await RequirementAsync(target, user.Id, kind, ct);
    }

    /// <summary>
    /// The step for a session opened without a new second factor, when the user is already signed in (tenant switch, or
    /// the end of the second step): a user with a second factor gave it at sign-in; one without may owe it to the tenant
    /// they enter, whose requirement is checked as at sign-in.
    /// </summary>
    public async Task<GateDecision> EnteringAsync(AppUser user, MembershipChoice target, string kind, CancellationToken ct) =>
        (await factors.MethodsAsync(user.Id, ct)).Count > 0 ? new GateDecision(null, null) : await RequirementAsync(target, user.Id, kind, ct);

    private async Task<GateDecision> RequirementAsync(MembershipChoice? target, Guid userId, string kind, CancellationToken ct)
    {
        if (target is null || !MfaRequirements.AppliesTo(target.Tenant.MfaRequirement, target.Role)) return new GateDecision(null, null);

        var due = await DueAsync(userId, target, ct);
        if (due.GraceOver && kind != "web") return new GateDecision(new SecondFactorEnrolmentRequired(target.Tenant.Name), due);
        return new GateDecision(null, due);
    }

    /// <summary>When the member's grace ends, counted from when the requirement first applied to them (stamped now if it never had).</summary>
    private async Task<MfaEnrolmentDue> DueAsync(Guid userId, MembershipChoice target, CancellationToken ct)
    {
        await tenant.EnterTenantAsync(TenantMessages.Settings(target.Tenant), target.Role);
        var memberships = db.Memberships.Where(m => m.TenantId == target.Tenant.Id && m.UserId == userId);
        var since = await memberships.Select(m => m.MfaRequiredSince).SingleOrDefaultAsync(ct);
        var now = clock.GetUtcNow();
        if (since is null)
        {
            since = now;
            // Not through the tracked entity: a stamp of the sign-in's own is not a change of the membership to audit.
            await memberships.Where(m => m.MfaRequiredSince == null).ExecuteUpdateAsync(u => u.SetProperty(m => m.MfaRequiredSince, now), ct);
        }
        var ends = since.Value.AddDays(target.Tenant.MfaGraceDays);
        return new MfaEnrolmentDue(ends, ends <= now);
    }
}
