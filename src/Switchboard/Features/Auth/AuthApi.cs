using Microsoft.AspNetCore.Identity;
using Switchboard.Features.Sessions;
using Switchboard.Features.TwoFactor;

namespace Switchboard.Features.Auth;

public sealed record LoginRequest(string? Email, string? Password, string? Tenant);
public sealed record RefreshRequest(string? RefreshToken);
public sealed record LogoutRequest(string? RefreshToken);
public sealed record SwitchTenantRequest(Guid? TenantId);

/// <summary>
/// The sign-in's answer when the password was right but has expired: no tokens; the reset token sets a new password
/// through POST /api/v1/auth/reset-password (valid one hour), after which the client signs in again.
/// </summary>
public sealed record PasswordChangeChallenge(bool PasswordChangeRequired, string PasswordResetToken, string Detail)
{
    public const string ExpiredMessage = "Your password has expired under your workspace's policy. Choose a new one to sign in.";
}

public static class AuthApi
{
    private const string WrongCredentials = "The email or password is incorrect.";

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth").WithTags("Auth");

        auth.MapPost("/login", async (LoginRequest body, SignInService signIn, AccessTokens tokens, SwitchboardDbContext db, CancellationToken ct) =>
        {
            var errors = new ValidationErrors();
            errors.Required("email", body.Email, "Email", 254);
            errors.Required("password", body.Password, "Password", 1024);
            if (!errors.IsValid) return Problems.Invalid(errors.ToDictionary());

            var result = await signIn.SignInAsync(body.Email!.Trim(), body.Password!, body.Tenant, "api", ct);
            return await TokensAsync(result, tokens, db, Problems.Unauthorized(WrongCredentials), ct);
        })
            .AllowAnonymous()
            .RequireRateLimiting(SignInRateLimit.Policy)
            .Produces<TokenPair>()
            .Produces<PasswordChangeChallenge>()
            .Produces<MfaChallengeAnswer>()
            .ProducesValidationProblem()
            .ProducesProblem(401).ProducesProblem(403).ProducesProblem(429)
            .WithSummary("Sign in with email and password; tenant (slug) is optional. An expired password answers passwordChangeRequired with a reset token instead of tokens; " +
                         "an account with two-factor sign-in answers mfaRequired with an mfaToken for POST /login/mfa; a required enrolment past its grace period is 403 (mfaEnrolmentRequired).");

        auth.MapPost("/refresh", async (RefreshRequest body, SessionStore sessions, AccessTokens tokens, TenantContext tenant, SwitchboardDbContext db, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(body.RefreshToken)) return Problems.Invalid("refreshToken", "refreshToken is required.");
            var session = await sessions.RedeemAsync(body.RefreshToken, ct);
            if (session is null) return Problems.Unauthorized("The refresh token is invalid, expired or already used.");
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == session.UserId, ct);
            if (!user.IsActive) return Problems.Unauthorized("The refresh token is invalid, expired or already used.");
            await tenant.SetUserAsync(user.Id, user.IsSuperadmin);
            if (session.TenantId is { } tenantId && !user.IsSuperadmin && await BlockedAsync(db, tenantId, user.Id, ct) is { } blocked)
                return Problems.Forbidden(blocked);
            var pair = tokens.Issue(session);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another request redeemed this token first: that is reuse, which ends the session.
                await sessions.RevokeAsync(session.Id, SessionEndReasons.RefreshTokenReused, ct);
                return Problems.Unauthorized("The refresh token is invalid, expired or already used.");
            }
            return Results.Ok(pair);
        })
            .AllowAnonymous()
            .RequireRateLimiting(SignInRateLimit.Policy)
            .Produces<TokenPair>()
            .ProducesProblem(401).ProducesProblem(429)
            .WithSummary("Exchange a refresh token for a new pair. Each refresh token works once; reuse revokes the session.");

        auth.MapPost("/logout", async (LogoutRequest? body, HttpContext http, SessionStore sessions, CancellationToken ct) =>
        {
            if (!string.IsNullOrWhiteSpace(body?.RefreshToken) && await sessions.FindByRefreshTokenAsync(body.RefreshToken, ct) is { } byToken)
            {
                if (byToken.UserId != http.User.Read(SwitchboardClaims.UserId)) return Problems.Forbidden("That refresh token belongs to another user.");
                await sessions.RevokeAsync(byToken.Id, SessionEndReasons.SignedOut, ct);
            }
            if (http.User.Read(SwitchboardClaims.SessionId) is { } current) await sessions.RevokeAsync(current, SessionEndReasons.SignedOut, ct);
            return Results.NoContent();
        })
            .RequireAuthorization(EndpointConventions.ApiPolicy)
            .Produces(204)
            .WithSummary("Revoke the caller's session: its refresh token and access tokens stop working.");

        auth.MapPost("/switch-tenant", async (SwitchTenantRequest body, HttpContext http, SignInService signIn, SessionStore sessions, AccessTokens tokens,
            UserManager<AppUser> users, SwitchboardDbContext db, CancellationToken ct) =>
        {
            if (body.TenantId is not { } tenantId) return Problems.Invalid("tenantId", "tenantId is required.");
            var user = await users.FindByIdAsync(http.User.Read(SwitchboardClaims.UserId)!.Value.ToString());
            if (user is null) return Problems.Unauthorized("Sign in again.");
            var result = await signIn.SwitchAsync(user, tenantId, "api", http.User.Read(SwitchboardClaims.SessionId), ct);
            if (result is SignedIn && http.User.Read(SwitchboardClaims.SessionId) is { } old) await sessions.RevokeAsync(old, SessionEndReasons.SwitchedTenant, ct);
            return await TokensAsync(result, tokens, db, Problems.Forbidden("You are not a member of that tenant."), ct);
        })
            .RequireAuthorization(EndpointConventions.ApiPolicy)
            .Produces<TokenPair>()
            .ProducesProblem(403)
            .WithSummary("Get a token pair for another tenant the caller belongs to.");

        auth.MapGet("/me", async (TenantContext tenant, SwitchboardDbContext db, CancellationToken ct) =>
        {
            var me = await CurrentUser.ReadAsync(db, tenant.RequiredUserId, ct);
            return Results.Ok(new
            {
                me.Id, me.Email, me.FirstName, me.LastName, me.IsSuperadmin,
                tenantId = tenant.TenantId, role = tenant.Role?.ToName(),
                tenants = me.Tenants.Select(m => new { m.Id, m.Name, m.Slug, role = CurrentUser.RoleName(m.Role) }),
            });
        })
            .RequireAuthorization(EndpointConventions.ApiPolicy)
            .WithSummary("The signed-in user, current tenant and role, and the tenants they can switch to.");

        auth.MapAccountApi();
        auth.MapTwoFactorApi();
        auth.MapSessionsApi();
        return app;
    }

    /// <summary>A sign-in or tenant switch answered with a new token pair; a tenant that is unavailable is 403, any other refusal <paramref name="refused"/>.</summary>
    internal static async Task<IResult> TokensAsync(Platform.Identity.SignInResult result, AccessTokens tokens, SwitchboardDbContext db, IResult refused, CancellationToken ct)
    {
        switch (result)
        {
            case SignedIn signedIn:
                var pair = tokens.Issue(signedIn.Session);
                await db.SaveChangesAsync(ct);
                return Results.Ok(pair);
            case TenantUnavailable unavailable:
                return Problems.Forbidden(unavailable.Message);
            case PasswordExpired expired:
                return Results.Ok(new PasswordChangeChallenge(true, expired.ResetToken, PasswordChangeChallenge.ExpiredMessage));
            case SecondFactorRequired challenge:
                return Results.Ok(new MfaChallengeAnswer(true, challenge.MfaToken, challenge.Methods, (int)Platform.Identity.TwoFactor.MfaChallenges.Lifetime.TotalSeconds));
            case SecondFactorEnrolmentRequired required:
                return TwoFactorApi.EnrolmentRequired(required.TenantName);
            default:
                return refused;
        }
    }

    private static async Task<string?> BlockedAsync(SwitchboardDbContext db, Guid tenantId, Guid userId, CancellationToken ct)
    {
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId, ct);
        if (tenant is null) return "The tenant no longer exists.";
        if (!tenant.IsActive) return TenantMessages.Deactivated(tenant.Name);
        var member = await db.Memberships.IgnoreQueryFilters().AsNoTracking()
            .AnyAsync(m => m.TenantId == tenantId && m.UserId == userId && m.IsActive, ct);
        return member ? null : "Your access to this tenant has been removed.";
    }
}
