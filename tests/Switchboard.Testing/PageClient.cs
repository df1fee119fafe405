using System.Net;
using System.Text.RegularExpressions;

namespace Switchboard.Testing;

/// <summary>
/// A browser without a browser: the sign-in cookie, no automatic redirects, and form posts that carry the page's
/// antiforgery token, for page tests that need no JavaScript.
/// </summary>
public sealed partial class PageClient : IDisposable
{
    private PageClient(HttpClient http) => Http = http;

    public HttpClient Http { get; }

    public static async Task<PageClient> SignInAsync(SwitchboardHost host, string email, string? tenantSlug = null, string password = SwitchboardHost.Password)
    {
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, email, tenantSlug, password);
        return new PageClient(new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress });
    }

    /// <summary>An anonymous visitor (sign-in, forgot password, accepting an invitation).</summary>
    public static PageClient Anonymous(SwitchboardHost host) =>
        new(new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress });

    public Task<HttpResponseMessage> GetAsync(string url) => Http.GetAsync(url);

    public Task<string> GetStringAsync(string url) => Http.GetStringAsync(url);

    /// <summary>Posts <paramref name="fields"/> with the antiforgery token of <paramref name="formPage"/> (by default the page at <paramref name="url"/> without its query).</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string url, Dictionary<string, string> fields, string? formPage = null)
    {
        fields["__RequestVerificationToken"] = Token(await Http.GetStringAsync(formPage ?? url.Split('?')[0]));
        return await Http.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    /// <summary>The antiforgery token of the first form in <paramref name="html"/>.</summary>
    public static string Token(string html) => WebUtility.HtmlDecode(AntiforgeryToken().Match(html).Groups[1].Value);

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*?value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
