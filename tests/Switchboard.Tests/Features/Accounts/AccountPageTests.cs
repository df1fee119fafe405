using System.Net.Http.Json;
using Switchboard.Testing;
using Switchboard.Tests.Features.Activities;

namespace Switchboard.Tests.Features.Accounts;

/// <summary>The account page as a browser sees it: the account's contacts and opportunities, as far as the viewer may see them.</summary>
public sealed class AccountPageTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Fact]
    public async Task The_account_page_lists_its_contacts_and_its_opportunities_with_stage_amount_and_close()
    {
        var tag = Tag();
        var manager = await host.As("manager");
        var account = await CreateAsync(manager, "/api/v1/accounts", new { name = $"Acme {tag}" });
        var contact = await CreateAsync(manager, "/api/v1/contacts", new { lastName = $"Buyer{tag}", accountId = account });
        var deal = await CreateAsync(manager, "/api/v1/opportunities", new { name = $"Deal {tag}", accountId = account, amount = 12500, expectedClose = "2027-03-31" });
        await CreateAsync(manager, "/api/v1/opportunities", new { name = $"Elsewhere {tag}" });
        using var browser = await PageForms.BrowserAsync(host, "manager");

        var html = await browser.GetStringAsync($"/accounts/{account}");

        html.ShouldContain($"href=\"/contacts/{contact}\"");
        html.ShouldContain("data-testid=\"account-opportunities\"");
        html.ShouldContain($"href=\"/opportunities/{deal}\"");
        html.ShouldContain("12,500");
        html.ShouldContain("2027-03-31");
        html.ShouldContain("data-testid=\"opportunity-stage\"");
        html.ShouldNotContain($"Elsewhere {tag}");
    }

    [Fact]
    public async Task An_agent_sees_only_their_own_contacts_and_opportunities_of_the_account()
    {
        var tag = Tag();
        var manager = await host.As("manager");
        var agent = host.Tenant.Users["agent"];
        var other = host.Tenant.Users["agent2"];
        var account = await CreateAsync(manager, "/api/v1/accounts", new { name = $"Shared {tag}", ownerId = agent });
        await CreateAsync(manager, "/api/v1/contacts", new { lastName = $"Mine{tag}", accountId = account, ownerId = agent });
        await CreateAsync(manager, "/api/v1/contacts", new { lastName = $"Theirs{tag}", accountId = account, ownerId = other });
        await CreateAsync(manager, "/api/v1/opportunities", new { name = $"MyDeal {tag}", accountId = account, ownerId = agent });
        await CreateAsync(manager, "/api/v1/opportunities", new { name = $"TheirDeal {tag}", accountId = account, ownerId = other });
        using var browser = await PageForms.BrowserAsync(host, "agent");

        var html = await browser.GetStringAsync($"/accounts/{account}");

        html.ShouldContain($"Mine{tag}");
        html.ShouldContain($"MyDeal {tag}");
        html.ShouldNotContain($"Theirs{tag}");
        html.ShouldNotContain($"TheirDeal {tag}");
    }

    [Fact]
    public async Task An_account_with_many_contacts_shows_the_count_and_a_link_to_all_of_them()
    {
        var tag = Tag();
        var manager = await host.As("manager");
        var account = await CreateAsync(manager, "/api/v1/accounts", new { name = $"Big {tag}" });
        for (var i = 0; i < 12; i++) await CreateAsync(manager, "/api/v1/contacts", new { lastName = $"Person{i:00}{tag}", accountId = account });
        using var browser = await PageForms.BrowserAsync(host, "manager");

        var html = await browser.GetStringAsync($"/accounts/{account}");

        html.ShouldContain("data-testid=\"contacts-count\">12<");
        html.ShouldContain($"href=\"/contacts?filter.accountId=eq:{account}\"");
        System.Text.RegularExpressions.Regex.Count(html, "href=\"/contacts/[0-9a-f-]{36}\"").ShouldBe(AccountDetailsLimit);
        var all = await browser.GetStringAsync($"/contacts?filter.accountId=eq:{account}&q={tag}");
        System.Text.RegularExpressions.Regex.Count(all, $"Person\\d\\d{tag}</a>").ShouldBe(12);
    }

    private const int AccountDetailsLimit = 10;

    private static async Task<Guid> CreateAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return await ActivityTestData.IdOf(response);
    }

    private static string Tag() => Guid.NewGuid().ToString("N")[..8];
}

/// <summary>Record pages of a tenant that switches modules off (its own host: the switches are tenant-wide).</summary>
public sealed class RecordPagesWithModulesOffTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Fact]
    public async Task No_opportunities_card_when_the_module_is_off()
    {
        var admin = await host.As("admin");
        var created = await admin.PostAsJsonAsync("/api/v1/accounts", new { name = "Quiet Ltd" });
        var account = await ActivityTestData.IdOf(created);
        (await admin.PatchAsJsonAsync("/api/v1/modules", new { opportunities = false })).EnsureSuccessStatusCode();
        using var browser = await PageForms.BrowserAsync(host, "manager");

        var html = await browser.GetStringAsync($"/accounts/{account}");

        html.ShouldContain("data-testid=\"account-contacts\"");
        html.ShouldNotContain("data-testid=\"account-opportunities\"");
    }

    [Fact]
    public async Task No_task_form_and_no_task_when_the_activities_module_is_off()
    {
        var admin = await host.As("admin");
        var account = await ActivityTestData.IdOf(await admin.PostAsJsonAsync("/api/v1/accounts", new { name = "Taskless Ltd" }));
        using var browser = await PageForms.BrowserAsync(host, "manager");
        var before = await browser.GetStringAsync($"/accounts/{account}");
        before.ShouldContain("data-testid=\"task-form\"", customMessage: "the form shows while the module is on");
        var token = PageForms.Token(before);
        (await admin.PatchAsJsonAsync("/api/v1/modules", new { activities = false })).EnsureSuccessStatusCode();

        var html = await browser.GetStringAsync($"/accounts/{account}");
        var posted = await browser.PostAsync($"/accounts/{account}?handler=Task",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Task.Subject"] = "Hidden", ["__RequestVerificationToken"] = token }));
        (await admin.PatchAsJsonAsync("/api/v1/modules", new { activities = true })).EnsureSuccessStatusCode();
        var tasks = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/activities?relatedType=account&relatedId={account}");

        html.ShouldContain("data-testid=\"record-timeline\"");
        html.ShouldNotContain("data-testid=\"task-form\"");
        posted.StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
        tasks.GetProperty("total").GetInt32().ShouldBe(0);
    }
}
