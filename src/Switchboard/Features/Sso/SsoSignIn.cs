using Microsoft.AspNetCore.Identity;
using Switchboard.Features.Invitations;

namespace Switchboard.Features.Sso;

public static class SsoPaths
{
    public const string Start = "/sso/start";

    /// <summary>The redirect URI to register at the provider: App:PublicUrl (or the server's address) + this path.</summary>
    public const string Callback = "/sso/callback";
}

/// <summary>Where "Sign in with SSO" goes next: the provider's authorization URL, or why it cannot start.</summary>
public abstract record SsoStart
{
    public sealed record Redirect(string Url, OidcFlowState Flow) : SsoStart;
    public sealed record Refused(string Message) : SsoStart;
}

/// <summary>How a provider's answer ended: a session, or a refusal to show (never a stack trace).</summary>
public abstract record SsoFinish
{
    public sealed record Done(SignedIn SignedIn, string? ReturnUrl) : SsoFinish;
    public sealed record Refused(string Message) : SsoFinish;
}

/// <summary>
/// Single sign-on through a tenant's OpenID Connect provider (ADR 0047). <see cref="StartAsync"/> finds the tenant (by
/// slug, or by the one tenant whose provider signs in the address's domain) and sends the browser to its provider;
/// <see cref="FinishAsync"/> redeems the code, checks the person (verified email at an allowed domain, an active
/// member, the invited address of the invitation the sign-in was started to accept, or a new account when just-in-time
/// provisioning is on), applies the group → role mapping and opens the
/// session through <see cref="SignInService"/>. Every refusal is audited with its reason.
/// </summary>
// Nine: the database, tenant, audit and clock are ambient; the rest are the sign-in's own steps (provider, secret,
// accounts, session, and the invitation a workspace that requires SSO is joined through).
[Scoped]
public sealed class SsoSignIn(SwitchboardDbContext db, TenantContext ctx, AuditLog audit, TimeProvider clock, OidcClient oidc, SsoSecrets secrets,
    UserManager<AppUser> users, SignInService signIn, InvitationAcceptance invitations)
{
    public const string NoProvider = "No single sign-on is set up for that workspace or email domain. Sign in with your password, or ask your administrator.";
    public const string Unavailable = "Single sign-on did not work this time. Try again, or ask your administrator to check the provider.";

    /// <param name="invitation">The token of an invitation to accept through the provider (a workspace that requires SSO).</param>
    public async Task<SsoStart> StartAsync(string? email, string? slug, string? returnUrl, CancellationToken ct, string? invitation = null)
    {
        var found = slug is not null ? await BySlugAsync(slug, ct) : email is not null ? await ByDomainAsync(email, ct) : null;
        if (found is not { } entry) return new SsoStart.Refused(NoProvider);
        try
        {
            var provider = await oidc.DiscoverAsync(entry.Config.Issuer, ct);
            var flow = OidcFlowState.New(entry.Tenant.Id, returnUrl, invitation);
            return new SsoStart.Redirect(OidcClient.AuthorizationUrl(provider, entry.Config.ClientId, oidc.RedirectUri, flow, email), flow);
        }
        catch (OidcException e)
        {
            await audit.WriteAsync(AuditActions.UserSignInFailed, entry.Tenant.Id, "tenant", entry.Tenant.Id.ToString(), new { method = SignInMethods.Sso, reason = SignInFailures.SsoFailed, detail = e.Reason, error = e.Message }, ct);
            return new SsoStart.Refused(Unavailable);
        }
    }

    public async Task<SsoFinish> FinishAsync(OidcFlowState? flow, string? code, string? error, CancellationToken ct)
    {
        if (flow is null) return await RefuseAsync(null, null, SignInFailures.SsoInvalidState,
            "This sign-in was not started in this browser, or took longer than ten minutes. Start again from the sign-in page.", ct);
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == flow.TenantId, ct);
        if (tenant is null) return new SsoFinish.Refused(NoProvider);
        await ctx.EnterTenantAsSystemAsync(TenantMessages.Settings(tenant), "sso");
        var config = await db.SsoConfigurations.AsNoTracking().SingleOrDefaultAsync(ct);
        if (config is not { Enabled: true }) return new SsoFinish.Refused(NoProvider);
        if (!tenant.IsActive) return await RefuseAsync(tenant, null, SignInFailures.TenantDeactivated, TenantMessages.Deactivated(tenant.Name), ct);
        if (error is not null || string.IsNullOrEmpty(code))
            return await RefuseAsync(tenant, null, SignInFailures.SsoFailed, $"{tenant.Name}'s sign-in provider did not sign you in ({error ?? "no code"}).", ct, error);

        OidcIdentity identity;
        try
        {
            var secret = secrets.Open(config.ClientSecret);
            identity = await oidc.RedeemAsync(config.Issuer, config.ClientId, secret, oidc.RedirectUri, code, flow, config.GroupClaim, ct);
        }
        catch (OidcException e)
        {
            return await RefuseAsync(tenant, null, SignInFailures.SsoFailed, Unavailable, ct, e.Reason, error: e.Message);
        }

        if (identity.Email is not { } email || !ValidationErrors.IsEmail(email))
            return await RefuseAsync(tenant, null, SignInFailures.SsoEmailNotVerified, $"{tenant.Name}'s provider did not give an email address for your account.", ct);
        if (!identity.EmailVerified)
            return await RefuseAsync(tenant, email, SignInFailures.SsoEmailNotVerified, $"{tenant.Name}'s provider has not verified the address {email}, so it cannot sign you in here.", ct);
        var domain = email[(email.LastIndexOf('@') + 1)..].ToLowerInvariant();
        if (!config.AllowedDomains.Contains(domain))
            return await RefuseAsync(tenant, email, SignInFailures.SsoDomainNotAllowed, $"Addresses at {domain} may not sign in to {tenant.Name} with single sign-on.", ct);

        if (flow.Invitation is { } invitation)
        {
            var (first, last) = Names(identity, email);
            if (await invitations.AcceptThroughSsoAsync(invitation, tenant.Id, email, first, last, ct) is Outcome<AcceptedInvitation>.Invalid refused)
                return await RefuseAsync(tenant, email, SignInFailures.SsoInvitationRefused, string.Join(" ", refused.Errors.Values.SelectMany(m => m)), ct);
        }
        var mapped = MappedRole(config, identity.Groups);
        var user = await users.FindByEmailAsync(email);
        TenantMembership? membership;
        if (user is null)
        {
            if (!config.JitProvisioning)
                return await RefuseAsync(tenant, email, SignInFailures.SsoNoAccount, $"There is no Switchboard account for {email} in {tenant.Name}. Ask an administrator to invite you.", ct);
            // The new account, its membership and the session are one unit: no account without its membership.
            await using var unit = await db.BeginUnitOfWorkAsync(ct);
            (user, membership) = await ProvisionAsync(tenant, config, identity, email, mapped, ct);
            if (user is null) return new SsoFinish.Refused(Unavailable);
            var created = await signIn.SignInWithSsoAsync(user, tenant, TenantRoles.MembershipRoleOrReadonly(membership!.Role), ct);
            await unit.CommitAsync(ct);
            return new SsoFinish.Done(created, flow.ReturnUrl);
        }
        else
        {
            if (!user.IsActive) return await RefuseAsync(tenant, email, SignInFailures.UserInactive, "Your Switchboard account is deactivated.", ct, userId: user.Id);
            // A tenant's provider vouches for its own members only; a superadmin signs in with a password.
            if (user.IsSuperadmin) return await RefuseAsync(tenant, email, SignInFailures.SsoSuperadmin, "Platform administrators sign in with their password.", ct, userId: user.Id);
            membership = await db.Memberships.SingleOrDefaultAsync(m => m.UserId == user.Id, ct);
            // An account that exists but is not a member joins through an invitation it accepts, never through a
            // provider's word (issue 12 §2): a tenant's provider could otherwise claim anyone's address.
            if (membership is null)
                return await RefuseAsync(tenant, email, SignInFailures.NotAMember, $"Your account {email} is not a member of {tenant.Name}. Ask an administrator of {tenant.Name} to invite you.", ct, userId: user.Id);
            if (!membership.IsActive)
                return await RefuseAsync(tenant, email, SignInFailures.MembershipDeactivated, $"Your membership of {tenant.Name} is deactivated. Ask an administrator of {tenant.Name}.", ct, userId: user.Id);
            if (mapped is not null && membership.Role != mapped) membership.Role = mapped; // audited by the interceptor with the session's save
        }

        var signedIn = await signIn.SignInWithSsoAsync(user, tenant, TenantRoles.MembershipRoleOrReadonly(membership.Role), ct);
        return new SsoFinish.Done(signedIn, flow.ReturnUrl);
    }

    /// <summary>The highest role among the person's groups that the mapping names, or null when none does.</summary>
    public static string? MappedRole(SsoConfiguration config, IReadOnlyList<string> groups)
    {
        var map = config.GroupRoleMap();
        return groups.Where(map.ContainsKey).Select(g => TenantRoles.MembershipRoleOrReadonly(map[g])).OrderDescending()
            .Select(r => (TenantRole?)r).FirstOrDefault()?.ToName();
    }

    private async Task<(AppUser?, TenantMembership?)> ProvisionAsync(Tenant tenant, SsoConfiguration config, OidcIdentity identity, string email, string? mapped, CancellationToken ct)
    {
        var (first, last) = Names(identity, email);
        var user = new AppUser
        {
            Id = Guid.CreateVersion7(), UserName = email, Email = email, EmailConfirmed = true, FirstName = first, LastName = last,
            CreatedAt = clock.GetUtcNow(), LockoutEnabled = true,
        };
        // No password: the account signs in through the provider until its owner sets one with "forgot password".
        if (!(await users.CreateAsync(user)).Succeeded) return (null, null);
        var membership = new TenantMembership { UserId = user.Id, Role = mapped ?? config.DefaultRole };
        db.Memberships.Add(membership);
        audit.Add(AuditActions.UserProvisionedBySso, tenant.Id, "user", user.Id.ToString(), new { email, role = membership.Role, subject = identity.Subject });
        return (user, membership);
    }

    private static (string First, string Last) Names(OidcIdentity identity, string email)
    {
        static string Cut(string text) => text.Length > 100 ? text[..100] : text;
        if (identity.GivenName is not null || identity.FamilyName is not null) return (Cut(identity.GivenName ?? ""), Cut(identity.FamilyName ?? ""));
        if (identity.Name is { } name)
        {
            var space = name.LastIndexOf(' ');
            return space > 0 ? (Cut(name[..space]), Cut(name[(space + 1)..])) : (Cut(name), "");
        }
        return (Cut(email[..email.IndexOf('@')]), "");
    }

    /// <summary>Audits the refusal (for the administrators: the reason, and the provider's words when it failed) and answers the person in plain words.</summary>
    private async Task<SsoFinish> RefuseAsync(Tenant? tenant, string? email, string reason, string message, CancellationToken ct, string? detail = null,
        Guid? userId = null, string? error = null)
    {
        await audit.WriteAsync(AuditActions.UserSignInFailed, tenant?.Id, "user", userId?.ToString(), new { email, method = SignInMethods.Sso, reason, detail, error }, ct);
        return new SsoFinish.Refused(message);
    }

    private async Task<(Tenant Tenant, SsoConfiguration Config)?> BySlugAsync(string slug, CancellationToken ct)
    {
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == slug, ct);
        if (tenant is not { IsActive: true }) return null;
        await ctx.EnterTenantAsSystemAsync(TenantMessages.Settings(tenant), "sso");
        var config = await db.SsoConfigurations.AsNoTracking().SingleOrDefaultAsync(ct);
        return config is { Enabled: true } ? (tenant, config) : null;
    }

    /// <summary>The one tenant whose enabled provider lists the address's domain; none when no tenant or several do.</summary>
    private async Task<(Tenant Tenant, SsoConfiguration Config)?> ByDomainAsync(string email, CancellationToken ct)
    {
        if (!ValidationErrors.IsEmail(email)) return null;
        var domain = email[(email.LastIndexOf('@') + 1)..].ToLowerInvariant();
        List<Guid> tenantIds;
        await using (var unit = await db.BeginUnitOfWorkAsync(ct))
        {
            // Row-level security shows the configurations listing this domain only while app.sso_domain names it (0031_sso.sql).
            await db.Database.ExecuteSqlRawAsync("select set_config('app.sso_domain', {0}, true)", [domain], ct);
            tenantIds = await db.SsoConfigurations.IgnoreQueryFilters().AsNoTracking()
                .Where(c => c.Enabled && c.AllowedDomains.Contains(domain)).Select(c => c.TenantId).Take(2).ToListAsync(ct);
            await unit.CommitAsync(ct);
        }
        if (tenantIds.Count != 1) return null;
        var slug = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantIds[0]).Select(t => t.Slug).SingleAsync(ct);
        return await BySlugAsync(slug, ct);
    }
}
