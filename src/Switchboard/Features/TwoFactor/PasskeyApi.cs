using Fido2NetLib;
using Switchboard.Platform.Identity.Passkeys;
using Switchboard.Platform.Identity.TwoFactor;

namespace Switchboard.Features.TwoFactor;

public sealed record PasskeyMfaOptionsRequest(string? MfaToken);
public sealed record PasskeyLoginRequest(AuthenticatorAssertionRawResponse? Credential, string? Tenant);

/// <summary>
/// Passkeys under /api/v1/auth (ADR 0050): a person's own (options → finish, list, rename, delete under /2fa/passkeys),
/// the options for a passkey as the second step of a sign-in, and the passwordless sign-in. Options are WebAuthn's own
/// JSON (binary fields in base64url), to hand to navigator.credentials.create/get as they are.
/// </summary>
public static class PasskeyApi
{
    private const string OptionsNote = "WebAuthn options JSON (binary fields base64url), valid 5 minutes, for one answer.";

    public static void MapPasskeyApi(this RouteGroupBuilder auth, RouteGroupBuilder mine)
    {
        auth.MapPost("/login/mfa/passkey", async (PasskeyMfaOptionsRequest body, SecondFactorSignIn secondFactor, CancellationToken ct) =>
            {
                if (string.IsNullOrWhiteSpace(body.MfaToken)) return Problems.Invalid("mfaToken", "mfaToken is required.");
                return await secondFactor.PasskeyOptionsAsync(body.MfaToken, "api", ct) is { } options
                    ? Results.Content(options, "application/json")
                    : Problems.Unauthorized("This sign-in has expired or was already used, or the account has no passkey. Sign in again.");
            })
            .AllowAnonymous()
            .RequireRateLimiting(SignInRateLimit.Policy)
            .Produces(200, contentType: "application/json")
            .ProducesValidationProblem()
            .ProducesProblem(401).ProducesProblem(429)
            .WithSummary("Second step with a passkey: the mfaToken of POST /login (methods lists webauthn) gives the options for navigator.credentials.get; " +
                         "send its answer as passkey to POST /login/mfa. " + OptionsNote);

        auth.MapPost("/login/passkey/options", async (PasskeySignIn passwordless, CancellationToken ct) => Results.Content(await passwordless.OptionsAsync(ct), "application/json"))
            .AllowAnonymous()
            .RequireRateLimiting(SignInRateLimit.Policy)
            .Produces(200, contentType: "application/json")
            .ProducesProblem(429)
            .WithSummary("Passwordless sign-in, first step: options naming no account (the authenticator offers its passkeys for this site; user verification required). " + OptionsNote);

        auth.MapPost("/login/passkey", async (PasskeyLoginRequest body, PasskeySignIn passwordless, AccessTokens tokens, SwitchboardDbContext db, CancellationToken ct) =>
            {
                if (body.Credential?.Response is null) return Problems.Invalid("credential", "credential (the answer of navigator.credentials.get) is required.");
                var result = await passwordless.SignInAsync(body.Credential, string.IsNullOrWhiteSpace(body.Tenant) ? null : body.Tenant.Trim().ToLowerInvariant(), "api", ct);
                return await Auth.AuthApi.TokensAsync(result, tokens, db,
                    Problems.Unauthorized("The passkey was not accepted. Try again, or sign in with your email and password."), ct);
            })
            .AllowAnonymous()
            .RequireRateLimiting(SignInRateLimit.Policy)
            .Produces<TokenPair>()
            .ProducesValidationProblem()
            .ProducesProblem(401).ProducesProblem(403).ProducesProblem(429)
            .WithSummary("Passwordless sign-in: the answer to /login/passkey/options, and optionally a tenant slug. Multi-factor by itself (user verification): " +
                         "no mfaToken follows. Refused like a password where the tenant requires SSO; a refused passkey counts towards the account's lockout.");

        var passkeys = mine.MapGroup("/passkeys");

        passkeys.MapGet("/", async (PasskeyService service, CancellationToken ct) => Results.Ok(await service.ListAsync(ct)))
            .Produces<IReadOnlyList<PasskeyDto>>()
            .WithSummary("The caller's passkeys: name, when added, when last used.");

        passkeys.MapPost("/options", async (PasskeyService service, CancellationToken ct) => Results.Content(await service.BeginAsync(ct), "application/json"))
            .Produces(200, contentType: "application/json")
            .WithSummary("Start adding a passkey: the options for navigator.credentials.create (a discoverable credential; the caller's passkeys excluded). " + OptionsNote);

        passkeys.MapPost("/", async (PasskeyFinishRequest body, PasskeyService service, CancellationToken ct) =>
                (await service.FinishAsync(body, ct)).ToResult(added => Results.Ok(added)))
            .Produces<PasskeyAdded>()
            .ProducesValidationProblem()
            .WithSummary("Finish adding a passkey: its name and the browser's answer (credential). Audited; the user is told by email. " +
                         "The account's first second factor also returns its ten recovery codes (only here).");

        passkeys.MapPatch("/{id:guid}", async (Guid id, PasskeyRenameRequest body, PasskeyService service, CancellationToken ct) =>
                (await service.RenameAsync(id, body, ct)).ToResult(passkey => Results.Ok(passkey)))
            .Produces<PasskeyDto>()
            .ProducesValidationProblem()
            .ProducesProblem(404)
            .WithSummary("Rename one of the caller's passkeys.");

        passkeys.MapDelete("/{id:guid}", async (Guid id, [FromBody] TwoFactorCodeRequest body, PasskeyService service, CancellationToken ct) =>
                (await service.RemoveAsync(id, body, ct)).ToResult(status => Results.Ok(status)))
            .Accepts<TwoFactorCodeRequest>("application/json")
            .Produces<TwoFactorStatus>()
            .ProducesValidationProblem()
            .ProducesProblem(404)
            .WithSummary("Remove one of the caller's passkeys with a current authenticator code or a recovery code (a wrong code counts towards lockout). " +
                         "Removing the last second factor removes the recovery codes and remembered devices too. Audited; the user is told by email.");
    }
}
