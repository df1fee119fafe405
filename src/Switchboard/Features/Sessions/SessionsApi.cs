namespace Switchboard.Features.Sessions;

/// <summary>The caller's own sessions under /api/v1/auth/sessions (ADR 0044); administrators end a member's with DELETE /api/v1/users/{id}/sessions.</summary>
public static class SessionsApi
{
    public static RouteGroupBuilder MapSessionsApi(this RouteGroupBuilder auth)
    {
        var sessions = auth.MapGroup("/sessions").RequireAuthorization(EndpointConventions.ApiPolicy);

        sessions.MapGet("/", async (HttpContext http, SessionService service, CancellationToken ct) =>
                Results.Ok(await service.ListOwnAsync(http.User.Read(SwitchboardClaims.SessionId), ct)))
            .Produces<IReadOnlyList<SessionDto>>()
            .ProducesProblem(401)
            .WithSummary("Your live sessions in every tenant (browser and API): device, IP, first and last seen; current marks this one.");

        sessions.MapDelete("/{id:guid}", async (Guid id, HttpContext http, SessionService service, CancellationToken ct) =>
                (await service.EndOwnAsync(id, http.User.Read(SwitchboardClaims.SessionId), ct)).ToResult(_ => Results.NoContent()))
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(401).ProducesProblem(404)
            .WithSummary("End one of your sessions: its tokens or cookie stop working on their next request (this one too, which signs you out). " +
                         "Audited (session.ended).");

        sessions.MapDelete("/", async (HttpContext http, SessionService service, CancellationToken ct) =>
                http.User.Read(SwitchboardClaims.SessionId) is { } current
                    ? Results.Ok(await service.EndOthersAsync(current, ct))
                    : Problems.Unauthorized("Sign in again."))
            .Produces<SessionsEnded>()
            .ProducesProblem(401)
            .WithSummary("End every session of yours but this one, in every tenant. Audited (user.signed-out-elsewhere).");

        return auth;
    }
}
