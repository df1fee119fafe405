using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Switchboard.Features.Home;

/// <summary>
/// The error page people see (ADR 0023): the pipeline re-executes a failed page request here with its status, an
/// exception's request with the status the exception handler chose. It has no handler on purpose, so it renders for
/// whatever method failed (a POST's 405 or 500 too), and it never shows an exception, only the request's reference.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel(TenantContext ctx) : PageModel
{
    public ErrorView Describe()
    {
        // Re-executed, the response already carries the failure's status; opened directly (/error/404), the route's.
        var status = Response.StatusCode >= 400 ? Response.StatusCode
            : RouteData.Values["status"] is string text && int.TryParse(text, out var routed) && routed is >= 400 and <= 599 ? routed
            : 500;
        Response.StatusCode = status;
        return ErrorMessages.For(status, ctx, HttpContext.TraceIdentifier);
    }

    public string? ChooseLayout() => ErrorAudiences.Of(HttpContext) == ErrorAudience.Fragment ? null
        : ctx.IsSignedIn ? "_Layout"
        : "_AuthLayout";
}
