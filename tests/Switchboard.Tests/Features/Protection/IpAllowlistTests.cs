using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using static Switchboard.Tests.Features.ApiKeys.ApiKeyClients;

namespace Switchboard.Tests.Features.Protection;

/// <summary>
/// A tenant's IP allowlist (issue 12 §8, ADR 0046) on its API and its pages. The tests run on loopback, the proxy the app
/// trusts by default, so X-Forwarded-For names the client address a request comes "from".
/// </summary>
public sealed class IpAllowlistTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>
{
    private const string Url = "/api/v1/tenants/current/security";
    private const string Outside = "198.51.100.7";

    [Fact]
    public async Task An_allowlist_admits_its_ipv4_and_ipv6_networks_and_refuses_other_addresses_on_the_api_with_403_problem_json()
    {
        var tenant = await host.CreateTenantAsync("allow-api");
        await SetAllowlistAsync(tenant, ["127.0.0.1", "203.0.113.0/24", "2001:db8::/32"]);
        using var agent = await host.LoginAsync(tenant.Email("agent"));

        var outside = await From(agent, Outside).GetAsync("/api/v1/leads");
        var inside = await From(agent, "203.0.113.9").GetAsync("/api/v1/leads");
        var insideV6 = await From(agent, "2001:db8::5").GetAsync("/api/v1/leads");
        var outsideV6 = await From(agent, "2001:db9::5").GetAsync("/api/v1/leads");

        (await DetailAsync(outside, HttpStatusCode.Forbidden)).ShouldContain($"{Outside} is not one of them");
        inside.StatusCode.ShouldBe(HttpStatusCode.OK);
        insideV6.StatusCode.ShouldBe(HttpStatusCode.OK);
        outsideV6.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_allowlist_holds_the_tenants_api_keys_on_top_of_their_own_and_leaves_other_tenants_alone()
    {
        var tenant = await host.CreateTenantAsync("allow-key");
        var other = await host.CreateTenantAsync("allow-other");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        var key = await CreateAsync(admin, new { name = "Anywhere", role = "readonly" });
        await SetAllowlistAsync(tenant, ["127.0.0.1/32", "203.0.113.0/24"]);
        using var stranger = await host.LoginAsync(other.Email("agent"));

        (await host.With(key.Key, Outside).GetAsync("/api/v1/leads")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await host.With(key.Key, "203.0.113.20").GetAsync("/api/v1/leads")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await From(stranger, Outside).GetAsync("/api/v1/leads")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_person_outside_the_allowlist_gets_an_html_page_saying_why_and_inside_gets_the_app()
    {
        var tenant = await host.CreateTenantAsync("allow-ui");
        await SetAllowlistAsync(tenant, ["127.0.0.1/32", "203.0.113.0/24"]);
        using var outside = await PageClient.SignInAsync(host, tenant.Email("agent"));
        using var inside = await PageClient.SignInAsync(host, tenant.Email("agent"));
        Browser(outside, Outside);
        Browser(inside, "203.0.113.30");

        var refused = await outside.GetAsync("/leads");
        var served = await inside.GetAsync("/leads");

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var html = await refused.Content.ReadAsStringAsync();
        html.ShouldContain("Not allowed from this address");
        html.ShouldContain($"{Outside} is not one of them");
        served.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_list_that_leaves_out_the_admins_own_address_is_refused_with_a_field_message_and_changes_nothing()
    {
        var tenant = await host.CreateTenantAsync("allow-self");
        using var admin = await host.LoginAsync(tenant.Email("admin"));

        var refused = await From(admin, "192.0.2.10").PatchAsJsonAsync(Url, new { ipAllowlist = new[] { "203.0.113.0/24" } });
        var allowed = await From(admin, "203.0.113.77").PatchAsJsonAsync(Url, new { ipAllowlist = new[] { "203.0.113.0/24" } });

        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("ipAllowlist")[0].GetString()
            .ShouldBe("Your current address (192.0.2.10) is not in the list: saving it would lock you out. Add 192.0.2.10 or a block that contains it.");
        allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await allowed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ipAllowlist").EnumerateArray().Select(e => e.GetString())
            .ShouldBe(["203.0.113.0/24"]);
    }

    [Theory]
    [InlineData("not-an-ip", "'not-an-ip' is not an IP address or CIDR block")]
    [InlineData("10.0.0.1/8", "bits set past its prefix")]
    public async Task A_block_that_is_not_one_is_400_naming_the_field(string block, string message)
    {
        var tenant = await host.CreateTenantAsync("allow-bad");
        using var admin = await host.LoginAsync(tenant.Email("admin"));

        var response = await admin.PatchAsJsonAsync(Url, new { ipAllowlist = new[] { "127.0.0.1", block } });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("ipAllowlist")[0].GetString()!.ShouldContain(message);
    }

    [Fact]
    public async Task Clearing_the_list_admits_everyone_again_and_every_change_is_audited()
    {
        var tenant = await host.CreateTenantAsync("allow-clear");
        await SetAllowlistAsync(tenant, ["127.0.0.1"]);
        using var agent = await host.LoginAsync(tenant.Email("agent"));
        (await From(agent, Outside).GetAsync("/api/v1/leads")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        await SetAllowlistAsync(tenant, null);

        (await From(agent, Outside).GetAsync("/api/v1/leads")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=tenant.security-changed");
        audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("changes").GetRawText()).ShouldBe([
            """{"ipAllowlist":{"new":[],"old":["127.0.0.1/32"]}}""",
            """{"ipAllowlist":{"new":["127.0.0.1/32"],"old":[]}}""",
        ]);
    }

    [Fact]
    public async Task The_security_page_shows_the_callers_address_saves_the_list_and_refuses_a_self_lockout()
    {
        var tenant = await host.CreateTenantAsync("allow-page");
        using var page = await PageClient.SignInAsync(host, tenant.Email("admin"));

        var form = await page.GetStringAsync("/settings/security");
        var refused = await page.PostFormAsync("/settings/security", Fields("203.0.113.0/24"));
        var saved = await page.PostFormAsync("/settings/security", Fields("127.0.0.1\n203.0.113.0/24"));

        form.ShouldContain("You are connected from <strong>127.0.0.1</strong>");
        (await refused.Content.ReadAsStringAsync()).ShouldContain("Your current address (127.0.0.1) is not in the list: saving it would lock you out.");
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await page.GetStringAsync("/settings/security")).ShouldContain("127.0.0.1/32&#xA;203.0.113.0/24</textarea>"); // one block a line
    }

    private static Dictionary<string, string> Fields(string allowlist) => new()
    {
        ["Form.PasswordMinLength"] = "12", ["Form.PasswordHistory"] = "5", ["Form.PasswordMaxAgeDays"] = "",
        ["Form.SessionIdleMinutes"] = "", ["Form.SessionMaxHours"] = "", ["Form.Mfa"] = "off", ["Form.MfaGraceDays"] = "7",
        ["Form.IpAllowlist"] = allowlist,
    };

    private async Task SetAllowlistAsync(TestTenant tenant, string[]? blocks)
    {
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        var response = await admin.PatchAsJsonAsync(Url, new { ipAllowlist = blocks });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The same bearer token sent as if from <paramref name="address"/> (through the trusted loopback proxy).</summary>
    private HttpClient From(HttpClient signedIn, string address)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = signedIn.DefaultRequestHeaders.Authorization;
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    private static void Browser(PageClient page, string address)
    {
        page.Http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        page.Http.DefaultRequestHeaders.Accept.ParseAdd("text/html");
    }
}
