namespace Switchboard.Features.Ldap;

public static class LdapApi
{
    public static IServiceCollection AddLdap(this IServiceCollection services)
    {
        LdapOptions.Register(services);
        services.AddScoped<IDirectorySignIn>(sp => sp.GetRequiredService<LdapSignIn>());
        return services;
    }

    public static IEndpointRouteBuilder MapLdapApi(this IEndpointRouteBuilder app)
    {
        var current = app.MapTenantApi("/tenants/current", "LDAP").RefuseApiKeys();

        current.MapGet("/ldap", async (LdapSettingsService settings, CancellationToken ct) =>
                (await settings.GetAsync(ct)).ToResult(value => Results.Ok(value)))
            .Produces<LdapSettingsDto>()
            .WithSummary("The tenant's LDAP / Active Directory sign-in (admins); 404 when none is configured. The service password is never returned.");

        current.MapPut("/ldap", async ([FromBody] LdapSettingsWrite body, LdapSettingsService settings, CancellationToken ct) =>
                (await settings.PutAsync(body, ct)).ToResult(value => Results.Ok(value)))
            .Produces<LdapSettingsDto>()
            .ProducesValidationProblem()
            .WithSummary("Sets the tenant's LDAP sign-in (admins; audited). LDAPS or StartTLS only; bindPassword absent keeps the stored one.");

        current.MapDelete("/ldap", async (LdapSettingsService settings, CancellationToken ct) =>
                (await settings.DeleteAsync(ct)).ToResult(_ => Results.NoContent()))
            .WithSummary("Removes the tenant's LDAP sign-in (admins; audited): members sign in with their local passwords again.");

        current.MapPost("/ldap/test", async (LdapSettingsService settings, CancellationToken ct) =>
                (await settings.TestAsync(ct)).ToResult(value => Results.Ok(value)))
            .Produces<LdapTestResult>()
            .WithSummary("Tests the saved LDAP settings (admins): TLS connection, the service account's bind and the search base.");

        return app;
    }
}
