using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using static Switchboard.Tests.Features.ApiKeys.ApiKeyClients;

namespace Switchboard.Tests.Features.Protection;

/// <summary>
/// The API's token buckets (issue 12 §8, ADR 0046): per user, per API key, per tenant, set small per tenant by the
/// superadmin so a test empties them in a few requests. Buckets refill at their rate in real time, so tests count
/// requests until the first 429 and wait for recovery by polling, never by timing.
/// </summary>
public sealed class ApiRateLimitTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>
{
    private const string Leads = "/api/v1/leads";

    [Fact]
    public async Task A_user_who_empties_their_bucket_gets_429_with_retry_after_and_ratelimit_headers_and_is_served_again_after_the_refill()
    {
        var tenant = await host.CreateTenantAsync("rl-user");
        await SetLimitsAsync(tenant.Id, new { userPerSecond = 1, userBurst = 3 });
        using var agent = await host.LoginAsync(tenant.Email("agent"));

        var first = await agent.GetAsync(Leads);
        var (served, refused) = await UntilRefusedAsync(agent);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        first.Headers.GetValues("RateLimit-Policy").Single().ShouldBe("\"user\";q=3;w=3, \"tenant\";q=100000;w=10");
        first.Headers.GetValues("RateLimit").Single().ShouldStartWith("\"user\";r=2;t=1, \"tenant\";r=");
        served.ShouldBeGreaterThanOrEqualTo(2); // the burst of 3, less the first request, plus whatever refilled meanwhile
        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        int.Parse(refused.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture).ShouldBeInRange(1, 3);
        refused.Headers.GetValues("RateLimit").Single().ShouldStartWith("\"user\";r=0;t=");
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldContain("rate limit");

        var again = await Eventually.Until(() => agent.GetAsync(Leads), r => r.StatusCode == HttpStatusCode.OK, "the user's bucket to refill");
        again.Headers.GetValues("RateLimit").Single().ShouldStartWith("\"user\";r=");
    }

    [Fact]
    public async Task A_users_empty_bucket_leaves_a_colleague_and_an_api_key_of_the_tenant_served_and_an_empty_key_leaves_its_creator_served()
    {
        var tenant = await host.CreateTenantAsync("rl-parts");
        await SetLimitsAsync(tenant.Id, new { userPerSecond = 1, userBurst = 2, keyPerSecond = 1, keyBurst = 2 });
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        var key = await CreateAsync(admin, new { name = "Sync", role = "readonly" });
        using var agent = await host.LoginAsync(tenant.Email("agent"));
        using var colleague = await host.LoginAsync(tenant.Email("agent2"));
        using var integration = host.With(key.Key);

        (await UntilRefusedAsync(agent)).Refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        var colleagueAnswer = await colleague.GetAsync(Leads);
        var keyAnswer = await integration.GetAsync(Leads);
        (await UntilRefusedAsync(integration)).Refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        var creatorAnswer = await admin.GetAsync(Leads);

        colleagueAnswer.StatusCode.ShouldBe(HttpStatusCode.OK);
        keyAnswer.StatusCode.ShouldBe(HttpStatusCode.OK);
        keyAnswer.Headers.GetValues("RateLimit-Policy").Single().ShouldStartWith("\"key\";q=2;w=2, \"tenant\";");
        creatorAnswer.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_tenant_bucket_is_shared_by_its_users_but_not_by_another_tenant()
    {
        var tenant = await host.CreateTenantAsync("rl-tenant");
        var other = await host.CreateTenantAsync("rl-other");
        await SetLimitsAsync(tenant.Id, new { tenantPerSecond = 1, tenantBurst = 4 });
        await SetLimitsAsync(other.Id, new { tenantPerSecond = 1, tenantBurst = 4 });
        using var agent = await host.LoginAsync(tenant.Email("agent"));
        using var colleague = await host.LoginAsync(tenant.Email("agent2"));
        using var stranger = await host.LoginAsync(other.Email("agent"));

        var emptied = await UntilRefusedAsync(agent);
        // The colleague's own bucket is full (the default); only the shared tenant bucket can refuse them.
        var colleagueRefused = await UntilRefusedAsync(colleague, attempts: 3);
        var strangerAnswer = await stranger.GetAsync(Leads);

        emptied.Refused.Headers.GetValues("RateLimit").Single().ShouldContain("\"tenant\";r=0");
        colleagueRefused.Refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        strangerAnswer.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_superadmin_changes_a_tenants_limits_puts_one_back_to_the_default_with_null_and_each_change_is_audited()
    {
        var tenant = await host.CreateTenantAsync("rl-admin");
        using var root = await host.SuperadminAsync();
        var url = $"/api/v1/tenants/{tenant.Id}/rate-limits";

        var defaults = await root.GetFromJsonAsync<JsonElement>(url);
        var changed = await root.PatchAsJsonAsync(url, new { keyPerSecond = 5, keyBurst = 40 });
        var reset = await root.PatchAsJsonAsync(url, new { keyBurst = (int?)null });

        defaults.GetProperty("keyPerSecond").GetInt32().ShouldBe(10_000); // the test host's platform default
        defaults.GetProperty("overridden").GetArrayLength().ShouldBe(0);
        changed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await reset.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("keyPerSecond").GetInt32().ShouldBe(5);
        body.GetProperty("keyBurst").GetInt32().ShouldBe(100_000);
        body.GetProperty("overridden").EnumerateArray().Select(e => e.GetString()).ShouldBe(["keyPerSecond"]);
        (await AuditChangesAsync(tenant.Id)).ShouldBe([
            """{"keyBurst": {"new": 40, "old": null}, "keyPerSecond": {"new": 5, "old": null}}""",
            """{"keyBurst": {"new": null, "old": 40}}""",
        ]);
    }

    [Theory]
    [InlineData("""{"userPerSecond":0}""", "userPerSecond", "Per-user rate must be 1 to 10,000, or empty for the platform default.")]
    [InlineData("""{"tenantBurst":100001}""", "tenantBurst", "Tenant burst must be 1 to 100,000, or empty for the platform default.")]
    [InlineData("""{"keyPerSecond":50,"keyBurst":10}""", "keyBurst", "The burst (10) must be at least the rate per second (50).")]
    [InlineData("""{"userBurst":"lots"}""", "userBurst", null)]
    [InlineData("""{"perMinute":5}""", "perMinute", null)]
    public async Task Out_of_range_and_unknown_limits_are_400_naming_the_field_and_change_nothing(string body, string field, string? message)
    {
        var tenant = await host.CreateTenantAsync("rl-bad");
        using var root = await host.SuperadminAsync();
        var url = $"/api/v1/tenants/{tenant.Id}/rate-limits";

        var response = await root.PatchAsync(url, new StringContent(body, System.Text.Encoding.UTF8, "application/merge-patch+json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var first = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty(field)[0].GetString();
        if (message is not null) first.ShouldBe(message);
        (await root.GetFromJsonAsync<JsonElement>(url)).GetProperty("overridden").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task A_tenant_admin_may_neither_see_nor_change_limits_and_an_unknown_tenant_is_404()
    {
        var tenant = await host.CreateTenantAsync("rl-refused");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        using var root = await host.SuperadminAsync();
        var url = $"/api/v1/tenants/{tenant.Id}/rate-limits";

        (await admin.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.PatchAsJsonAsync(url, new { userBurst = 100_000 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await root.GetAsync($"/api/v1/tenants/{Guid.NewGuid()}/rate-limits")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var page = await PageClient.SignInAsync(host, tenant.Email("admin"));
        var response = await page.GetAsync($"/tenants/{tenant.Id}/limits");
        new Uri(host.BaseAddress, response.Headers.Location!).AbsolutePath.ShouldBe("/forbidden");
    }

    [Fact]
    public async Task The_superadmins_limits_page_shows_the_defaults_saves_and_names_a_mistake_as_the_api_does()
    {
        var tenant = await host.CreateTenantAsync("rl-page");
        using var page = await PageClient.SignInAsync(host, SwitchboardHost.SuperadminEmail);
        var url = $"/tenants/{tenant.Id}/limits";

        var form = await page.GetStringAsync(url);
        var bad = await page.PostFormAsync(url, Fields(userPerSecond: "0"));
        var saved = await page.PostFormAsync(url, Fields(userPerSecond: "4", userBurst: "20"));

        form.ShouldContain("Empty: the platform default, 10,000 a second");
        (await bad.Content.ReadAsStringAsync()).ShouldContain("Per-user rate must be 1 to 10,000, or empty for the platform default.");
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        using var root = await host.SuperadminAsync();
        var limits = await root.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{tenant.Id}/rate-limits");
        (limits.GetProperty("userPerSecond").GetInt32(), limits.GetProperty("userBurst").GetInt32()).ShouldBe((4, 20));
    }

    private static Dictionary<string, string> Fields(string userPerSecond = "", string userBurst = "") => new()
    {
        ["Form.UserPerSecond"] = userPerSecond, ["Form.UserBurst"] = userBurst, ["Form.KeyPerSecond"] = "", ["Form.KeyBurst"] = "",
        ["Form.TenantPerSecond"] = "", ["Form.TenantBurst"] = "",
    };

    [Fact]
    public async Task A_superadmin_is_held_to_the_platform_limits_not_to_the_tenant_they_are_in()
    {
        var tenant = await host.CreateTenantAsync("rl-root");
        await SetLimitsAsync(tenant.Id, new { userPerSecond = 1, userBurst = 2, tenantPerSecond = 1, tenantBurst = 2 });
        using var root = await host.SuperadminAsync(tenant.Slug);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++) answers.Add(await root.GetAsync(Leads));

        answers.ShouldAllBe(a => a.StatusCode == HttpStatusCode.OK);
        answers[^1].Headers.GetValues("RateLimit-Policy").Single().ShouldNotContain("\"tenant\"");
    }

    private async Task SetLimitsAsync(Guid tenantId, object limits)
    {
        using var root = await host.SuperadminAsync();
        var response = await root.PatchAsJsonAsync($"/api/v1/tenants/{tenantId}/rate-limits", limits);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Calls until the first 429 (failing after <paramref name="attempts"/>): how many were served first, and the refusal.</summary>
    private static async Task<(int Served, HttpResponseMessage Refused)> UntilRefusedAsync(HttpClient client, int attempts = 50)
    {
        for (var served = 0; served < attempts; served++)
        {
            var response = await client.GetAsync(Leads);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) return (served, response);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        throw new ShouldAssertException($"No 429 within {attempts} requests.");
    }

    private Task<List<string>> AuditChangesAsync(Guid tenantId) =>
        PlatformAudit.ReadAsync(host, "select changes::text from audit_log where action = 'tenant.rate-limits-changed' and entity_id = $1 order by occurred_at, id",
            tenantId.ToString());
}
