using Resolution = Switchboard.Platform.Tenancy.TenantResolutionMiddleware.Resolution;

namespace Switchboard.Platform.Tenancy;

/// <summary>
/// A request with an API key (ADR 0043): the key is looked up in the one round trip that opens the request's
/// connection, then held to its revocation, expiry, IP allowlist and creator, and the endpoint to its role or scopes.
/// Only then does the request enter the key's tenant, acting for the key's creator and audited as the key.
/// </summary>
internal static class ApiKeyResolution
{
    /// <summary>The same answer for a key no tenant has and for a key of another tenant: nothing says which.</summary>
    public const string Unknown = "The API key is not valid: it was mistyped, or it does not exist.";

    public static async Task<Resolution> ResolveAsync(HttpContext http, string prefix, byte[] hash, TenantContext tenant, AuditActor actor, SwitchboardDbContext db)
    {
        var ct = http.RequestAborted;
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var key = await ApiKeyLookup.FindAsync(db, prefix, hash, ct);
        if (Refusal(key, now, http.Connection.RemoteIpAddress) is { } refusal)
        {
            await db.Database.GetDbConnection().CloseAsync();
            return refusal;
        }
        var identity = new ApiKeyIdentity(key!.Id, key.Name, key.Scopes);
        if (ApiKeyAccess.Refusal(http.GetEndpoint(), http.Request.Method, identity) is { } forbidden)
        {
            await db.Database.GetDbConnection().CloseAsync();
            return new Resolution.Forbidden(forbidden);
        }
        actor.KeyUsed(key.Id, key.Name);
        // A scoped key acts as the administrator who made it, held to its scopes' entities by ApiKeyAccess.
        var role = key.Role is null ? TenantRole.Admin : TenantRoles.MembershipRoleOrReadonly(key.Role);
        await tenant.EnterWithApiKeyAsync(identity, key.CreatedBy, key.Tenant, role);
        await ApiKeyLookup.TouchAsync(db, key, now, actor.Ip, ct);
        return new Resolution.Ok();
    }

    private static Resolution? Refusal(ApiKeyRow? key, DateTimeOffset now, System.Net.IPAddress? ip)
    {
        if (key is null) return new Resolution.Unauthorized(Unknown);
        if (key.RevokedAt is not null) return new Resolution.Unauthorized($"The API key '{key.Name}' was revoked.");
        if (key.ExpiresAt is { } expires && expires <= now) return new Resolution.Unauthorized($"The API key '{key.Name}' expired at {expires:u}.");
        if (key.AllowedIps is { Length: > 0 } blocks && !CidrBlocks.Contains(blocks, ip))
            return new Resolution.Unauthorized($"The API key '{key.Name}' may not be used from {ip?.ToString() ?? "an unknown address"}: it is outside the key's IP allowlist.");
        if (!key.CreatorIsAdmin)
            return new Resolution.Unauthorized($"The API key '{key.Name}' stopped working: the administrator who created it is no longer an active administrator of this workspace. Create a new key.");
        if (!key.Tenant.IsActive) return new Resolution.Forbidden(TenantMessages.Deactivated(key.Tenant.Name));
        return null;
    }
}
