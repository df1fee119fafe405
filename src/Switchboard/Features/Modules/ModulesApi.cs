namespace Switchboard.Features.Modules;

public static class ModulesApi
{
    public static IEndpointRouteBuilder MapModulesApi(this IEndpointRouteBuilder app)
    {
        var modules = app.MapTenantApi("/modules", "Modules");

        modules.MapGet("/", async (ModuleSettings settings, CancellationToken ct) => Results.Ok(await settings.GetAsync(ct)))
            .Produces<ModulesDto>()
            .WithSummary("Which optional modules the tenant uses. A module that is off is hidden in the UI and 404 in the API.");

        modules.MapPatch("/", async ([FromBody] ModulesWrite patch, ModuleSettings settings, CancellationToken ct) =>
                (await settings.UpdateAsync(patch, ct)).ToResult(value => Results.Ok(value)))
            .Accepts<ModulesWrite>("application/merge-patch+json", "application/json")
            .Produces<ModulesDto>()
            .ProducesValidationProblem()
            .WithSummary("Switches modules on or off (admins; audited).");

        return app;
    }
}
