namespace Switchboard.Platform.Protection;

/// <summary>Rate limits and IP rules (ADR 0046): their settings, and where their two checks sit in the pipeline.</summary>
public static class ProtectionComposition
{
    public static IServiceCollection AddProtection(this IServiceCollection services)
    {
        services.AddValidatedOptions<RateLimitOptions>(RateLimitOptions.Section);
        services.AddValidatedOptions<AbuseOptions>(AbuseOptions.Section);
        services.AddMemoryCache();
        return services;
    }

    /// <summary>The platform blocklist: first, once the client's address is known.</summary>
    public static IApplicationBuilder UseIpBlocklist(this IApplicationBuilder app) => app.UseMiddleware<IpBlockMiddleware>();

    /// <summary>The tenant's allowlist and the API's rate limits: once the request's tenant and caller are known.</summary>
    public static IApplicationBuilder UseTenantRules(this IApplicationBuilder app) => app.UseMiddleware<TenantRulesMiddleware>();
}
