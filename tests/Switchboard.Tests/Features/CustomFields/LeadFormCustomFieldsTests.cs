using System.Net;
using System.Text.RegularExpressions;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.CustomFields;

/// <summary>The lead pages as a browser uses them: cookie sign-in, antiforgery token, posted form fields.</summary>
public sealed partial class LeadFormCustomFieldsTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>
{
    [Fact]
    public async Task The_new_lead_form_shows_active_custom_fields_and_redisplays_an_invalid_value_with_its_error()
    {
        var (tenant, browser) = await TenantWithBrowserAsync();
        var admin = await host.LoginAsync(tenant.Email("admin"));
        await CustomFieldsApiTests.CreateAsync(admin, new { entity = "lead", key = "score", label = "Lead score", type = "number" });

        var form = await browser.GetStringAsync("/leads/new");
        var response = await PostAsync(browser, "/leads/new", form, new() { ["Form.LastName"] = "Byron", ["Form.Status"] = "new", ["custom.score"] = "lots" });

        form.ShouldContain("name=\"custom.score\"");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("Lead score must be a number");
        html.ShouldContain("value=\"lots\"");
    }

    [Fact]
    public async Task A_valid_custom_value_posted_from_the_form_is_saved_and_shown_on_the_lead()
    {
        var (tenant, browser) = await TenantWithBrowserAsync();
        var admin = await host.LoginAsync(tenant.Email("admin"));
        await CustomFieldsApiTests.CreateAsync(admin, new { entity = "lead", key = "tier", label = "Tier", type = "single-select", options = new[] { "Gold", "Silver" } });

        var form = await browser.GetStringAsync("/leads/new");
        var response = await PostAsync(browser, "/leads/new", form, new() { ["Form.LastName"] = "Byron", ["Form.Status"] = "new", ["custom.tier"] = "Silver" });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var details = await browser.GetStringAsync(response.Headers.Location!.ToString());
        details.ShouldContain("<dt>Tier</dt><dd>Silver</dd>");
    }

    private async Task<(TestTenant Tenant, HttpClient Browser)> TenantWithBrowserAsync()
    {
        var tenant = await host.CreateTenantAsync("form");
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, tenant.Email("manager"));
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        return (tenant, browser);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient browser, string url, string formHtml, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryToken().Match(formHtml).Groups[1].Value);
        return browser.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*?value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
