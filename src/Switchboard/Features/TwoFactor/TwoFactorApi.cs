using Switchboard.Platform.Identity.TwoFactor;

namespace Switchboard.Features.TwoFactor;

/// <summary>The second step: the mfaToken and either a code or a passkey's answer (<see cref="PasskeyApi"/>).</summary>
public sealed record LoginMfaRequest(string? MfaToken, string? Code, Fido2NetLib.AuthenticatorAssertionRawResponse? Passkey = null);

/// <summary>The first step's answer when a second factor is needed: no tokens yet; POST /api/v1/auth/login/mfa with the mfaToken and a code.</summary>
public sealed record MfaChallengeAnswer(bool MfaRequired, string MfaToken, IReadOnlyList<string> Methods, int ExpiresIn);

/// <summary>A sign-in pair got with a recovery code: the pair, and how many recovery codes the account has left.</summary>
public sealed record RecoveryTokenPair(string AccessToken, string RefreshToken, int ExpiresIn, string TokenType, Guid? TenantId, int RecoveryCodesLeft);

/// <summary>Two-factor sign-in under /api/v1/auth (ADR 0045): a person's own TOTP and recovery codes, and the sign-in's second step.</summary>
public static class TwoFactorApi
{
    public const string EnrolmentRequiredType = "https://switchboard.dev/problems/mfa-enrolment-required";

    public static RouteGroupBuilder MapTwoFactorApi(this RouteGroupBuilder auth)
    {
        auth.MapPost("/login/mfa", async (LoginMfaRequest body, HttpContext http, SecondFactorSignIn secondFactor, AccessTokens tokens, SwitchboardDbContext db, CancellationToken ct) =>
            {
                var errors = new ValidationErrors();
                errors.Required("mfaToken", body.MfaToken, "mfaToken", 128);
                if (body.Passkey is null) errors.Required("code", body.Code, "Code", 64);
                else if (body.Passkey.Response is null) errors.Add("passkey", "passkey must be the answer of navigator.credentials.get.");
                if (!errors.IsValid) return Problems.Invalid(errors.ToDictionary());
                var outcome = await secondFactor.CompleteAsync(body.MfaToken, body.Code, "api", rememberDevice: false, http.Request.Headers.UserAgent, ct, body.Passkey);
                switch (outcome.Result)
                {
                    case SignedIn signedIn:
                        var pair = tokens.Issue(signedIn.Session);
                        await db.SaveChangesAsync(ct);
                        return outcome.RecoveryCodesLeft is { } left
                            ? Results.Ok(new RecoveryTokenPair(pair.AccessToken, pair.RefreshToken, pair.ExpiresIn, pair.TokenType, pair.TenantId, left))
                            : Results.Ok(pair);
                    case TenantUnavailable unavailable:
                        return Problems.Forbidden(unavailable.Message);
                    case SecondFactorRejected rejected:
                        return Problems.Unauthorized(rejected.Message);
                    default:
                        return Problems.Unauthorized(SecondFactorRejected.Expired);
                }
            })
            .AllowAnonymous()
            .RequireRateLimiting(SignInRateLimit.Policy)
            .Produces<TokenPair>()
            .Produces<RecoveryTokenPair>()
            .ProducesValidationProblem()
            .ProducesProblem(401).ProducesProblem(403).ProducesProblem(429)
            .WithSummary("Second step of a sign-in: the mfaToken of POST /login (valid 5 minutes, used once) and a 6-digit TOTP code or a recovery code, " +
                         "or instead of a code a passkey's answer (passkey) to the options of POST /login/mfa/passkey. A wrong code or refused passkey counts towards the account's lockout. With a recovery code the answer says how many are left (recoveryCodesLeft).");

        var mine = auth.MapGroup("/2fa").RequireAuthorization(EndpointConventions.ApiPolicy).RefuseApiKeys();

        mine.MapGet("/", async (TwoFactorService service, CancellationToken ct) => Results.Ok(await service.StatusAsync(ct)))
            .Produces<TwoFactorStatus>()
            .WithSummary("The caller's two-factor sign-in: on or off, methods, recovery codes left, and the tenant's requirement with the date to enrol by.");

        mine.MapPost("/totp", async (TwoFactorService service, CancellationToken ct) => (await service.BeginTotpAsync(ct)).ToResult(value => Results.Ok(value)))
            .Produces<TotpEnrolment>()
            .ProducesProblem(409)
            .WithSummary("Start enrolling an authenticator app: the secret and its otpauth:// URI. Not asked for at sign-in until confirmed; starting again replaces an unconfirmed secret.");

        mine.MapPost("/totp/confirm", async (TwoFactorCodeRequest body, TwoFactorService service, CancellationToken ct) =>
                (await service.ConfirmTotpAsync(body, ct)).ToResult(value => Results.Ok(value)))
            .Produces<RecoveryCodesDto>()
            .ProducesValidationProblem()
            .ProducesProblem(409)
            .WithSummary("Confirm the enrolment with a current code: two-factor sign-in is on, and the ten recovery codes are returned (only here). Audited; the user is told by email.");

        mine.MapDelete("/totp", async ([FromBody] TwoFactorCodeRequest body, TwoFactorService service, CancellationToken ct) =>
                (await service.DisableAsync(body, ct)).ToResult(value => Results.Ok(value)))
            .Accepts<TwoFactorCodeRequest>("application/json")
            .Produces<TwoFactorStatus>()
            .ProducesValidationProblem()
            .ProducesProblem(409)
            .WithSummary("Turn two-factor sign-in off with a current code or a recovery code; recovery codes and remembered devices go too. A wrong code counts towards lockout.");

        mine.MapPost("/recovery-codes", async (TwoFactorCodeRequest body, TwoFactorService service, CancellationToken ct) =>
                (await service.RegenerateRecoveryCodesAsync(body, ct)).ToResult(value => Results.Ok(value)))
            .Produces<RecoveryCodesDto>()
            .ProducesValidationProblem()
            .ProducesProblem(409)
            .WithSummary("Ten new recovery codes for a current authenticator code; the old ones stop working.");

        auth.MapPasskeyApi(mine);
        return auth;
    }

    /// <summary>DELETE /api/v1/users/{id}/2fa: an administrator resets a member's second factor.</summary>
    public static RouteGroupBuilder MapMemberTwoFactorApi(this RouteGroupBuilder users)
    {
        users.MapDelete("/{id:guid}/2fa", async (Guid id, TwoFactorService service, CancellationToken ct) =>
                (await service.ResetMemberAsync(id, ct)).ToResult(reset => Results.Ok(new { reset })))
            .RefuseApiKeys()
            .ProducesProblem(403).ProducesProblem(404)
            .WithSummary("Reset a member's two-factor sign-in (admin): their authenticator, passkeys, recovery codes and remembered devices are removed. " +
                         "Audited (user.second-factor-reset); the member is told by email. reset is false when they had none.");
        return users;
    }

    /// <summary>The first step's refusal for a user whose tenant requires a second factor they have not set up, past their grace period.</summary>
    public static IResult EnrolmentRequired(string tenantName) => TypedResults.Problem(statusCode: 403, title: "Two-factor enrolment required",
        type: EnrolmentRequiredType,
        detail: $"{tenantName} requires two-factor sign-in and your grace period is over. Sign in to the web app to set up an authenticator app, then sign in again.",
        extensions: new Dictionary<string, object?> { ["mfaEnrolmentRequired"] = true });
}
