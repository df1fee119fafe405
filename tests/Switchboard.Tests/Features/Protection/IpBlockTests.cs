using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Protection;

/// <summary>
/// The platform IP blocklist and the automatic blocks of abusive clients (issue 12 §8, ADR 0046), on a
/// <see cref="FakeTimeProvider"/> so blocks expire when a test moves the clock. A client address is given through
/// X-Forwarded-For from loopback, the proxy the app trusts by default; each test uses addresses of its own.
/// </summary>
public sealed class IpBlockTests(IpBlockTests.Host host) : IClassFixture<IpBlockTests.Host>
{
    public sealed class Host : SwitchboardHostWithTenant
    {
        public const int Strikes = 3;
        public const int BlockMinutes = 30;

        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Security:AutoBlockStrikes"] = Strikes.ToString(CultureInfo.InvariantCulture),
            ["Security:AutoBlockWindowMinutes"] = "10",
            ["Security:AutoBlockMinutes"] = BlockMinutes.ToString(CultureInfo.InvariantCulture),
        };

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }

    private const string Blocks = "/api/v1/ip-blocks";

    [Fact]
    public async Task A_blocked_network_gets_403_on_the_api_and_an_html_page_in_a_browser_until_the_block_is_lifted()
    {
        using var root = await host.SuperadminAsync();
        var created = await root.PostAsJsonAsync(Blocks, new { network = "198.51.100.0/24", reason = "Credential stuffing from this range" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var api = await Anonymous("198.51.100.23").GetAsync("/api/v1/leads");
        using var browser = Anonymous("198.51.100.24");
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var page = await browser.GetAsync("/signin");
        var neighbour = await Anonymous("198.51.101.1").GetAsync("/signin");
        var lifted = await root.DeleteAsync($"{Blocks}/{id}");
        var after = await Anonymous("198.51.100.23").GetAsync("/signin");

        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        api.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        api.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldContain("Requests from 198.51.100.23 are blocked");
        page.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await page.Content.ReadAsStringAsync()).ShouldContain("<h1>Your address is blocked</h1>");
        neighbour.StatusCode.ShouldBe(HttpStatusCode.OK);
        lifted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        after.StatusCode.ShouldBe(HttpStatusCode.OK);
        var listed = (await root.GetFromJsonAsync<JsonElement>(Blocks)).EnumerateArray().Single(b => b.GetProperty("id").GetGuid() == id);
        listed.GetProperty("status").GetString().ShouldBe("lifted");
        listed.GetProperty("source").GetString().ShouldBe("manual");
        listed.GetProperty("createdBy").GetString().ShouldBe(SwitchboardHost.SuperadminEmail);
        (await AuditAsync(id)).ShouldBe(["ip.blocked user", "ip.unblocked user"]);
    }

    [Fact]
    public async Task A_block_with_an_expiry_ends_by_itself_when_the_clock_passes_it()
    {
        using var root = await host.SuperadminAsync();
        var expiresAt = host.Clock.GetUtcNow().AddHours(2);
        (await root.PostAsJsonAsync(Blocks, new { network = "2001:db8:77::/48", reason = "Scanner", expiresAt })).StatusCode.ShouldBe(HttpStatusCode.Created);

        var during = await Anonymous("2001:db8:77::1").GetAsync("/signin");
        host.Clock.Advance(TimeSpan.FromHours(2));
        var after = await Anonymous("2001:db8:77::1").GetAsync("/signin");

        during.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        after.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_client_that_fails_to_sign_in_more_than_the_limit_is_blocked_automatically_audited_listed_and_let_in_after_the_block_ends()
    {
        const string Abuser = "192.0.2.66";
        using var client = Anonymous(Abuser);
        var failures = new List<HttpStatusCode>();
        for (var i = 0; i <= Host.Strikes; i++)
            failures.Add((await client.PostAsJsonAsync("/api/v1/auth/login", new { email = host.Tenant.Email("agent"), password = "wrong-password-" + i })).StatusCode);

        var blocked = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = host.Tenant.Email("agent"), password = SwitchboardHost.Password });
        var others = await Anonymous("192.0.2.67").PostAsJsonAsync("/api/v1/auth/login", new { email = host.Tenant.Email("agent"), password = SwitchboardHost.Password });
        using var root = await host.SuperadminAsync();
        var block = (await root.GetFromJsonAsync<JsonElement>(Blocks)).EnumerateArray().Single(b => b.GetProperty("network").GetString() == Abuser + "/32");
        host.Clock.Advance(TimeSpan.FromMinutes(Host.BlockMinutes));
        var afterwards = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = host.Tenant.Email("agent"), password = SwitchboardHost.Password });

        failures.ShouldAllBe(status => status == HttpStatusCode.Unauthorized);
        blocked.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        others.StatusCode.ShouldBe(HttpStatusCode.OK);
        block.GetProperty("source").GetString().ShouldBe("automatic");
        block.GetProperty("status").GetString().ShouldBe("active");
        block.GetProperty("reason").GetString().ShouldBe($"Automatic: more than {Host.Strikes} failed sign-ins within 10 minutes.");
        block.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(host.Clock.GetUtcNow());
        afterwards.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AuditAsync(block.GetProperty("id").GetGuid())).ShouldBe(["ip.blocked system"]);
    }

    [Fact]
    public async Task An_automatic_block_can_be_lifted_by_a_superadmin_before_it_ends()
    {
        const string Abuser = "192.0.2.88";
        using var client = Anonymous(Abuser);
        for (var i = 0; i <= Host.Strikes; i++)
            await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "nobody@example.test", password = "guess-" + i });
        using var root = await host.SuperadminAsync();
        var id = (await root.GetFromJsonAsync<JsonElement>(Blocks)).EnumerateArray()
            .Single(b => b.GetProperty("network").GetString() == Abuser + "/32").GetProperty("id").GetGuid();

        var blocked = await client.GetAsync("/signin");
        (await root.DeleteAsync($"{Blocks}/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var again = await root.DeleteAsync($"{Blocks}/{id}");
        var lifted = await client.GetAsync("/signin");

        blocked.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        lifted.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("""{"reason":"x"}""", "network", "Give an IP address or CIDR block to block.")]
    [InlineData("""{"network":"10.0.0.1/8","reason":"x"}""", "network", "'10.0.0.1/8' has address bits set past its prefix length; write the block's first address (like 203.0.113.0/24).")]
    [InlineData("""{"network":"203.0.113.9"}""", "reason", null)]
    [InlineData("""{"network":"203.0.113.9","reason":"x","expiresAt":"2001-01-01T00:00:00Z"}""", "expiresAt", "The expiry must be in the future.")]
    [InlineData("""{"network":"127.0.0.0/8","reason":"oops"}""", "network", "127.0.0.0/8 contains your own address (127.0.0.1): you would block yourself.")]
    public async Task A_block_that_is_not_one_or_would_block_the_superadmin_is_400_naming_the_field(string body, string field, string? message)
    {
        using var root = await host.SuperadminAsync();

        var response = await root.PostAsync(Blocks, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var first = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty(field)[0].GetString();
        if (message is not null) first.ShouldBe(message);
    }

    [Fact]
    public async Task Only_superadmins_see_add_or_lift_blocks()
    {
        var admin = await host.As("admin");

        (await admin.GetAsync(Blocks)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.PostAsJsonAsync(Blocks, new { network = "203.0.113.1", reason = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.DeleteAsync($"{Blocks}/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var page = await PageClient.SignInAsync(host, host.Tenant.Email("admin"));
        var response = await page.GetAsync("/platform/ip-blocks");
        new Uri(host.BaseAddress, response.Headers.Location!).AbsolutePath.ShouldBe("/forbidden");
    }

    [Fact]
    public async Task The_blocklist_page_adds_a_block_names_a_mistake_and_lifts_it()
    {
        using var page = await PageClient.SignInAsync(host, SwitchboardHost.SuperadminEmail);

        var bad = await page.PostFormAsync("/platform/ip-blocks?handler=Add", new() { ["Form.Network"] = "nope", ["Form.Reason"] = "x", ["Form.Hours"] = "24" }, "/platform/ip-blocks");
        var added = await page.PostFormAsync("/platform/ip-blocks?handler=Add", new() { ["Form.Network"] = "203.0.113.200", ["Form.Reason"] = "Spam <script>", ["Form.Hours"] = "" }, "/platform/ip-blocks");
        var list = await page.GetStringAsync("/platform/ip-blocks");

        (await bad.Content.ReadAsStringAsync()).ShouldContain("&#x27;nope&#x27; is not an IP address or CIDR block");
        added.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        list.ShouldContain("203.0.113.200/32");
        list.ShouldContain("Spam &lt;script&gt;");
        list.ShouldContain("When lifted");
        using var root = await host.SuperadminAsync();
        var id = (await root.GetFromJsonAsync<JsonElement>(Blocks)).EnumerateArray().First(b => b.GetProperty("network").GetString() == "203.0.113.200/32").GetProperty("id").GetString()!;
        var lift = await page.PostFormAsync("/platform/ip-blocks?handler=Lift", new() { ["id"] = id }, "/platform/ip-blocks");
        lift.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Anonymous("203.0.113.200").GetAsync("/signin")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private HttpClient Anonymous(string address)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    /// <summary>The block's audit rows as "action actor-type", oldest first.</summary>
    private Task<List<string>> AuditAsync(Guid blockId) =>
        PlatformAudit.ReadAsync(host, "select action || ' ' || actor_type from audit_log where entity_type = 'ip-block' and entity_id = $1 order by occurred_at, id",
            blockId.ToString());
}
