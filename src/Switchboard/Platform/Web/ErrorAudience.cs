using Microsoft.AspNetCore.Diagnostics;

namespace Switchboard.Platform.Web;

/// <summary>Who reads an error answer, and so its shape (ADR 0023).</summary>
public enum ErrorAudience
{
    /// <summary>An API client or a script: application/problem+json.</summary>
    Api,

    /// <summary>A person navigating: an HTML page, in the signed-in shell when signed in.</summary>
    Page,

    /// <summary>htmx asking for a piece of a page: an HTML fragment without the layout.</summary>
    Fragment,
}

public static class ErrorAudiences
{
    /// <summary>
    /// Anything under /api is the API whatever it accepts; otherwise htmx's header asks for a fragment (unless it is
    /// restoring history, which needs the whole page), a request that accepts text/html is a person, and the rest
    /// (scripts' fetch calls, assets, health probes) keeps problem+json.
    /// </summary>
    public static ErrorAudience Of(HttpContext http)
    {
        // Inside the exception handler the path is already the error page's; the feature keeps the original.
        var path = http.Features.Get<IExceptionHandlerPathFeature>()?.Path is { } original ? new PathString(original) : http.Request.Path;
        if (ApiPaths.IsMachine(path)) return ErrorAudience.Api;
        var headers = http.Request.Headers;
        if (headers["HX-Request"] == "true" && headers["HX-History-Restore-Request"] != "true") return ErrorAudience.Fragment;
        return AcceptsHtml(http.Request) ? ErrorAudience.Page : ErrorAudience.Api;
    }

    public static bool WantsHtml(HttpContext http) => Of(http) != ErrorAudience.Api;

    private static bool AcceptsHtml(HttpRequest request)
    {
        foreach (var accepted in request.GetTypedHeaders().Accept)
            if (accepted.Quality is not 0 && (accepted.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)
                                             || accepted.MediaType.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase)))
                return true;
        return false;
    }
}

/// <summary>Where the error page answers: the exception handler's path and the status code pages' format.</summary>
public static class ErrorPaths
{
    public const string Exception = "/error";
    public const string StatusFormat = "/error/{0}";

    /// <summary>True while the pipeline re-executes a request to render its error (a status or an exception).</summary>
    public static bool IsReExecution(HttpContext http) =>
        http.Features.Get<IStatusCodeReExecuteFeature>() is not null || http.Features.Get<IExceptionHandlerFeature>() is not null;
}
