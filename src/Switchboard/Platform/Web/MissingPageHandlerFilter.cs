using Microsoft.AspNetCore.Mvc.Filters;

namespace Switchboard.Platform.Web;

/// <summary>
/// A POST (or other write) to a page with no handler for it would render the page without running its OnGet and
/// fail on unloaded state; it is the client's mistake, so it gets 405 with the methods the page does take.
/// A re-executed request (an error page rendering a failed POST's status) keeps its method and is let through.
/// </summary>
public sealed class MissingPageHandlerFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var method = context.HttpContext.Request.Method;
        if (context.HandlerMethod is null && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !ErrorPaths.IsReExecution(context.HttpContext))
        {
            context.HttpContext.Response.Headers.Allow = string.Join(", ",
                context.ActionDescriptor.HandlerMethods.Select(h => h.HttpMethod.ToUpperInvariant()).Append("GET").Distinct());
            context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
            return;
        }
        await next();
    }
}
