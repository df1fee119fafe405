using System.Net;
using System.Text.RegularExpressions;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

/// <summary>A form posted to a page that has no handler for it is a client error, never a server error.</summary>
public sealed partial class PageMethodTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Theory]
    [InlineData("/leads")]
    [InlineData("/accounts")]
    [InlineData("/tasks")]
    [InlineData("/reports")]
    public async Task Posting_to_a_page_without_a_post_handler_is_405(string path)
    {
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, host.Tenant.Email("manager"));
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        var page = await browser.GetStringAsync(path);
        var token = WebUtility.HtmlDecode(AntiforgeryToken().Match(page).Groups[1].Value);

        var response = await browser.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task A_browser_posting_to_a_page_without_a_post_handler_gets_the_405_page()
    {
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, host.Tenant.Email("manager"));
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var page = await browser.GetStringAsync("/leads");
        var token = WebUtility.HtmlDecode(AntiforgeryToken().Match(page).Groups[1].Value);

        var response = await browser.PostAsync("/leads", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await response.Content.ReadAsStringAsync()).ShouldContain("That action isn&#x27;t available here");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*?value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
