using Switchboard.Features.Lists;
using Switchboard.Features.Modules;

namespace Switchboard.Features.Opportunities;

public static class OpportunitiesComposition
{
    public static IServiceCollection AddOpportunities(this IServiceCollection services)
    {
        services.AddEntityList<OpportunityListRegistration>();
        return services;
    }

    /// <summary>Each module (opportunities with their pipelines; products) is one route group: 404 while the tenant has it off.</summary>
    public static IEndpointRouteBuilder MapOpportunities(this IEndpointRouteBuilder app)
    {
        app.MapGroup("").RequireModule(ModuleNames.Opportunities).MapOpportunitiesApi();
        app.MapGroup("").RequireModule(ModuleNames.Products).MapProductsApi();
        return app;
    }
}
