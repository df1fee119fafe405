using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Switchboard.Testing;
using Switchboard.Tests.Features.CustomFields;

namespace Switchboard.Tests.Features.Accounts;

/// <summary>Account and contact forms share the record form page with leads, custom field inputs included.</summary>
public sealed partial class AccountFormCustomFieldsTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>
{
    [Theory]
    [InlineData("account", "accounts", "Form.Name", "Acme Rockets")]
    [InlineData("contact", "contacts", "Form.LastName", "Byron")]
    public async Task The_form_shows_the_entitys_custom_fields_and_saves_them(string entity, string collection, string nameField, string name)
    {
        var tenant = await host.CreateTenantAsync("forms");
        var admin = await host.LoginAsync(tenant.Email("admin"));
        await CustomFieldsApiTests.CreateAsync(admin, new { entity, key = "tier", label = "Tier", type = "text" });
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, tenant.Email("manager"));
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };

        var form = await browser.GetStringAsync($"/{collection}/new");
        var posted = await browser.PostAsync($"/{collection}/new", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [nameField] = name, ["custom.tier"] = "Gold",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryToken().Match(form).Groups[1].Value),
        }));

        form.ShouldContain("name=\"custom.tier\"");
        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await posted.Content.ReadAsStringAsync());
        var id = posted.Headers.Location!.ToString().Split('/').Last();
        var record = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/{collection}/{id}");
        record.GetProperty("custom").GetProperty("tier").GetString().ShouldBe("Gold");
        (await browser.GetStringAsync($"/{collection}/{id}/edit")).ShouldContain("value=\"Gold\"");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*?value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
