using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Switchboard.Platform.Web;

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

        users.MapPost("/", async ([FromBody] JsonElement body, UserService service, CancellationToken ct) =>
                (await service.CreateAsync(body, ct)).ToResult(value => Results.Created($"/api/v1/users/{value.Id}", value)))
            .Accepts<UserCreate>("application/json")
            .Produces<UserDto>(201)
            .ProducesValidationProblem()
            .ProducesProblem(409)
            .WithSummary("Add a user to the tenant (admin); an existing account is added with the given role. Superadmins may pass tenantId.");

        users.MapPatch("/{id:guid}", async (Guid id, [FromBody] JsonElement patch, UserService service, CancellationToken ct) =>
                (await service.UpdateAsync(id, patch, ct)).ToResult(value => Results.Ok(value)))
            .Accepts<UserUpdate>("application/merge-patch+json", "application/json")
            .Produces<UserDto>()
            .ProducesValidationProblem()
            .ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Change a member's role or active flag in this tenant (admin).");

        return app;
    }
}
