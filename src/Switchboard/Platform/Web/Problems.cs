using Microsoft.AspNetCore.Http.HttpResults;

namespace Switchboard.Platform.Web;

/// <summary>application/problem+json responses in one shape everywhere; never a stack trace.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string what = "The record") =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"{what} was not found.");

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: detail);

    public static ProblemHttpResult Conflict(string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(statusCode: 409, title: "Conflict", detail: detail, extensions: extensions);

    public static ProblemHttpResult PreconditionFailed(string detail) =>
        TypedResults.Problem(statusCode: 412, title: "Precondition failed", detail: detail);

    public static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(statusCode: 401, title: "Unauthorized", detail: detail);

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) => TypedResults.ValidationProblem(errors);

    public static async Task Write(HttpContext http, int status, string title, string detail, IDictionary<string, string[]>? errors = null)
    {
        if (http.Response.HasStarted) return;
        http.Response.StatusCode = status;
        var problem = errors is null
            ? new ProblemDetails { Status = status, Title = title, Detail = detail }
            : new HttpValidationProblemDetails(errors) { Status = status, Title = title, Detail = detail };
        // Through the problem details service, so every error gets the same type URIs and customisation.
        var writer = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await writer.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}
