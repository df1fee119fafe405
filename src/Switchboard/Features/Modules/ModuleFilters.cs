using Microsoft.AspNetCore.Mvc.Filters;

namespace Switchboard.Features.Modules;

public static class ModuleEndpoints
{
    /// <summary>
    /// Answers 404 "not found" for every endpoint of the group (or endpoint) while the tenant has the module
    /// switched off, as if the feature did not exist: <c>group.RequireModule(ModuleNames.Opportunities)</c>.
    /// </summary>
    public static TBuilder RequireModule<TBuilder>(this TBuilder builder, string module) where TBuilder : IEndpointConventionBuilder
    {
        if (!ModuleNames.All.Contains(module)) throw new ArgumentOutOfRangeException(nameof(module), module, "Not an optional module.");
        return builder.AddEndpointFilter(new ModuleEndpointFilter(module));
    }
}

/// <summary>Lets a request through only while the tenant has the module on; otherwise 404 "not found".</summary>
public sealed class ModuleEndpointFilter(string module) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var modules = context.HttpContext.RequestServices.GetRequiredService<ModuleSettings>();
        return await modules.IsEnabledAsync(module, context.HttpContext.RequestAborted) ? await next(context) : Problems.NotFound("The resource");
    }
}

/// <summary>On a page model: the page answers 404 while the tenant has the module switched off. <c>[RequireModule(ModuleNames.Activities)]</c></summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequireModuleAttribute(string module) : Attribute, IAsyncPageFilter
{
    public string Module { get; } = module;

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var modules = context.HttpContext.RequestServices.GetRequiredService<ModuleSettings>();
        if (!await modules.IsEnabledAsync(Module, context.HttpContext.RequestAborted))
        {
            context.Result = new NotFoundResult();
            return;
        }
        await next();
    }
}
