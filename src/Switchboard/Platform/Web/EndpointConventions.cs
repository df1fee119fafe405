namespace Switchboard.Platform.Web;

public static class EndpointConventions
{
    public const string ApiPolicy = "api";
    public const string WebPolicy = "web";

    /// <summary>
    /// An /api/v1 group: bearer-token callers only, and a tenant must be selected. Superadmins outside any
    /// tenant may pass where the group's endpoints name their target tenant themselves (adding users).
    /// </summary>
    public static RouteGroupBuilder MapTenantApi(this IEndpointRouteBuilder app, string prefix, string tag, bool superadminMayTargetTenant = false) =>
        app.MapGroup("/api/v1" + prefix)
            .WithTags(tag)
            .RequireAuthorization(ApiPolicy)
            .WithMetadata(new ApiKeysAllowed(true))
            .AddEndpointFilter(async (context, next) =>
            {
                var tenant = context.HttpContext.RequestServices.GetRequiredService<TenantContext>();
                return tenant.TenantId is null && !(superadminMayTargetTenant && tenant.IsSuperadmin)
                    ? Problems.Forbidden("Select a tenant first (POST /api/v1/auth/switch-tenant).")
                    : await next(context);
            })
            .ProducesProblem(401)
            .ProducesProblem(403);

    /// <summary>The entity of the API key scopes (<see cref="ApiScopes"/>) that the group's endpoints belong to (ADR 0043).</summary>
    public static TBuilder ForApiScope<TBuilder>(this TBuilder builder, string entity) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiScopeEntity(entity));

    /// <summary>Endpoints that act for a person at their desk (their dialer, presence, home) or manage keys: no API key may call them.</summary>
    public static TBuilder RefuseApiKeys<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiKeysAllowed(false));

    /// <summary>An /api/v1 group for platform operations (tenants): bearer-token callers, no tenant required.</summary>
    public static RouteGroupBuilder MapPlatformApi(this IEndpointRouteBuilder app, string prefix, string tag) =>
        app.MapGroup("/api/v1" + prefix).WithTags(tag).RequireAuthorization(ApiPolicy).ProducesProblem(401).ProducesProblem(403);

    /// <summary>The version an If-Match header names (ETag "\"n\""), when present and well-formed.</summary>
    public static int? IfMatchVersion(this HttpRequest request)
    {
        var value = request.Headers.IfMatch.ToString().Trim();
        if (value.Length == 0) return null;
        if (value.StartsWith("W/", StringComparison.Ordinal)) value = value[2..];
        return int.TryParse(value.Trim('"'), out var version) ? version : -1;
    }

    public static string ETag(int version) => $"\"{version}\"";
}
