using Switchboard.Features.Modules;

namespace Switchboard.Features.CustomFields;

/// <summary>Custom field definitions and their validator, and the tenant's module switches.</summary>
public static class CustomFieldsComposition
{
    public static IServiceCollection AddCustomFields(this IServiceCollection services)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapCustomFields(this IEndpointRouteBuilder app)
    {
        app.MapCustomFieldsApi();
        app.MapModulesApi();
        return app;
    }
}
