using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.CustomFields;

/// <summary>/settings/fields as an admin's browser uses it.</summary>
public sealed partial class FieldsSettingsPageTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>
{
    [Fact]
    public async Task Admin_adds_a_select_field_on_the_page_and_the_lead_form_shows_it()
    {
        var tenant = await host.CreateTenantAsync("settings");
        using var browser = await BrowserAsync(tenant.Email("admin"));
        var page = await browser.GetStringAsync("/settings/fields?entity=lead");

        var saved = await PostAsync(browser, "/settings/fields?entity=lead&handler=Save", page, new()
        {
            ["Form.Label"] = "Tier", ["Form.Key"] = "tier", ["Form.Type"] = "single-select", ["Form.Options"] = "Gold\r\nSilver\r\n", ["Form.Required"] = "true",
        });
        var leadForm = await browser.GetStringAsync("/leads/new");

        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        leadForm.ShouldContain("name=\"custom.tier\"");
        leadForm.ShouldContain(">Silver</option>");
    }

    [Fact]
    public async Task An_invalid_key_is_shown_next_to_the_key_input()
    {
        var tenant = await host.CreateTenantAsync("settings");
        using var browser = await BrowserAsync(tenant.Email("admin"));
        var page = await browser.GetStringAsync("/settings/fields?entity=lead");

        var response = await PostAsync(browser, "/settings/fields?entity=lead&handler=Save", page, new()
        {
            ["Form.Label"] = "Bad", ["Form.Key"] = "Bad Key", ["Form.Type"] = "text",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("A key is a camelCase identifier");
    }

    [Fact]
    public async Task Admin_switches_a_module_off_with_the_checkboxes()
    {
        var tenant = await host.CreateTenantAsync("settings");
        using var browser = await BrowserAsync(tenant.Email("admin"));
        var page = await browser.GetStringAsync("/settings/fields");

        await PostAsync(browser, "/settings/fields?handler=Modules", page, new() { ["Switches.Opportunities"] = "true", ["Switches.Activities"] = "true" });
        var admin = await host.LoginAsync(tenant.Email("admin"));
        var modules = await admin.GetFromJsonAsync<JsonElement>("/api/v1/modules");

        modules.GetProperty("products").GetBoolean().ShouldBeFalse();
        modules.GetProperty("opportunities").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Managers_cannot_open_the_page()
    {
        var tenant = await host.CreateTenantAsync("settings");
        using var browser = await BrowserAsync(tenant.Email("manager"));

        var response = await browser.GetAsync("/settings/fields");

        response.StatusCode.ShouldNotBe(HttpStatusCode.OK);
    }

    private async Task<HttpClient> BrowserAsync(string email)
    {
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, email);
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient browser, string url, string formHtml, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryToken().Match(formHtml).Groups[1].Value);
        return browser.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*?value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
