using System.Net;
using System.Net.Http.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Audit;

/// <summary>The audit log page: its entity filter offers every kind of record the log holds, and links to records.</summary>
public sealed class AuditPageTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private async Task<HttpClient> BrowserAsync(string role)
    {
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, host.Tenant.Email(role));
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
    }

    [Fact]
    public async Task The_entity_filter_offers_every_audited_kind_and_links_to_the_record()
    {
        var manager = await host.As("manager");
        var account = await manager.PostAsJsonAsync("/api/v1/accounts", new { name = "Audited " + Guid.NewGuid().ToString("N")[..6] });
        account.StatusCode.ShouldBe(HttpStatusCode.Created);
        var accountId = (await account.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        (await manager.PostAsJsonAsync("/api/v1/contacts", new { lastName = "Audited" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        using var admin = await BrowserAsync("admin");

        var html = await admin.GetStringAsync("/audit");

        html.ShouldContain("<option value=\"account\">Accounts</option>");
        html.ShouldContain("<option value=\"contact\">Contacts</option>");
        var filtered = await admin.GetStringAsync("/audit?entity=account");
        filtered.ShouldContain($"href=\"/accounts/{accountId}\"");
        filtered.ShouldContain("<option value=\"account\" selected=\"selected\">Accounts</option>");
    }

    [Fact]
    public async Task A_conversion_shows_record_names_and_a_tenant_zone_time_not_ids_and_iso()
    {
        var admin = await host.As("admin");
        var company = "Converted " + Guid.NewGuid().ToString("N")[..6];
        var lead = await admin.PostAsJsonAsync("/api/v1/leads", new { lastName = "Audit conversion", company });
        lead.StatusCode.ShouldBe(HttpStatusCode.Created);
        var leadId = (await lead.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        (await admin.PostAsJsonAsync($"/api/v1/leads/{leadId}/convert", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var browser = await BrowserAsync("admin");

        var html = WebUtility.HtmlDecode(await browser.GetStringAsync("/audit?entity=lead"));

        html.ShouldContain($"<span class=\"change-new\">{company}</span>", Case.Sensitive);
        html.ShouldMatch(@"<span class=""change-field"">Converted at</span>\s*<span class=""change-new"">\d{4}-\d{2}-\d{2} \d{2}:\d{2}</span>");
        html.ShouldNotMatch(@"<span class=""change-new"">[^<]*\d{4}-\d{2}-\d{2}T");
    }

    [Theory]
    [InlineData("custom-field", "Custom fields")]
    [InlineData("calling-settings", "Calling rules")]
    [InlineData("opportunity", "Opportunities")]
    [InlineData("dialer-queue", "Dialer queues")]
    [InlineData("lead", "Leads")]
    public void Kinds_are_named_as_people_say_them(string type, string label) =>
        Switchboard.Features.Audit.IndexModel.EntityLabel(type).ShouldBe(label);
}
