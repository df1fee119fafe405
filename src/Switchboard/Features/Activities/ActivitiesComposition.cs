using Switchboard.Features.Modules;

namespace Switchboard.Features.Activities;

public static class ActivitiesComposition
{
    public static IServiceCollection AddActivities(this IServiceCollection services)
    {
        services.AddJobHandler<TaskReminders>();
        return services;
    }

    /// <summary>Activities are a module (404 while the tenant has it off); notes and the timeline are always on.</summary>
    public static IEndpointRouteBuilder MapActivities(this IEndpointRouteBuilder app)
    {
        app.MapGroup("").RequireModule(ModuleNames.Activities).MapActivitiesApi();
        app.MapNotesApi();
        app.MapTimelineApi();
        return app;
    }
}
