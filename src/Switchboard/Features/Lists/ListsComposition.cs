using Switchboard.Features.Views;

namespace Switchboard.Features.Lists;

/// <summary>Saved views of every entity list (/api/v1/views). Each list maps its own export beside its list endpoint (Features/Export).</summary>
public static class ListsComposition
{
    public static IEndpointRouteBuilder MapListsAndViews(this IEndpointRouteBuilder app)
    {
        var views = app.MapTenantApi("/views", "Views").RefuseApiKeys();
        views.MapGet("/", async (string? entity, ViewService service, CancellationToken ct) =>
                (await service.ListAsync(entity, ct)).ToResult(value => Results.Ok(value)))
            .Produces<ViewList>()
            .ProducesValidationProblem()
            .WithSummary("The saved views the caller may use: their own and the shared ones, of one list (entity=lead|account|contact|opportunity) or all.");
        views.MapRecordApi<ViewService, ViewDto, ViewWrite>("/views", "view",
            patchSummary: "Merge patch of name, shared or definition. A shared view is changed only by its owner, an admin or a manager; a private one only by its owner.",
            deleteSummary: "Deletes the view (its owner; an admin or manager for a shared view).");

        return app;
    }
}
