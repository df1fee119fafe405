namespace Switchboard.Platform.Identity;

/// <summary>
/// The entities an API key's scopes name (ADR 0043), each with a read and a write scope: <c>leads:read</c>,
/// <c>leads:write</c>, … Write implies read. An endpoint belongs to an entity through <see cref="ApiScopeEntity"/>
/// metadata on its route group; a scoped key may call only endpoints of its entities, GET and HEAD with read, any other
/// method with write. <see cref="Webhooks"/> covers /api/v1/webhooks (ADR 0055).
/// </summary>
public static class ApiScopes
{
    public const string Leads = "leads";
    public const string Contacts = "contacts";
    public const string Accounts = "accounts";
    public const string Opportunities = "opportunities";
    public const string Activities = "activities";
    public const string Calls = "calls";
    public const string Imports = "imports";
    public const string Webhooks = "webhooks";

    public const string Read = "read";
    public const string Write = "write";

    public static readonly IReadOnlyList<string> Entities = [Leads, Contacts, Accounts, Opportunities, Activities, Calls, Imports, Webhooks];

    /// <summary>Every scope a key may carry, in catalogue order.</summary>
    public static readonly IReadOnlyList<string> All = Entities.SelectMany(e => new[] { $"{e}:{Read}", $"{e}:{Write}" }).ToList();

    public static bool IsKnown(string scope) => All.Contains(scope);

    /// <summary>The scope an HTTP method needs on an entity: GET and HEAD read, every other method writes.</summary>
    public static string Needed(string entity, string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? $"{entity}:{Read}" : $"{entity}:{Write}";

    /// <summary>Whether <paramref name="scopes"/> grant <paramref name="needed"/> (a write scope grants its read).</summary>
    public static bool Grants(IReadOnlyCollection<string> scopes, string needed) =>
        scopes.Contains(needed) || (needed.EndsWith(":" + Read, StringComparison.Ordinal) && scopes.Contains(needed[..^Read.Length] + Write));
}

/// <summary>Endpoint metadata: the entity of <see cref="ApiScopes"/> a route group's endpoints belong to.</summary>
public sealed record ApiScopeEntity(string Entity);

/// <summary>
/// Endpoint metadata: API keys may call these endpoints with a role (every /api/v1 tenant group carries it, from
/// <c>MapTenantApi</c>). Endpoints without it (sign-in, sessions, platform operations) refuse every key.
/// </summary>
public sealed record ApiKeysAllowed(bool Allowed);

/// <summary>
/// Endpoint metadata: one endpoint that serves operations of several entities (the MCP endpoint, ADR 0054) and checks
/// each operation's scope itself with <see cref="ApiScopes.Grants"/>, so <c>ApiKeyAccess</c> lets scoped keys reach it.
/// </summary>
public sealed record ApiScopesPerOperation;
