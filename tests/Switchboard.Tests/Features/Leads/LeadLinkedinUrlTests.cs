using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Switchboard.Testing;
using static Switchboard.Tests.Features.Imports.ImportClient;

namespace Switchboard.Tests.Features.Leads;

/// <summary>The example field of ARCHITECTURE.md's "add a field" checklist, end to end: API, list, export, import, form.</summary>
public sealed class LeadLinkedinUrlTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private const string Profile = "https://www.linkedin.com/in/ada-lovelace";

    [Fact]
    public async Task A_lead_keeps_its_linkedin_url_and_a_patch_can_clear_it()
    {
        var manager = await host.As("manager");
        var created = await (await manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Lovelace", linkedinUrl = Profile })).Content.ReadFromJsonAsync<JsonElement>();
        created.GetProperty("linkedinUrl").GetString().ShouldBe(Profile);

        var cleared = await manager.PatchAsJsonAsync($"/api/v1/leads/{created.GetProperty("id").GetGuid()}", new { linkedinUrl = (string?)null });

        (await cleared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("linkedinUrl").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Theory]
    [InlineData("http://www.linkedin.com/in/ada")]
    [InlineData("linkedin.com/in/ada")]
    public async Task A_linkedin_url_that_is_not_https_is_refused_naming_the_field(string url)
    {
        var manager = await host.As("manager");

        var response = await manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Lovelace", linkedinUrl = url });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").GetProperty("linkedinUrl")[0].GetString()!.ShouldContain("is not an https URL");
    }

    [Fact]
    public async Task The_list_filters_and_exports_the_linkedin_url()
    {
        var admin = await host.As("admin");
        var tag = "Li" + Guid.NewGuid().ToString("N")[..8];
        await admin.PostAsJsonAsync("/api/v1/leads", new { lastName = tag, linkedinUrl = Profile + "-" + tag });

        var list = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/leads?filter.linkedinUrl=contains:{tag}&columns=lastName,linkedinUrl");
        list.GetProperty("total").GetInt32().ShouldBe(1);
        var csv = await admin.GetStringAsync($"/api/v1/leads/export?filter.lastName=eq:{tag}&columns=lastName,linkedinUrl");

        csv.ShouldContain("LinkedIn URL");
        csv.ShouldContain(Profile + "-" + tag);
    }

    [Fact]
    public async Task An_import_maps_a_linkedin_column_and_fails_a_row_whose_url_is_not_https()
    {
        var admin = await host.As("admin");
        var tag = "Im" + Guid.NewGuid().ToString("N")[..8];
        var csv = $"Last name,LinkedIn\n{tag}A,{Profile}-a\n{tag}B,http://www.linkedin.com/in/b\n";

        var import = await RunAsync(admin, Utf8(csv), "leads");

        (import.Count("created"), import.Count("failed")).ShouldBe((1, 1));
        var leads = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/leads?search={tag}A");
        leads.GetProperty("items")[0].GetProperty("linkedinUrl").GetString().ShouldBe(Profile + "-a");
        (await ErrorsAsync(admin, import.Id())).ShouldContain(row => row.Any(cell => cell.Contains("is not an https URL")));
    }

    [Fact]
    public async Task The_lead_form_offers_the_field_and_redisplays_an_invalid_url_with_its_error()
    {
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, host.Tenant.Email("manager"));
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        var form = await browser.GetStringAsync("/leads/new");
        var token = WebUtility.HtmlDecode(Regex.Match(form, "name=\"__RequestVerificationToken\"[^>]*?value=\"([^\"]+)\"").Groups[1].Value);

        var response = await browser.PostAsync("/leads/new", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Form.LastName"] = "Byron", ["Form.Status"] = "new", ["Form.LinkedinUrl"] = "linkedin.com/in/byron", ["__RequestVerificationToken"] = token,
        }));

        form.ShouldContain("name=\"Form.LinkedinUrl\"");
        var page = await response.Content.ReadAsStringAsync();
        page.ShouldContain("is not an https URL");
        page.ShouldContain("value=\"linkedin.com/in/byron\"");
    }
}
