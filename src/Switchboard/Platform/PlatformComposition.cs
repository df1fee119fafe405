using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

using Switchboard.Platform.Backups;
using Switchboard.Platform.Email;
using Switchboard.Platform.Observability;
using Switchboard.Platform.Protection;

namespace Switchboard.Platform;

/// <summary>What every feature stands on: database and tenancy, identity, audit, web conventions.</summary>
public static class PlatformComposition
{
    public static WebApplicationBuilder AddPlatform(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        if (builder.Configuration["urls"] is null && builder.Configuration["ASPNETCORE_URLS"] is null)
            builder.WebHost.UseUrls("http://127.0.0.1:5080");

        services.AddSingleton(TimeProvider.System);
        services.AddValidatedOptions<ConnectionStringsOptions>(ConnectionStringsOptions.Section);
        services.AddValidatedOptions<DatabaseOptions>(DatabaseOptions.Section);
        // Pooled (ADR 0018): building a context's options and internal services per request cost more CPU than its queries.
        services.AddPooledDbContextFactory<SwitchboardDbContext>((sp, options) => options
            .UseNpgsql(sp.GetRequiredService<DatabaseConnections>().Runtime)
            .AddInterceptors(
                sp.GetRequiredService<TenantConnectionInterceptor>(),
                sp.GetRequiredService<TenantStampInterceptor>(),
                sp.GetRequiredService<VersionStampInterceptor>(),
                sp.GetRequiredService<AuditInterceptor>()));
        // A standby scope of StandbyReads (ADR 0070) rents from the standby's pool instead.
        services.AddScoped(sp => (sp.GetRequiredService<DatabaseRoute>().IsStandby
                ? sp.GetRequiredService<StandbyContexts>().CreateDbContext()
                : sp.GetRequiredService<IDbContextFactory<SwitchboardDbContext>>().CreateDbContext())
            .Bind(sp.GetRequiredService<TenantContext>(), sp.GetRequiredService<AuditActor>()));

        services.AddDataProtection().SetApplicationName("Switchboard");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new PostgresXmlRepository(sp.GetRequiredService<DatabaseConnections>())));

        AddIdentity(services);
        AddWeb(services);
        services.AddSignInRateLimit();
        services.AddProtection();
        services.AddRealtime();
        services.AddJobs();
        services.AddEmail();
        services.AddBackups();
        services.AddHostedService<AuditBacklogSweep>();
        return builder;
    }

    private static void AddIdentity(IServiceCollection services)
    {
        services.AddIdentityCore<AppUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddEntityFrameworkStores<SwitchboardDbContext>();
        // The tenant's password policy replaces Identity's composition rules (ADR 0042).
        services.RemoveAll<IPasswordValidator<AppUser>>();
        services.AddScoped<IPasswordValidator<AppUser>, PolicyPasswordValidator>();
        PasswordHashingOptions.Register(services);
        Identity.Passkeys.PasskeyOptions.Register(services);

        services.AddAuthentication(o => o.DefaultScheme = "switchboard")
            .AddPolicyScheme("switchboard", "Cookie for pages; bearer token or X-Api-Key for the API", o =>
                // /mcp takes only API keys (ADR 0054): a browser's cookie must never reach it.
                o.ForwardDefaultSelector = http => ApiPaths.IsMcp(http.Request.Path) ? SwitchboardClaims.ApiKeyScheme
                    : !http.Request.Path.StartsWithSegments("/api") ? SwitchboardClaims.WebScheme
                    : http.Request.Headers.ContainsKey(ApiKeySecrets.Header) ? SwitchboardClaims.ApiKeyScheme
                    : SwitchboardClaims.ApiScheme)
            .AddCookie(SwitchboardClaims.WebScheme, o =>
            {
                o.Cookie.Name = "switchboard";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.LoginPath = "/signin";
                o.LogoutPath = "/signout";
                o.AccessDeniedPath = "/forbidden";
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;
            })
            .AddBearerToken(SwitchboardClaims.ApiScheme, o => o.BearerTokenExpiration = TimeSpan.FromMinutes(15))
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(SwitchboardClaims.ApiKeyScheme, null);

        services.AddAuthorizationBuilder()
            // Through the policy scheme: its selector picks the bearer token or the X-Api-Key scheme for /api (never the cookie).
            .AddPolicy(EndpointConventions.ApiPolicy, p => p.AddAuthenticationSchemes("switchboard").RequireAuthenticatedUser())
            .AddPolicy(EndpointConventions.WebPolicy, p => p.AddAuthenticationSchemes(SwitchboardClaims.WebScheme).RequireAuthenticatedUser());
    }

    private static void AddWeb(IServiceCollection services)
    {
        NetworkOptions.Register(services);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c => c.ProblemDetails.Extensions.Remove("traceId"));
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase);
        services.AddOpenApi(RequestBodySchemas.Describe);
        // Pages live in their feature's folder (Features/<Feature>/*.cshtml, each with an absolute @page route);
        // the shared UI kit (layout, list and form parts, timeline) lives once in Ui/.
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Features";
            o.Conventions.AuthorizeFolder("/", EndpointConventions.WebPolicy);
            o.Conventions.AllowAnonymousToPage("/Auth/SignIn");
            o.Conventions.AllowAnonymousToPage("/Invitations/Accept");
            o.Conventions.AllowAnonymousToPage("/Home/Error");
            o.Conventions.ConfigureFilter(new MissingPageHandlerFilter());
        });
        services.Configure<Microsoft.AspNetCore.Mvc.Razor.RazorViewEngineOptions>(o =>
        {
            foreach (var folder in UiFolders) o.PageViewLocationFormats.Add(folder + "/{0}.cshtml");
        });
        services.AddAntiforgery(o => o.HeaderName = "X-CSRF-TOKEN");
    }

    private static readonly string[] UiFolders = ["/Ui", "/Ui/Lists", "/Ui/Forms", "/Ui/Timeline", "/Ui/Calls"];

    public static WebApplication UsePlatform(this WebApplication app)
    {
        app.UseForwardedHeaders();
        // Errors answer in their reader's shape (ADR 0023): problem+json for the API and scripts, an HTML page (or an htmx
        // fragment) for people. An exception's page runs in a fresh scope, away from the failed request's DbContext.
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = ErrorPaths.Exception, CreateScopeForErrors = true });
        app.UseIpBlocklist(); // before anything else that does work (ADR 0046)
        app.UseStatusCodePages();
        app.UseWhen(ErrorAudiences.WantsHtml, people => people.UseStatusCodePagesWithReExecute(ErrorPaths.StatusFormat));
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseMiddleware<TenantResolutionMiddleware>();
        app.UseRequestIdentity(); // the tenant, user and request ids on the trace and the log lines (ADR 0063)
        app.UseTenantRules(); // the tenant's IP allowlist and the API's rate limits (ADR 0046)
        app.UseMiddleware<Identity.TwoFactor.EnrolmentGate>(); // ADR 0045: a session that may only enrol a second factor
        app.UseAuthorization();
        return app;
    }

    public static WebApplication MapPlatformPages(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        // Only under its own prefix: as plain middleware it ran (path regexes included) on every request.
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/api-docs"), docs => docs.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "api-docs";
            o.SwaggerEndpoint("/openapi/v1.json", "Switchboard API v1");
            o.DocumentTitle = "Switchboard API";
        }));
        app.MapRazorPages();
        return app;
    }
}
