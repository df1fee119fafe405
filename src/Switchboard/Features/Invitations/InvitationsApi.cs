using Switchboard.Features.Users;

namespace Switchboard.Features.Invitations;

public static class InvitationsApi
{
    public static IEndpointRouteBuilder MapInvitationsApi(this IEndpointRouteBuilder app)
    {
        var invitations = app.MapTenantApi("/invitations", "Invitations");

        invitations.MapPost("/", async ([FromBody] InvitationCreate body, InvitationService service, CancellationToken ct) =>
                (await service.CreateAsync(body, ct)).ToResult(value => Results.Created($"/api/v1/invitations/{value.Id}", value)))
            .Produces<InvitationDto>(201)
            .ProducesValidationProblem()
            .ProducesProblem(409)
            .WithSummary("Invite an address with a role (admin). The answer is the same whether or not the address has an account; the link in the email works once, for 7 days.");

        invitations.MapGet("/", async (InvitationService service, CancellationToken ct) =>
                (await service.ListAsync(ct)).ToResult(value => Results.Ok(value)))
            .Produces<IReadOnlyList<InvitationDto>>()
            .WithSummary("Invitations not yet accepted or withdrawn (status pending or expired), newest first (admin).");

        invitations.MapDelete("/{id:guid}", async (Guid id, InvitationService service, CancellationToken ct) =>
                (await service.RevokeAsync(id, ct)).ToResult(_ => Results.NoContent()))
            .Produces(204)
            .ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Withdraw an invitation: its link stops working (admin).");

        invitations.MapPost("/{id:guid}/resend", async (Guid id, InvitationService service, CancellationToken ct) =>
                (await service.ResendAsync(id, ct)).ToResult(value => Results.Ok(value)))
            .Produces<InvitationDto>()
            .ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Send the invitation again with a new link (the older one stops working) valid 7 more days (admin).");

        invitations.MapPost("/import", async (HttpRequest request, UserImport import, CancellationToken ct) =>
            {
                var (file, _, problem) = await MultipartForms.ReadFileAsync(request, "file", UserImport.MaxBytes, ct);
                if (problem is not null) return problem;
                return (await import.InviteAsync(file, ct)).ToResult(value => Results.Ok(value));
            })
            .DisableAntiforgery()
            .Accepts<InvitationImportForm>("multipart/form-data")
            .Produces<InvitationImportResult>()
            .ProducesValidationProblem()
            .ProducesProblem(409)
            .WithMetadata(new RequestSizeLimitAttribute(UserImport.MaxBytes + 64 * 1024))
            .WithSummary("Invite the people of a CSV (email, role; optional firstName, lastName to greet them, department, phone) in one transaction (admin). " +
                         "Members and people invited already are skipped; bad rows are reported.");

        // Following the link: no one is signed in yet.
        var accept = app.MapGroup("/api/v1/invitations/accept").WithTags("Invitations").AllowAnonymous().RequireRateLimiting(SignInRateLimit.Policy);

        accept.MapGet("/", async (string? token, InvitationAcceptance service, CancellationToken ct) =>
                (await service.PreviewAsync(token, ct)).ToResult(value => Results.Ok(value)))
            .Produces<InvitationPreview>()
            .ProducesValidationProblem()
            .WithSummary("What an invitation's token leads to: the workspace, the role, whether the address already has an account, and whether the workspace " +
                         "requires single sign-on (then the invitation is accepted in a browser, through the workspace's provider).");

        accept.MapPost("/", async ([FromBody] InvitationAccept body, InvitationAcceptance service, SignInService signIn, AccessTokens tokens,
                SwitchboardDbContext db, CancellationToken ct) =>
            {
                var outcome = await service.AcceptAsync(body, ct);
                if (outcome is not Outcome<AcceptedInvitation>.Ok ok) return outcome.ToResult(_ => Results.Ok());
                if (await signIn.SwitchAsync(ok.Value.User, ok.Value.TenantId, "api", null, ct) is not SignedIn signedIn)
                    return Problems.Forbidden("The invitation was accepted, but the workspace cannot be entered now.");
                var pair = tokens.Issue(signedIn.Session);
                await db.SaveChangesAsync(ct);
                return Results.Ok(pair);
            })
            .Produces<TokenPair>()
            .ProducesValidationProblem()
            .WithSummary("Accept an invitation: {token, firstName, lastName, password} for a new account, {token, password} for an existing one. Answers with a sign-in pair. " +
                         "A workspace that requires single sign-on answers 400: its invitations are accepted in a browser, through its provider.");

        return app;
    }
}
