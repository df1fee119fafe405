namespace Switchboard.Features.Sso;

public static class SsoComposition
{
    /// <summary>The HTTP client of discovery, keys and token exchange: every connection through the private-network guard.</summary>
    public static IServiceCollection AddSso(this IServiceCollection services)
    {
        services.AddHttpClient(OidcClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(15)).WithPrivateNetworkGuard();
        return services;
    }

    public static IEndpointRouteBuilder MapSsoApi(this IEndpointRouteBuilder app)
    {
        var current = app.MapTenantApi("/tenants/current", "Security").RefuseApiKeys();

        current.MapGet("/sso", async (SsoSettings settings, CancellationToken ct) =>
                (await settings.GetAsync(ct)).ToResult(value => Results.Ok(value)))
            .Produces<SsoSettingsDto>()
            .WithSummary("The tenant's OpenID Connect single sign-on (admins): provider, domains, provisioning, roles, SSO required. The client secret shows only as set or not set.");

        current.MapPut("/sso", async ([FromBody] SsoSettingsWrite body, SsoSettings settings, CancellationToken ct) =>
                (await settings.PutAsync(body, ct)).ToResult(value => Results.Ok(value)))
            .Produces<SsoSettingsDto>()
            .ProducesValidationProblem()
            .WithSummary("Sets up or changes single sign-on (admins; audited without the secret). Members merge: absent = unchanged, null = cleared. Register redirectUri at the provider.");

        current.MapDelete("/sso", async (SsoSettings settings, CancellationToken ct) =>
                (await settings.DeleteAsync(ct)).ToResult(_ => Results.NoContent()))
            .Produces(204)
            .ProducesProblem(404)
            .WithSummary("Removes single sign-on (admins; audited): SSO required ends and passwords work again.");

        current.MapPost("/sso/test", async (SsoSettings settings, CancellationToken ct) =>
                (await settings.TestAsync(ct)).ToResult(value => Results.Ok(value)))
            .Produces<SsoConnectionTest>()
            .ProducesProblem(404)
            .WithSummary("Fetches the saved provider's discovery document and signing keys afresh and says what was found (ok, or the error).");

        return app;
    }
}
