using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Switchboard.Platform.Web;

/// <summary>
/// Turns request-level failures into problem details: unreadable JSON and wrong types become 400 naming
/// the field, oversized bodies 413, an unreachable database 503 with Retry-After (a failover or restart in progress,
/// ADR 0069), and anything unexpected a 500 without internals (logged server-side with the reference the answer shows). A person's browser gets the same status as an HTML page instead (ADR 0023): the
/// handler sets the status and declines, and the middleware re-executes the error page.
/// </summary>
public sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    [System.Text.RegularExpressions.GeneratedRegex("^Failed to bind parameter \"(?<type>[^\"]+) (?<name>[A-Za-z0-9_]+)\" from \"(?<value>[^\"]*)\"")]
    private static partial System.Text.RegularExpressions.Regex UnboundParameter();

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested) return true;
        var problem = Describe(http, exception);
        if (problem.Status == StatusCodes.Status503ServiceUnavailable) http.Response.Headers.RetryAfter = "2";
        if (ErrorAudiences.Of(http) != ErrorAudience.Api)
        {
            http.Response.StatusCode = problem.Status;
            return false;
        }
        await Problems.Write(http, problem.Status, problem.Title, problem.Detail, problem.Errors);
        return true;
    }

    private sealed record Problem(int Status, string Title, string Detail, IDictionary<string, string[]>? Errors = null);

    private Problem Describe(HttpContext http, Exception exception)
    {
        switch (exception)
        {
            case BadHttpRequestException { StatusCode: 413 }:
                return new(413, "Payload too large", "The request body is larger than this endpoint accepts.");
            case BadHttpRequestException bad when FindJsonException(bad) is { } json:
                // A syntax error names the body, wherever the reader stopped; a wrong type names its member.
                var field = IsSyntaxError(json) ? null : FieldFromPath(json.Path);
                return new(400, "Invalid request body",
                    field is null ? Describe(json, field) : $"The value of '{field}' is not valid.",
                    new Dictionary<string, string[]> { [field ?? "body"] = [Describe(json, field)] });
            case BadHttpRequestException bad when bad.Message.StartsWith("Required parameter", StringComparison.Ordinal)
                                                  && bad.Message.EndsWith("was not provided from body.", StringComparison.Ordinal):
                // An empty body, or the JSON null, where the endpoint takes an object.
                return new(400, "Invalid request body", NotAnObject, new Dictionary<string, string[]> { ["body"] = [NotAnObject] });
            case BadHttpRequestException bad when UnboundParameter().Match(bad.Message) is { Success: true } match:
                var name = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(match.Groups["name"].Value);
                return new(400, "Invalid request", $"The value of '{name}' is not valid.",
                    new Dictionary<string, string[]> { [name] = [$"'{match.Groups["value"].Value}' is not a valid value for {name}."] });
            case BadHttpRequestException bad:
                return new(bad.StatusCode, "Bad request", "The request could not be read. Check the body and parameters against the API documentation.");
            case var _ when DatabaseErrors.IsUnstorableText(exception):
                // PostgreSQL text cannot hold a NUL character; any parameter that carries one is the client's input.
                return new(400, "Invalid request", "The request contains a character that cannot be stored (a NUL character). Remove it and try again.");
            case var _ when DatabaseErrors.IsUnavailable(exception):
                // A restart, failover or exhausted pool: the request may well succeed in a moment, so say so (with
                // Retry-After) instead of reporting a defect; the instance recovers without a restart of its own.
                // Idle pooled connections to a server that went away would each fail one more request: drop them when an open
                // connection broke (not when none could be opened: then the pool holds nothing of that server, and clearing
                // would only close the good connections other requests just opened to the new primary).
                if (DatabaseErrors.ConnectionBroke(exception)) http.RequestServices.GetRequiredService<DatabaseConnections>().ClearPools();
                logger.LogWarning("Database unavailable for {Method} {Path}, reference {Reference}: {Reason}", http.Request.Method,
                    http.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? http.Request.Path.Value, http.TraceIdentifier, DatabaseErrors.Innermost(exception).Message);
                http.Response.Headers.RetryAfter = "2";
                return new(503, "Service unavailable", $"The database could not complete the request just now (a restart, a failover or a clash with another change). Try again in a few seconds. Reference: {http.TraceIdentifier}");
            default:
                var path = http.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? http.Request.Path.Value;
                logger.LogError(exception, "Unhandled exception for {Method} {Path}, reference {Reference}", http.Request.Method, path, http.TraceIdentifier);
                return new(500, "Server error", $"Something went wrong on our side. Reference: {http.TraceIdentifier}");
        }
    }

    private static JsonException? FindJsonException(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
            if (current is JsonException json) return json;
        return null;
    }

    private static string? FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return null;
        var trimmed = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return trimmed.Length == 0 ? null : trimmed;
    }

    private const string NotAnObject = "The request body must be a JSON object.";

    private static string Describe(JsonException json, string? field) =>
        field is not null ? $"'{field}' has a value of the wrong type or an unknown value."
        : IsSyntaxError(json) ? "The request body is not valid JSON."
        : NotAnObject;

    /// <summary>The reader's own errors (malformed or truncated JSON) come wrapped as the inner exception.</summary>
    private static bool IsSyntaxError(JsonException json) => json.InnerException is JsonException;
}

public static class DatabaseErrors
{
    /// <summary>Text PostgreSQL refuses in any column or parameter: a NUL character (22021), or one the database encoding lacks (22P05).</summary>
    public static bool IsUnstorableText(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
            if (current is PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter })
                return true;
        return false;
    }

    /// <summary>
    /// The database cannot complete requests for now rather than refusing this one: no reachable primary, a connection
    /// broken by a crash or shutdown (SQLSTATE classes 08 and 57P), a server turned read-only during a promotion (25006),
    /// and what PostgreSQL calls transient (too many connections, a deadlock or serialization failure: a retry is the
    /// answer). Any client-side <see cref="NpgsqlException"/> counts: Npgsql throws those only for the transport.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        foreach (var current in Chain(exception))
            switch (current)
            {
                case PostgresException pg:
                    return pg.IsTransient || pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal)
                           || pg.SqlState == PostgresErrorCodes.ReadOnlySqlTransaction;
                case NpgsqlException:
                    return true;
            }
        return false;
    }

    /// <summary>An open connection died under the statement: the server crashed, shut down, or its socket closed.</summary>
    public static bool ConnectionBroke(Exception exception) => Chain(exception).Any(e =>
        e is IOException or System.Net.Sockets.SocketException || e is PostgresException pg && pg.SqlState.StartsWith("57P", StringComparison.Ordinal));

    public static Exception Innermost(Exception exception) => Chain(exception).Last();

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException) yield return current;
    }

    public static bool IsUniqueViolation(Exception e, out string? constraint)
    {
        constraint = null;
        for (var current = e; current is not null; current = current.InnerException)
            if (current is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg)
            {
                constraint = pg.ConstraintName;
                return true;
            }
        return false;
    }
}
