using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Features.Security;
using Switchboard.Platform.Cli;
using Switchboard.Testing;
using Switchboard.Tests.Features.ApiKeys;
using Switchboard.Tests.Features.Audit;

namespace Switchboard.Tests.Features.Security;

/// <summary>The security report (issue 12 §9): GET /api/v1/tenants/current/security/report, its page and <c>switchboard security-report</c>.</summary>
public sealed class SecurityReportTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>
{
    private const string Url = "/api/v1/tenants/current/security/report";
    private readonly AuditSql _sql = new(host.Database);

    [Fact]
    public async Task The_report_names_dormant_members_locked_accounts_keys_without_expiry_or_unused_and_failed_sign_ins()
    {
        var tenant = await host.CreateTenantAsync("report");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        using var manager = await host.LoginAsync(tenant.Email("manager"));
        var forever = await ApiKeyClients.CreateAsync(admin, new { name = "Forever sync", role = "readonly" });
        var expiring = await ApiKeyClients.CreateAsync(admin, new { name = "Quarterly export", role = "readonly", expiresAt = DateTimeOffset.UtcNow.AddDays(30) });
        // The manager joined 200 days ago and was last active 100 days ago; readonly joined long ago and never signed in;
        // the expiring key was made 120 days ago and never used; agent2 is locked for an hour.
        await _sql.AsSuperuserAsync("update tenant_memberships set created_at = now() - interval '200 days' where tenant_id = $1 and user_id = any($2)",
            tenant.Id, new[] { tenant.Users["manager"], tenant.Users["readonly"] });
        await _sql.AsSuperuserAsync("update user_sessions set last_seen_at = now() - interval '100 days', created_at = now() - interval '100 days' where user_id = $1", tenant.Users["manager"]);
        await _sql.AsSuperuserAsync("update api_keys set created_at = now() - interval '120 days' where id = $1", expiring.Id);
        await _sql.AsSuperuserAsync("update users set lockout_end = now() + interval '1 hour' where id = $1", tenant.Users["agent2"]);
        // Only the admin and agent have a confirmed authenticator app; agent2's enrolment is still pending.
        await _sql.AsSuperuserAsync("""
            insert into user_second_factors (id, user_id, method, secret_protected, created_at, confirmed_at)
            select gen_random_uuid(), u, 'totp', 'protected', now(), case when u = $3 then null else now() end from unnest(array[$1, $2, $3]) u
            """, tenant.Users["admin"], tenant.Users["agent"], tenant.Users["agent2"]);
        using var anonymous = host.CreateClient();
        for (var i = 0; i < 2; i++)
            (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = tenant.Email("agent"), password = "Not-the-password-9", tenant = tenant.Slug }))
                .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var report = await admin.GetFromJsonAsync<JsonElement>(Url);

        report.GetProperty("members").GetInt32().ShouldBe(5);
        report.GetProperty("mfa").GetString().ShouldBe("off");
        report.GetProperty("ipAllowlist").GetArrayLength().ShouldBe(0);
        Emails(report, "withoutSecondFactor").ShouldBe([tenant.Email("agent2"), tenant.Email("manager"), tenant.Email("readonly")]);
        Emails(report, "admins").ShouldBe([tenant.Email("admin")]);
        Emails(report, "dormantMembers").ShouldBe([tenant.Email("manager"), tenant.Email("readonly")]);
        report.GetProperty("dormantMembers")[1].GetProperty("lastActiveAt").ValueKind.ShouldBe(JsonValueKind.Null);
        Emails(report, "lockedMembers").ShouldBe([tenant.Email("agent2")]);
        Names(report, "keysWithoutExpiry").ShouldBe(["Forever sync"]);
        Names(report, "unusedKeys").ShouldBe(["Quarterly export"]);
        var failed = report.GetProperty("failedSignIns");
        failed.GetProperty("total").GetInt32().ShouldBe(2);
        failed.GetProperty("byReason").GetRawText().ShouldBe("""[{"value":"wrong-password","count":2}]""");
        failed.GetProperty("topAddresses")[0].GetProperty("count").GetInt32().ShouldBe(2);
        report.GetProperty("findings").GetInt32().ShouldBe(3 + 2 + 1 + 1 + 1 + 1);
        forever.Key.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_revoked_or_expired_key_and_another_tenants_members_are_not_in_the_report()
    {
        var tenant = await host.CreateTenantAsync("report-scope");
        var other = await host.CreateTenantAsync("report-other");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        using var otherAdmin = await host.LoginAsync(other.Email("admin"));
        var revoked = await ApiKeyClients.CreateAsync(admin, new { name = "Revoked", role = "readonly" });
        (await admin.DeleteAsync($"/api/v1/api-keys/{revoked.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var expired = await ApiKeyClients.CreateAsync(admin, new { name = "Expired", role = "readonly", expiresAt = DateTimeOffset.UtcNow.AddDays(1) });
        await _sql.AsSuperuserAsync("update api_keys set expires_at = now() - interval '1 day', created_at = now() - interval '200 days' where id = $1", expired.Id);
        await ApiKeyClients.CreateAsync(otherAdmin, new { name = "Theirs", role = "readonly" });
        await _sql.AsSuperuserAsync("update users set lockout_end = now() + interval '1 hour' where id = $1", other.Users["agent"]);

        var report = await admin.GetFromJsonAsync<JsonElement>(Url);

        Names(report, "keysWithoutExpiry").ShouldBeEmpty();
        Names(report, "unusedKeys").ShouldBeEmpty();
        Emails(report, "lockedMembers").ShouldBeEmpty();
        report.GetProperty("members").GetInt32().ShouldBe(5);
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("agent")]
    [InlineData("readonly")]
    public async Task Only_administrators_see_the_report(string role)
    {
        var tenant = await host.CreateTenantAsync("report-role");
        using var member = await host.LoginAsync(tenant.Email(role));

        (await member.GetAsync(Url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var page = await PageClient.SignInAsync(host, tenant.Email(role));
        var response = await page.GetAsync("/settings/security/report");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        new Uri(host.BaseAddress, response.Headers.Location!).AbsolutePath.ShouldBe("/forbidden");
    }

    [Fact]
    public async Task The_page_shows_the_counts_and_escapes_what_members_typed()
    {
        var tenant = await host.CreateTenantAsync("report-page");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        await ApiKeyClients.CreateAsync(admin, new { name = "<b>Sync</b>", role = "readonly" });
        using var browser = await PageClient.SignInAsync(host, tenant.Email("admin"));

        var page = await browser.GetStringAsync("/settings/security/report");

        page.ShouldContain("Keys without expiry</dt><dd>1</dd>");
        page.ShouldContain("&lt;b&gt;Sync&lt;/b&gt;");
        page.ShouldNotContain("<b>Sync</b>");
    }

    [Fact]
    public async Task The_command_prints_one_tenants_report_as_text_or_json_and_refuses_an_unknown_slug()
    {
        var tenant = await host.CreateTenantAsync("report-cli");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        await ApiKeyClients.CreateAsync(admin, new { name = "Nightly", role = "readonly" });
        var command = ActivatorUtilities.CreateInstance<SecurityReportCommand>(host.Services);

        var text = new StringWriter();
        var json = new StringWriter();
        (await command.RunAsync(["--tenant", tenant.Slug], text, CancellationToken.None)).ShouldBe(0);
        (await command.RunAsync(["--tenant", tenant.Slug, "--json"], json, CancellationToken.None)).ShouldBe(0);
        var unknown = await Should.ThrowAsync<CliException>(() => command.RunAsync(["--tenant", "no-such-tenant"], TextWriter.Null, CancellationToken.None));

        text.ToString().ShouldContain($"tenant {tenant.Slug} (Tenant {tenant.Slug}): 5 active member(s), 1 admin(s)");
        text.ToString().ShouldContain("  API keys without expiry: \"Nightly\" (sb_live_");
        text.ToString().ShouldContain("  without two-factor sign-in (required of: off): admin User <admin@");
        text.ToString().ShouldContain("  IP allowlist: off (any address)");
        text.ToString().ShouldContain("platform IP blocks: ");
        text.ToString().ShouldContain("1 tenant(s), 6 finding(s) to look at.");
        var parsed = JsonDocument.Parse(json.ToString()).RootElement.GetProperty("tenants").EnumerateArray().Single();
        parsed.GetProperty("tenant").GetString().ShouldBe(tenant.Slug);
        Names(parsed.GetProperty("report"), "keysWithoutExpiry").ShouldBe(["Nightly"]);
        unknown.Message.ShouldBe("No tenant has the slug 'no-such-tenant'.");
    }

    [Fact]
    public async Task The_command_line_lists_the_command_in_its_usage()
    {
        var errors = new StringWriter();

        (await SwitchboardCli.RunAsync(["no-such-command"], errors)).ShouldBe(2);

        errors.ToString().ShouldContain("security-report [--tenant SLUG] [--json]");
        errors.ToString().ShouldContain("Options: --urls");
    }

    private static List<string> Emails(JsonElement report, string list) =>
        [.. report.GetProperty(list).EnumerateArray().Select(m => m.GetProperty("email").GetString()!)];

    private static List<string> Names(JsonElement report, string list) =>
        [.. report.GetProperty(list).EnumerateArray().Select(k => k.GetProperty("name").GetString()!)];
}
