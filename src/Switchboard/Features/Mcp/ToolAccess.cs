namespace Switchboard.Features.Mcp;

/// <summary>
/// Which tools an API key may call: a scoped key needs the scope of each tool's REST twin, worked out by the same
/// <see cref="ApiScopes"/> rules the API uses (ADR 0043: GET reads, anything else writes, write includes read). A key
/// with a role passes here; its role is checked by the services the tools call, as for the API.
/// </summary>
[Scoped]
public sealed class ToolAccess(TenantContext ctx)
{
    /// <summary>Refuses the tool unless the key may call its twin: <paramref name="method"/> on <paramref name="entity"/>'s endpoints.</summary>
    public void Require(string entity, string method)
    {
        if (ctx.ApiKey?.Scopes is not { } scopes) return;
        var needed = ApiScopes.Needed(entity, method);
        if (!ApiScopes.Grants(scopes, needed)) throw ToolErrors.Forbidden($"needs scope {needed}.");
    }

    /// <summary>Whether the key may read <paramref name="entity"/> (for the parts of an answer that come from another entity, like a timeline).</summary>
    public bool MayRead(string entity) => ctx.ApiKey?.Scopes is not { } scopes || ApiScopes.Grants(scopes, ApiScopes.Needed(entity, HttpMethods.Get));

    /// <summary>A tool whose twin is outside every entity (global search): keys with a role only, as the API rules.</summary>
    public void RequireRole(string twin)
    {
        if (ctx.ApiKey?.Scopes is not null)
            throw ToolErrors.Forbidden($"this tool is outside the scopes' entities, as {twin} is: use a key with a role.");
    }
}
