using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Sso;

/// <summary>The app with a real OpenID Connect provider beside it (<see cref="TestOpenIdProvider"/>), registered for the app's redirect URI.</summary>
public sealed class SsoHost : MailHost
{
    public TestOpenIdProvider Provider { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Provider = await TestOpenIdProvider.StartForAsync(BaseAddress);
    }

    public override async Task DisposeAsync()
    {
        await Provider.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>
/// A browser without a browser for the code flow: one cookie jar for the app and the provider, redirects followed by
/// hand so that a test can change a step (the nonce sent to the provider, the state sent back to the app).
/// </summary>
public sealed class SsoBrowser(SsoHost host) : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };

    public HttpClient Http => _http;

    /// <summary>"Sign in with SSO" on the sign-in page with <paramref name="email"/> or <paramref name="slug"/>: the app's answer (a page moving on to the provider, or the page with a message).</summary>
    public async Task<HttpResponseMessage> StartAsync(string? email, string? slug = null)
    {
        var token = PageClient.Token(await _http.GetStringAsync("/signin"));
        return await _http.PostAsync("/sso/start", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email ?? "", ["TenantSlug"] = slug ?? "", ["__RequestVerificationToken"] = token,
        }));
    }

    /// <summary>
    /// Follows the app's redirect to the provider, signs in on its login form as <paramref name="email"/> and returns
    /// the provider's redirect back to the app (the callback URL with code and state).
    /// </summary>
    public async Task<Uri> SignInAtProviderAsync(Uri authorize, string email)
    {
        var login = await _http.GetAsync(authorize);
        login.StatusCode.ShouldBe(HttpStatusCode.Redirect, await login.Content.ReadAsStringAsync());
        var loginUrl = Next(login);
        var returnUrl = QueryHelpers.ParseQuery(loginUrl.Query)["returnUrl"].ToString();
        var posted = await _http.PostAsync(new Uri(loginUrl, "/login"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["password"] = TestOpenIdProvider.Password, ["returnUrl"] = returnUrl,
        }));
        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await posted.Content.ReadAsStringAsync());
        var back = await _http.GetAsync(Next(posted));
        back.StatusCode.ShouldBe(HttpStatusCode.Redirect, await back.Content.ReadAsStringAsync());
        return Next(back);
    }

    /// <summary>The whole flow; <paramref name="toProvider"/> and <paramref name="toApp"/> may change the redirects on the way.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string email, string? slug = null, Func<Uri, Uri>? toProvider = null, Func<Uri, Uri>? toApp = null)
    {
        var start = await StartAsync(slug is null ? email : null, slug);
        var authorize = ProviderUrl(start);
        var callback = await SignInAtProviderAsync(toProvider?.Invoke(authorize) ?? authorize, email);
        return await _http.GetAsync(toApp?.Invoke(callback) ?? callback);
    }

    /// <summary>
    /// Opens an invitation's link, presses "Accept with single sign-on", signs in at the provider as
    /// <paramref name="providerEmail"/> and returns the app's answer to the provider's redirect back.
    /// </summary>
    public async Task<HttpResponseMessage> AcceptInvitationAsync(string invitationToken, string providerEmail)
    {
        var page = await _http.GetStringAsync($"/invitations/accept?token={Uri.EscapeDataString(invitationToken)}");
        var form = page[page.IndexOf("data-testid=\"accept-with-sso\"", StringComparison.Ordinal)..];
        form = form[..form.IndexOf("</form>", StringComparison.Ordinal)];
        var fields = Regex.Matches(form, "<input [^>]*>").Select(m => m.Value)
            .ToDictionary(i => Attribute(i, "name"), i => WebUtility.HtmlDecode(Attribute(i, "value")));
        var start = await _http.PostAsync("/sso/start", new FormUrlEncodedContent(fields));
        var callback = await SignInAtProviderAsync(ProviderUrl(start), providerEmail);
        return await _http.GetAsync(callback);

        static string Attribute(string input, string name) => Regex.Match(input, $"{name}=\"([^\"]*)\"").Groups[1].Value;
    }

    /// <summary>Whether the app's cookie opens a page (signed in) rather than sending to /signin.</summary>
    public async Task<bool> IsSignedInAsync() => (await _http.GetAsync("/profile")).StatusCode == HttpStatusCode.OK;

    /// <summary>Where a posted start sends the browser: the Refresh header of its 200 page (null when it stayed with a message).</summary>
    public static Uri ProviderUrl(HttpResponseMessage start)
    {
        start.StatusCode.ShouldBe(HttpStatusCode.OK);
        if (!start.Headers.TryGetValues("Refresh", out var refresh))
            throw new ShouldAssertException("The start page did not move on to a provider: " + start.Content.ReadAsStringAsync().Result);
        return new Uri(refresh!.Single()["0; url=".Length..]);
    }

    public static Uri Next(HttpResponseMessage response) => new(response.RequestMessage!.RequestUri!, response.Headers.Location!);

    /// <summary>The URL with one query parameter replaced.</summary>
    public static Uri WithQuery(Uri url, string name, string value)
    {
        var query = QueryHelpers.ParseQuery(url.Query).ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
        query[name] = value;
        return new Uri(QueryHelpers.AddQueryString(url.GetLeftPart(UriPartial.Path), query));
    }

    public void Dispose() => _http.Dispose();
}
