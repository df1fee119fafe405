using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Webhooks;

/// <summary>Who may manage webhooks, what a subscription accepts, and the SSRF rules at save time and at connect time.</summary>
public sealed class WebhookApiTests(WebhooksHost host) : IClassFixture<WebhooksHost>, IAsyncLifetime
{
    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task An_agent_may_not_manage_webhooks()
    {
        var (tenant, _) = await host.NewTenantAsync();
        using var agent = await host.LoginAsync($"agent@{tenant.Slug}.test", tenant.Slug);

        (await agent.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url(), events = new[] { "*" } })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await agent.GetAsync("/api/v1/webhooks")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Another_tenants_webhook_is_not_found_for_any_operation()
    {
        var (_, owner) = await host.NewTenantAsync("owner");
        var (_, stranger) = await host.NewTenantAsync("stranger");
        var hook = await owner.SubscribeAsync(receiver.Url());

        (await stranger.GetAsync($"/api/v1/webhooks/{hook.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.PatchAsJsonAsync($"/api/v1/webhooks/{hook.Id}", new { enabled = false })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.PostAsync($"/api/v1/webhooks/{hook.Id}/rotate-secret", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.GetAsync($"/api/v1/webhooks/{hook.Id}/deliveries")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.PostAsJsonAsync($"/api/v1/webhooks/{hook.Id}/replay", new { since = DateTimeOffset.UtcNow })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.DeleteAsync($"/api/v1/webhooks/{hook.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await owner.GetAsync($"/api/v1/webhooks/{hook.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_secret_is_shown_on_create_only_and_the_subscription_reads_back_without_it()
    {
        var (_, admin) = await host.NewTenantAsync();
        var hook = await admin.SubscribeAsync(receiver.Url(), new[] { "lead.created", "call.analyzed" });

        hook.Secret.ShouldStartWith("whsec_");
        var read = await admin.GetStringAsync($"/api/v1/webhooks/{hook.Id}");
        read.ShouldNotContain(hook.Secret["whsec_".Length..]);
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/v1/webhooks");
        list.GetProperty("items").EnumerateArray().Single().GetProperty("events").EnumerateArray().Select(e => e.GetString()).ShouldBe(["lead.created", "call.analyzed"]);
        (await admin.GetStringAsync($"/api/v1/webhooks")).ShouldNotContain(hook.Secret["whsec_".Length..]);
    }

    [Theory]
    [InlineData("""{"events":["*"]}""", "url")]
    [InlineData("""{"url":"https://example.com/hook"}""", "events")]
    [InlineData("""{"url":"https://example.com/hook","events":[]}""", "events")]
    [InlineData("""{"url":"https://example.com/hook","events":["lead.exploded"]}""", "events")]
    [InlineData("""{"url":"ftp://example.com/hook","events":["*"]}""", "url")]
    [InlineData("""{"url":"https://169.254.169.254/latest/meta-data","events":["*"]}""", "url")]
    [InlineData("""{"url":"https://[fe80::1]/hook","events":["*"]}""", "url")]
    [InlineData("""{"url":"https://example.com/hook","events":["*"],"colour":"red"}""", "colour")]
    public async Task An_invalid_subscription_is_refused_with_400_naming_the_field(string body, string field)
    {
        var (_, admin) = await host.NewTenantAsync();

        var response = await admin.PostAsync("/api/v1/webhooks", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_counts_as_a_failed_attempt()
    {
        var (_, admin) = await host.NewTenantAsync();
        receiver.Status = 302;
        receiver.RedirectTo = receiver.Url("/elsewhere");
        var hook = await admin.SubscribeAsync(receiver.Url("/moved"));

        await admin.CreateLeadAsync("Redirected");

        var failed = await Eventually.Until(() => admin.DeliveriesAsync(hook.Id, "?status=failed"), d => d.Length == 1, TimeSpan.FromSeconds(30), "the failed attempt");
        failed[0].GetProperty("responseStatus").GetInt32().ShouldBe(302);
        receiver.On("/elsewhere").ShouldBeEmpty();
    }

    [Fact]
    public async Task A_saved_url_that_reaches_a_forbidden_address_is_refused_at_connect_time()
    {
        var (tenant, admin) = await host.NewTenantAsync();
        var hook = await admin.SubscribeAsync(receiver.Url("/rebound"));
        // As if the name now resolved to the metadata service: the guard checks every connection after DNS, not only the save.
        await host.ExecuteAsync("update webhook_subscriptions set url = 'http://169.254.169.254/latest/meta-data' where tenant_id = @t and id = @s",
            ("t", tenant.Id), ("s", hook.Id));

        await admin.CreateLeadAsync("Metadata");

        var failed = await Eventually.Until(() => admin.DeliveriesAsync(hook.Id, "?status=failed"), d => d.Length == 1, TimeSpan.FromSeconds(30), "the refused attempt");
        failed[0].GetProperty("error").GetString()!.ShouldContain("169.254.169.254");
        failed[0].GetProperty("responseStatus").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task An_api_key_with_the_webhooks_scope_manages_webhooks_and_one_without_it_may_not()
    {
        var (tenant, _) = await host.NewTenantAsync();
        using var signedIn = await host.LoginAsync($"admin@{tenant.Slug}.test", tenant.Slug);
        async Task<HttpClient> KeyAsync(string scope)
        {
            var created = await signedIn.PostAsJsonAsync("/api/v1/api-keys", new { name = scope, scopes = new[] { scope } });
            created.EnsureSuccessStatusCode();
            var client = host.CreateClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());
            return client;
        }
        using var hooks = await KeyAsync("webhooks:write");
        using var leads = await KeyAsync("leads:write");

        (await hooks.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url(), events = new[] { "*" } })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await leads.GetAsync("/api/v1/webhooks")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}

/// <summary>URL rules with Security:AllowPrivateNetworkUrls off, as in production: https only, public addresses only.</summary>
public sealed class WebhookUrlRuleTests(WebhookUrlRuleTests.Host host) : IClassFixture<WebhookUrlRuleTests.Host>
{
    public sealed class Host : WebhooksHost
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Security:AllowPrivateNetworkUrls"] = "false" };
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://10.1.2.3/hook")]
    [InlineData("https://192.168.1.10/hook")]
    [InlineData("http://93.184.215.14/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    public async Task A_private_loopback_metadata_or_plain_http_url_is_refused(string url)
    {
        var (_, admin) = await host.NewTenantAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url, events = new[] { "*" } });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("url", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task A_public_https_address_is_accepted()
    {
        var (_, admin) = await host.NewTenantAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://93.184.215.14/hook", events = new[] { "*" } });

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
    }
}
