using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Switchboard.Features.Calls;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Calls;

/// <summary>The call script's merge fields: filled in, HTML-escaped, an unknown one left as typed.</summary>
public sealed class CallScriptTests
{
    private static readonly CallScriptValues Ada = new("Ada", "Lovelace", "Analytical Engines", "Sam", "Rivera", "Acme Calling");

    private static string Render(string script, CallScriptValues? values = null) => CallScript.Render(script, values ?? Ada).ToString()!;

    [Fact]
    public void Every_merge_field_is_filled_in()
    {
        var html = Render("{first name}|{last name}|{full name}|{company}|{agent first name}|{agent name}|{workspace name}");

        html.ShouldBe(string.Join('|', new[] { "Ada", "Lovelace", "Ada Lovelace", "Analytical Engines", "Sam", "Sam Rivera", "Acme Calling" }
            .Select(v => $"<span class=\"merge-value\">{v}</span>")));
    }

    [Theory]
    [InlineData("{First Name}")]
    [InlineData("{ first  name }")]
    [InlineData("{first_name}")]
    [InlineData("{FIRST NAME}")]
    public void A_field_is_matched_without_regard_to_case_or_spacing(string token)
    {
        Render($"Hi {token}!").ShouldBe("Hi <span class=\"merge-value\">Ada</span>!");
    }

    [Fact]
    public void Values_and_the_script_itself_are_html_escaped()
    {
        var values = Ada with { FirstName = "<script>alert(1)</script>", Company = "Smith & \"Sons\"" };

        var html = Render("<b>Hi</b> {first name} of {company}", values);

        html.ShouldBe("&lt;b&gt;Hi&lt;/b&gt; <span class=\"merge-value\">&lt;script&gt;alert(1)&lt;/script&gt;</span> of "
            + "<span class=\"merge-value\">Smith &amp; &quot;Sons&quot;</span>");
    }

    [Fact]
    public void An_unknown_field_is_left_as_typed()
    {
        Render("Hi {frist name}, about {}: {first name}").ShouldBe("Hi {frist name}, about {}: <span class=\"merge-value\">Ada</span>");
        CallScript.UnknownFields("Hi {frist name}, {first name}, {frist name} and {crm <x>}").ShouldBe(["{frist name}", "{crm <x>}"]);
        CallScript.UnknownFields("No fields, {\nnot one\n} and a { lone brace").ShouldBeEmpty();
    }

    [Fact]
    public void A_field_without_a_value_shows_muted_as_typed()
    {
        var html = Render("From {company}.", Ada with { Company = null });

        html.ShouldBe("From <span class=\"merge-missing\" title=\"Not known for this call\">{company}</span>.");
    }
}

/// <summary>The script as the agent sees it in the dialer, and the editor in the calling settings.</summary>
public sealed partial class CallScriptPageTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>
{
    [Fact]
    public async Task The_dialer_shows_the_script_filled_in_for_the_lead_and_the_agent()
    {
        var floor = await DialerFloor.CreateAsync(host);
        using (var manager = await host.LoginAsync(floor.Tenant.Email("manager")))
        {
            (await manager.PostAsJsonAsync("/api/v1/leads", new
            {
                firstName = "<i>Ada</i>", lastName = "Lovelace", company = "Engines & Co", phone = "(212) 555-0150", ownerId = floor.Tenant.Users["agent"],
            })).EnsureSuccessStatusCode();
        }
        await SaveScriptAsync(floor.Tenant, "Hi {first name}, {agent first name} from {workspace name}. Is {company} on {crm}?");
        var queue = await floor.QueueAsync();
        using var tab = await DialerTab.SignInAsync(host, floor.Tenant.Email("agent"));

        await tab.StartAsync(queue);

        var script = CallScriptHtml().Match(tab.Html).Groups[1].Value;
        script.ShouldBe($"Hi <span class=\"merge-value\">&lt;i&gt;Ada&lt;/i&gt;</span>, <span class=\"merge-value\">agent</span> from "
            + $"<span class=\"merge-value\">Tenant {floor.Tenant.Slug}</span>. Is <span class=\"merge-value\">Engines &amp; Co</span> on {{crm}}?");
    }

    [Fact]
    public async Task The_dialer_fills_the_script_for_a_contact_with_its_account_as_the_company()
    {
        var floor = await DialerFloor.CreateAsync(host);
        Guid accountId;
        using (var manager = await host.LoginAsync(floor.Tenant.Email("manager")))
        {
            var account = await manager.PostAsJsonAsync("/api/v1/accounts", new { name = "Engines & Co", ownerId = floor.Tenant.Users["agent"] });
            accountId = (await account.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        }
        var contact = await floor.ContactAsync("Lovelace", firstName: "Ada", accountId: accountId);
        await SaveScriptAsync(floor.Tenant, "Hi {full name}, is {company} on {crm}?");
        // No lead matches the filter: the queue serves the contact.
        var queue = await floor.QueueAsync(statuses: ["unqualified"]);
        await floor.AddContactAsync(queue, contact);
        using var tab = await DialerTab.SignInAsync(host, floor.Tenant.Email("agent"));

        await tab.StartAsync(queue);

        tab.Contact.ShouldBe(contact);
        CallScriptHtml().Match(tab.Html).Groups[1].Value
            .ShouldBe("Hi <span class=\"merge-value\">Ada Lovelace</span>, is <span class=\"merge-value\">Engines &amp; Co</span> on {crm}?");
    }

    [Fact]
    public async Task The_script_editor_lists_the_merge_fields_and_warns_about_an_unknown_one()
    {
        var tenant = await host.CreateTenantAsync("script");
        await SaveScriptAsync(tenant, "Hi {first name}, about {frist name}.");
        using var browser = await BrowserAsync(tenant.Email("admin"));

        var page = await browser.GetStringAsync("/settings/calling");

        foreach (var field in CallScript.Fields) page.ShouldContain($"data-token=\"{field.Token}\"");
        UnknownWarning().Match(page).Groups[1].Value.ShouldBe("Not a merge field, so agents will see it as typed: {frist name}.");
    }

    [Fact]
    public async Task The_script_editor_warns_nothing_when_every_field_is_known()
    {
        var tenant = await host.CreateTenantAsync("script");
        await SaveScriptAsync(tenant, "Hi {first name}.");
        using var browser = await BrowserAsync(tenant.Email("admin"));

        var page = await browser.GetStringAsync("/settings/calling");

        UnknownWarning().Match(page).Groups[1].Value.ShouldBeEmpty();
    }

    private async Task SaveScriptAsync(TestTenant tenant, string script)
    {
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        (await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { callScript = script })).EnsureSuccessStatusCode();
    }

    private async Task<HttpClient> BrowserAsync(string email)
    {
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, email);
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
    }

    [GeneratedRegex("<p class=\"call-script\" data-testid=\"call-script\">(.*?)</p>", RegexOptions.Singleline)]
    private static partial Regex CallScriptHtml();

    [GeneratedRegex("data-testid=\"unknown-merge-fields\" x-ref=\"warning\">(.*?)</p>", RegexOptions.Singleline)]
    private static partial Regex UnknownWarning();
}
