using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Leads;

/// <summary>The lead page's History card speaks to people: names, values as the form shows them, times in the tenant's zone.</summary>
public sealed class LeadHistoryTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Fact]
    public async Task A_changed_owner_shows_the_members_names_and_the_actor_by_name()
    {
        var lead = await CreateLeadAsync(new { lastName = "Owner change", ownerId = host.Tenant.Users["agent"] });
        await PatchAsync(lead, new { ownerId = host.Tenant.Users["manager"] });

        var history = await HistoryAsync(lead);

        history.ShouldContain("<span class=\"change-field\">Owner</span>", Case.Sensitive);
        history.ShouldContain("<span class=\"change-old\">agent User</span>", Case.Sensitive);
        history.ShouldContain("<span class=\"change-new\">manager User</span>", Case.Sensitive);
        history.ShouldNotContain(host.Tenant.Users["manager"].ToString());
        history.ShouldContain("<strong>admin User</strong>", Case.Sensitive);
        history.ShouldNotContain(host.Tenant.Email("admin"));
    }

    [Fact]
    public async Task Changed_values_show_as_the_form_shows_them()
    {
        var lead = await CreateLeadAsync(new { lastName = "Value change" });
        await PatchAsync(lead, new { doNotCall = true, status = "contacted" });

        var history = await HistoryAsync(lead);

        history.ShouldContain("<span class=\"change-field\">Do not call</span>", Case.Sensitive);
        history.ShouldContain("<span class=\"change-new\">Yes</span>", Case.Sensitive);
        history.ShouldContain("<span class=\"change-new\">Contacted</span>", Case.Sensitive);
    }

    [Fact]
    public async Task A_conversion_shows_its_time_in_the_tenants_zone_the_records_by_name_and_no_empty_updated_entry()
    {
        var company = $"Globex {Guid.NewGuid():N}"[..16];
        var lead = await CreateLeadAsync(new { lastName = "Converted", company, email = $"buyer@{Guid.NewGuid():N}.example" });
        var admin = await host.As("admin");
        var converted = await admin.PostAsJsonAsync($"/api/v1/leads/{lead}/convert", new { });
        converted.StatusCode.ShouldBe(HttpStatusCode.OK, await converted.Content.ReadAsStringAsync());

        var history = await HistoryAsync(lead);

        var entries = history.Split("<div class=\"timeline-head\">").Skip(1).ToList();
        entries.ShouldNotBeEmpty();
        foreach (var entry in entries.Where(e => !e.Contains("created the lead")))
            entry.ShouldContain("class=\"changes\"", Case.Sensitive);
        history.ShouldNotMatch(@">[^<]*\d{4}-\d{2}-\d{2}T\d{2}:"); // only the datetime attributes are ISO
        history.ShouldMatch(@"<span class=""change-new"">\d{4}-\d{2}-\d{2} \d{2}:\d{2}</span>");
        history.ShouldNotMatch(@"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-");
        history.ShouldContain(company, Case.Sensitive);
    }

    [Fact]
    public async Task A_changed_custom_field_shows_under_its_label()
    {
        var admin = await host.As("admin");
        var key = "renewal" + Guid.NewGuid().ToString("N")[..6];
        (await admin.PostAsJsonAsync("/api/v1/custom-fields", new { entity = "lead", key, label = "Renewal date", type = "date" })).EnsureSuccessStatusCode();
        var lead = await CreateLeadAsync(new { lastName = "Custom change" });
        await PatchAsync(lead, new { custom = new Dictionary<string, object> { [key] = "2027-03-04" } });

        var history = await HistoryAsync(lead);

        history.ShouldContain("<span class=\"change-field\">Renewal date</span>", Case.Sensitive);
        history.ShouldContain("<span class=\"change-new\">2027-03-04</span>", Case.Sensitive);
        history.ShouldNotContain(">Custom<", Case.Sensitive);
    }

    private async Task<Guid> CreateLeadAsync(object body)
    {
        var admin = await host.As("admin");
        var response = await admin.PostAsJsonAsync("/api/v1/leads", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task PatchAsync(Guid lead, object body)
    {
        var admin = await host.As("admin");
        var response = await admin.PatchAsJsonAsync($"/api/v1/leads/{lead}", body);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The History card's markup, as an administrator (who may read the audit log) sees it.</summary>
    private async Task<string> HistoryAsync(Guid lead)
    {
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, host.Tenant.Email("admin"));
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        var html = await browser.GetStringAsync($"/leads/{lead}");
        var start = html.IndexOf("data-testid=\"lead-history\"", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0);
        return WebUtility.HtmlDecode(html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)]);
    }
}
