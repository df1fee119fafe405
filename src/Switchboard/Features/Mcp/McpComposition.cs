using ModelContextProtocol.Protocol;

namespace Switchboard.Features.Mcp;

/// <summary>
/// The MCP server for AI agents (issue 13 §5, ADR 0054): streamable HTTP at /mcp, stateless, API keys only. Each tool
/// class below is one line; a new tool is a new [McpServerToolType] class and one more WithTools line.
/// </summary>
public static class McpComposition
{
    public const string Policy = "mcp";

    public static IServiceCollection AddMcpForAgents(this IServiceCollection services)
    {
        services.AddMcpServer(o =>
            {
                o.ServerInfo = new Implementation { Name = "switchboard", Title = "Switchboard CRM", Version = "1.0" };
                o.ServerInstructions = McpInstructions.Text;
            })
            // Stateless: each POST is served in its own HTTP request's scope, where TenantResolutionMiddleware has set the
            // key's tenant, role and audit actor and opened the RLS connection; any instance can serve any request.
            .WithHttpTransport(o => o.Stateless = true)
            .WithTools<RecordTools>()
            .WithTools<LeadTools>()
            .WithTools<ActivityTools>()
            .WithTools<CallTools>()
            .WithTools<CallPrepTools>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(SwitchboardClaims.ApiKeyScheme).RequireAuthenticatedUser());
        return services;
    }

    public static WebApplication MapMcpForAgents(this WebApplication app)
    {
        app.MapMcp(ApiPaths.Mcp)
            .RequireAuthorization(Policy)
            .WithMetadata(new ApiKeysAllowed(true), new ApiScopesPerOperation())
            .ExcludeFromDescription();
        return app;
    }
}

internal static class McpInstructions
{
    public const string Text = """
        Switchboard is a calling CRM. These tools act with the API key's role or scopes, in its workspace only, and every
        change is audited as the key. Ids are UUIDs: find records with search_records, then read them with get_lead or
        get_contact (each with its timeline of activities, notes, calls and changes). A failed tool call says why in its
        first word: "not found" (no such record visible to this key), "forbidden" (the key's role or scopes do not allow
        it), "invalid" (each field with its problem), "conflict" (a stale version: read the record again), or "refused"
        (start_call blocked by compliance: do-not-call list, calling hours or attempts; do not retry).
        """;
}
