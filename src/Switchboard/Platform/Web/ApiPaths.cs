namespace Switchboard.Platform.Web;

/// <summary>
/// The paths machines call: the REST API under /api and the MCP endpoint for AI agents (ADR 0054). Both answer in
/// problem+json, never with a sign-in redirect or an HTML error page, and both are held to the API's body and rate
/// limits.
/// </summary>
public static class ApiPaths
{
    public const string Mcp = "/mcp";

    public static bool IsMcp(PathString path) => path.StartsWithSegments(Mcp);

    /// <summary>The REST API (/api) or the MCP endpoint.</summary>
    public static bool IsMachine(PathString path) => path.StartsWithSegments("/api") || IsMcp(path);
}
