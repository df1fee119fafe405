using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Switchboard.Testing;

/// <summary>A person the test provider knows.</summary>
public sealed record TestIdpUser(string Email, string GivenName, string FamilyName, bool EmailVerified = true, IReadOnlyList<string>? Groups = null)
{
    public string Subject { get; } = Guid.NewGuid().ToString("N");
}

/// <summary>
/// A real OpenID Connect provider for the SSO tests (ADR 0047): OpenIddict's server on Kestrel (127.0.0.1, a free
/// port, plain http, which the app's tests allow through Security:AllowPrivateNetworkUrls), with ephemeral signing
/// keys, the authorization code flow with PKCE required, a login form of its own and an in-memory user store. ID
/// tokens carry email, email_verified, names and a "groups" claim. <see cref="RewriteIdToken"/> lets a test hand the
/// app a token the provider did not sign as issued (tampered, or signed with other keys).
/// </summary>
public sealed class TestOpenIdProvider : IAsyncDisposable
{
    public const string ClientId = "switchboard-test";
    public const string ClientSecret = "provider-secret-7c1f9b";
    public const string Password = "idp-password";
    public const string CookieName = "test-idp";

    private readonly ConcurrentDictionary<string, TestIdpUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private WebApplication _app = null!;

    /// <summary>The issuer URL, as its discovery document names it (with the trailing slash).</summary>
    public string Issuer { get; private set; } = null!;

    /// <summary>The redirect URI registered for <see cref="ClientId"/>; an authorization request with another is refused.</summary>
    public string? RedirectUri { get; set; }

    /// <summary>Applied to each ID token as the token endpoint answers (null: the token as issued).</summary>
    public Func<string, string>? RewriteIdToken { get; set; }

    /// <summary>The query of every authorization request received, for assertions on PKCE, state and nonce.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> AuthorizationRequests { get; } = new();

    public TestIdpUser Add(TestIdpUser user) => _users[user.Email] = user;

    /// <summary>Starts a provider whose one client is registered for the app at <paramref name="app"/> (its /sso/callback).</summary>
    public static async Task<TestOpenIdProvider> StartForAsync(Uri app)
    {
        var provider = new TestOpenIdProvider { RedirectUri = new Uri(app, "/sso/callback").AbsoluteUri };
        await provider.RunAsync();
        // Its first answers build OpenIddict's pipeline and keys, which on a loaded machine can outlast the app's
        // timeout for a provider: ask once here, so that the tests meet a provider that answers as a real one does.
        using var warm = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        (await warm.GetAsync(provider.Issuer + ".well-known/openid-configuration")).EnsureSuccessStatusCode();
        (await warm.GetAsync(provider.Issuer + ".well-known/jwks")).EnsureSuccessStatusCode();
        return provider;
    }

    private async Task RunAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = typeof(TestOpenIdProvider).Assembly.GetName().Name });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddAuthentication().AddCookie(CookieName, o => o.Cookie.Name = CookieName);
        builder.Services.AddOpenIddict().AddServer(options =>
        {
            options.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            options.RegisterScopes(Scopes.Email, Scopes.Profile);
            options.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
            // No database: clients and users are checked by the handlers below.
            options.EnableDegradedMode();
            options.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough().DisableTransportSecurityRequirement();
            options.AddEventHandler<ValidateAuthorizationRequestContext>(b => b.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId) context.Reject(Errors.InvalidClient, "Unknown client.");
                else if (context.RedirectUri != RedirectUri) context.Reject(Errors.InvalidRequest, "The redirect_uri is not the one registered.");
                return default;
            }));
            options.AddEventHandler<ValidateTokenRequestContext>(b => b.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId || context.ClientSecret != ClientSecret) context.Reject(Errors.InvalidClient, "Wrong client credentials.");
                return default;
            }));
            options.AddEventHandler<ApplyTokenResponseContext>(b => b.SetOrder(int.MinValue + 100_000).UseInlineHandler(context =>
            {
                if (RewriteIdToken is { } rewrite && context.Response.IdToken is { } token) context.Response.IdToken = rewrite(token);
                return default;
            }));
        });
        _app = builder.Build();
        _app.UseAuthentication();
        _app.MapMethods("/connect/authorize", ["GET", "POST"], new Func<HttpContext, Task<IResult>>(AuthorizeAsync));
        _app.MapPost("/connect/token", async (HttpContext http) =>
        {
            var code = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return Results.SignIn(code.Principal!, null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        _app.MapGet("/login", (string? returnUrl, string? error) => Results.Content(LoginPage(returnUrl ?? "/", error), "text/html"));
        _app.MapPost("/login", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            var returnUrl = form["returnUrl"].ToString();
            if (!_users.TryGetValue(form["email"].ToString(), out var user) || form["password"] != Password)
                return Results.Content(LoginPage(returnUrl, "Wrong email or password."), "text/html");
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Email)], CookieName);
            await http.SignInAsync(CookieName, new ClaimsPrincipal(identity));
            return Results.Redirect(returnUrl.StartsWith("/connect/authorize", StringComparison.Ordinal) ? returnUrl : "/");
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Issuer = address.TrimEnd('/') + "/";
    }

    private async Task<IResult> AuthorizeAsync(HttpContext http)
    {
        AuthorizationRequests.Enqueue(http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()));
        var request = http.GetOpenIddictServerRequest()!;
        var signedIn = await http.AuthenticateAsync(CookieName);
        if (!signedIn.Succeeded || !_users.TryGetValue(signedIn.Principal!.Identity!.Name!, out var user))
            return Results.Redirect("/login?returnUrl=" + Uri.EscapeDataString(http.Request.Path + http.Request.QueryString));

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, user.Subject));
        identity.AddClaim(new Claim(Claims.Email, user.Email));
        identity.AddClaim(new Claim(Claims.EmailVerified, user.EmailVerified ? "true" : "false", ClaimValueTypes.Boolean));
        identity.AddClaim(new Claim(Claims.GivenName, user.GivenName));
        identity.AddClaim(new Claim(Claims.FamilyName, user.FamilyName));
        foreach (var group in user.Groups ?? []) identity.AddClaim(new Claim("groups", group));
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static string LoginPage(string returnUrl, string? error) => $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title><link rel="icon" href="data:,">
        <style>body{font-family:sans-serif;background:#1e293b;color:#0f172a;display:grid;place-items:center;min-height:100vh;margin:0}
        form{background:#fff;padding:32px;border-radius:12px;display:grid;gap:12px;width:320px}input{padding:8px}</style></head>
        <body><form method="post" action="/login">
        <h1>Test identity provider</h1>
        {{(error is null ? "" : $"<p role=\"alert\">{WebUtility.HtmlEncode(error)}</p>")}}
        <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(returnUrl)}}">
        <label>Email <input name="email" type="email" autocomplete="username"></label>
        <label>Password <input name="password" type="password" autocomplete="current-password"></label>
        <button type="submit">Sign in</button>
        </form></body></html>
        """;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
