namespace Switchboard.Features.Auth;

/// <summary>A person's own account under /api/v1/auth: forgot and reset password, change password, change email.</summary>
public static class AccountApi
{
    public static RouteGroupBuilder MapAccountApi(this RouteGroupBuilder auth)
    {
        auth.MapPost("/forgot-password", async (ForgotPasswordRequest body, ForgotPassword forgot, CancellationToken ct) =>
                (await forgot.RequestAsync(body, ct)).ToResult(answer => Results.Json(answer, statusCode: StatusCodes.Status202Accepted)))
            .AllowAnonymous()
            .RequireRateLimiting(SignInRateLimit.Policy)
            .Produces<ForgotPasswordAnswer>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(429)
            .WithSummary("Email a link to choose a new password (valid one hour, single use). 202 with the same answer whether or not the address has an account.");

        auth.MapPost("/reset-password", async (ResetPasswordRequest body, ResetPassword reset, CancellationToken ct) =>
                (await reset.ResetAsync(body, ct)).ToResult(_ => Results.NoContent()))
            .AllowAnonymous()
            .RequireRateLimiting(SignInRateLimit.Policy)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .ProducesProblem(429)
            .WithSummary("Set a new password with the token of a reset link; every session of the user ends.");

        auth.MapPost("/password", async (ChangePasswordRequest body, HttpContext http, ChangePassword change, CancellationToken ct) =>
                (await change.ChangeAsync(body, http.User.Read(SwitchboardClaims.SessionId), ct)).ToResult(_ => Results.NoContent()))
            .RequireAuthorization(EndpointConventions.ApiPolicy)
            .RequireRateLimiting(SignInRateLimit.Policy)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .ProducesProblem(401).ProducesProblem(429)
            .WithSummary("Change your own password; every other session ends, this one stays.");

        auth.MapPost("/email", async (ChangeEmailRequest body, ChangeEmail change, CancellationToken ct) =>
                (await change.RequestAsync(body, ct)).ToResult(answer => Results.Json(answer, statusCode: StatusCodes.Status202Accepted)))
            .RequireAuthorization(EndpointConventions.ApiPolicy)
            .RequireRateLimiting(SignInRateLimit.Policy)
            .Produces<ChangeEmailAnswer>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(401).ProducesProblem(429)
            .WithSummary("Change your own email address: a confirmation link (valid 24 hours, single use) goes to the new address.");

        auth.MapPost("/confirm-email", async (ConfirmEmailRequest body, ChangeEmail change, CancellationToken ct) =>
                (await change.ConfirmAsync(body, ct)).ToResult(_ => Results.NoContent()))
            .AllowAnonymous()
            .RequireRateLimiting(SignInRateLimit.Policy)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .ProducesProblem(409).ProducesProblem(429)
            .WithSummary("Confirm a new email address with the token of its link; 409 when another account has the address by now.");

        return auth;
    }
}
