namespace Switchboard.Platform.Tenancy;

/// <summary>
/// Which endpoints an API key may call (ADR 0043), from the endpoint's metadata: only those of /api/v1 tenant groups
/// (<see cref="ApiKeysAllowed"/>, set by <c>MapTenantApi</c> and withdrawn where a key has no business: its own keys,
/// a person's dialer or presence); a key with scopes, only those of its entities (<see cref="ApiScopeEntity"/>), GET and
/// HEAD with read, anything else with write.
/// </summary>
public static class ApiKeyAccess
{
    /// <summary>Why the key may not call the endpoint, or null when it may.</summary>
    public static string? Refusal(Endpoint? endpoint, string method, ApiKeyIdentity key)
    {
        // No endpoint: the request ends as a 404 without touching anything.
        if (endpoint is null) return null;
        if (endpoint.Metadata.GetMetadata<ApiKeysAllowed>() is not { Allowed: true })
            return "API keys cannot call this endpoint: it is for people signed in to Switchboard.";
        if (key.Scopes is null) return null;
        // The MCP endpoint (ADR 0054) holds each tool to the scope of its REST twin itself.
        if (endpoint.Metadata.GetMetadata<ApiScopesPerOperation>() is not null) return null;
        if (endpoint.Metadata.GetMetadata<ApiScopeEntity>() is not { } entity)
            return $"This API key's scopes cover only {string.Join(", ", ApiScopes.Entities)} endpoints; this endpoint is outside them.";
        var needed = ApiScopes.Needed(entity.Entity, method);
        return ApiScopes.Grants(key.Scopes, needed) ? null : $"This API key lacks the scope {needed}.";
    }
}
