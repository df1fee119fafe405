using Switchboard.Features.Invitations;
using Switchboard.Features.Sessions;
using Switchboard.Features.TwoFactor;

namespace Switchboard.Features.Users;

public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapTenantApi("/users", "Users", superadminMayTargetTenant: true);

        users.MapGet("/", async (int? page, int? pageSize, UserService service, CancellationToken ct) =>
                (await service.ListAsync(page, pageSize, ct)).ToResult(value => Results.Ok(value)))
            .Produces<PagedList<UserDto>>()
            .WithSummary("Members of the current tenant (admins and managers).");

        users.MapGet("/{id:guid}", async (Guid id, UserService service, CancellationToken ct) =>
                await service.FindAsync(id, ct) is { } user ? Results.Ok(user) : Problems.NotFound("The user"))
            .Produces<UserDto>()
            .ProducesProblem(404);

        users.MapPost("/", async ([FromBody] UserCreate body, UserService service, InvitationService invitations, TenantContext ctx, CancellationToken ct) =>
            {
                if (ctx.IsSuperadmin) return (await service.CreateAsync(body, ct)).ToResult(value => Results.Created($"/api/v1/users/{value.Id}", value));
                if (!UserService.CanManage(ctx)) return Problems.Forbidden("Only administrators can invite people.");
                if (body.TenantId is { IsSet: true, Value: not null }) return Problems.Forbidden("Only superadmins can add users to another tenant.");
                var invitation = body.AsInvitation(out var refused);
                if (refused is not null) return Problems.Invalid(refused);
                return (await invitations.CreateAsync(invitation, ct)).ToResult(value => Results.Accepted($"/api/v1/invitations/{value.Id}", value));
            })
            .Produces<UserDto>(201)
            .Produces<InvitationDto>(202)
            .ProducesValidationProblem()
            .ProducesProblem(409)
            .WithSummary("Tenant admins: invite the address with the role (202, the same answer whether or not it has an account; see /invitations). " +
                         "Superadmins: create the account with names and password, or add an existing one at once (201); they may pass tenantId.");

        users.MapPatch("/{id:guid}", async (Guid id, [FromBody] UserUpdate patch, UserService service, CancellationToken ct) =>
                (await service.UpdateAsync(id, patch, ct)).ToResult(value => Results.Ok(value)))
            .Accepts<UserUpdate>("application/merge-patch+json", "application/json")
            .Produces<UserDto>()
            .ProducesValidationProblem()
            .ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Change a member's role or active flag in this tenant (admin).");

        users.MapPost("/{id:guid}/unlock", async (Guid id, UserService service, CancellationToken ct) =>
                (await service.UnlockAsync(id, ct)).ToResult(value => Results.Ok(value)))
            .Produces<UserDto>()
            .ProducesProblem(403).ProducesProblem(404)
            .WithSummary("End a member's lockout after too many wrong passwords now, rather than when it runs out (admin). " +
                         "Audited (user.unlocked); the member is told by email. A member who is not locked is left as they are.");

        users.MapDelete("/{id:guid}/sessions", async (Guid id, SessionService sessions, CancellationToken ct) =>
                (await sessions.EndMemberSessionsAsync(id, ct)).ToResult(value => Results.Ok(value)))
            .Produces<SessionsEnded>()
            .ProducesProblem(403).ProducesProblem(404).ProducesProblem(409)
            .WithSummary("End every session a member has in this tenant: their next request is refused and they sign in again (admin). " +
                         "Their sessions in other tenants go on. Audited (user.sessions-ended).");

        users.MapMemberTwoFactorApi();

        users.MapPost("/import", async (HttpRequest request, UserImport import, CancellationToken ct) =>
            {
                var (file, form, problem) = await MultipartForms.ReadFileAsync(request, "file", UserImport.MaxBytes, ct);
                if (problem is not null) return problem;
                return (await import.ImportAsync(file, form!["password"].ToString(), ct)).ToResult(value => Results.Ok(value));
            })
            .DisableAntiforgery()
            .Accepts<UserImportForm>("multipart/form-data")
            .Produces<UserImportResult>()
            .ProducesValidationProblem()
            .ProducesProblem(409)
            .WithMetadata(new RequestSizeLimitAttribute(UserImport.MaxBytes + 64 * 1024))
            .WithSummary("Import members from a CSV (email, firstName, lastName, role, department, phone) in one transaction (admin). " +
                         "New emails get accounts with the form's 'password'; existing accounts join; members are skipped; bad rows are reported.");

        return app;
    }
}
