using Switchboard.Features.Modules;

namespace Switchboard.Features.Bulk;

/// <summary>Bulk actions on the lists: the background runner, POST /api/v1/{list}/bulk and GET /api/v1/bulk/{id}.</summary>
public static class BulkComposition
{
    public static IServiceCollection AddBulk(this IServiceCollection services)
    {
        services.AddJobHandler<BulkRunner>();
        return services;
    }

    public static IEndpointRouteBuilder MapBulkApi(this IEndpointRouteBuilder app)
    {
        MapStart(app.MapTenantApi("/leads", "Leads").ForApiScope(ApiScopes.Leads), "leads");
        MapStart(app.MapTenantApi("/contacts", "Contacts").ForApiScope(ApiScopes.Contacts), "contacts");
        MapStart(app.MapTenantApi("/accounts", "Accounts").ForApiScope(ApiScopes.Accounts), "accounts");
        MapStart(app.MapTenantApi("/opportunities", "Opportunities").ForApiScope(ApiScopes.Opportunities), "opportunities").RequireModule(ModuleNames.Opportunities);

        app.MapTenantApi("/bulk", "Bulk actions")
            .MapGet("/{id:guid}", async (Guid id, BulkService service, CancellationToken ct) =>
                (await service.FindAsync(id, ct)).ToResult(value => Results.Ok(value)))
            .Produces<BulkOperationDto>()
            .ProducesProblem(404)
            .WithSummary("A bulk action's progress: status (queued|running|completed|failed), total, processed, succeeded and every skipped record with its reason. " +
                         "Only the member who started it and admins may read it.");
        return app;
    }

    private static RouteHandlerBuilder MapStart(RouteGroupBuilder group, string path) =>
        group.MapPost("/bulk", async ([FromBody] BulkRequest body, BulkService service, CancellationToken ct) =>
                (await service.StartAsync(path, body, ct)).ToResult(value => Results.Accepted($"/api/v1/bulk/{value.Id}", value)))
            .Produces<BulkStarted>(202)
            .ProducesValidationProblem()
            .WithSummary($"Starts a bulk action on {path}: ids (at most {BulkService.MaxIds:N0}) or filter (the list's query parameters, as GET /api/v1/{path} takes them), " +
                         "action (assign|status|add-to-queue|dnc|delete, as the list allows) and value (owner id, status, queue id). Runs in the background: " +
                         "202 with the operation's id (GET /api/v1/bulk/{id}). Records the caller may not see or change are skipped with the reason. Delete: admins only.");
}
