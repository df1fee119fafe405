using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Security;

/// <summary>GET/PATCH /api/v1/tenants/current/security and the Security settings page (issue 12 §3, ADR 0042).</summary>
public sealed class SecuritySettingsTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private const string Url = "/api/v1/tenants/current/security";

    [Fact]
    public async Task A_new_tenant_has_the_nist_defaults_and_an_admin_changes_them_with_an_audited_merge_patch()
    {
        var tenant = await host.CreateTenantAsync("sec");
        using var admin = await host.LoginAsync(tenant.Email("admin"));

        var defaults = await admin.GetFromJsonAsync<JsonElement>(Url);
        var patched = await admin.PatchAsJsonAsync(Url, new { passwordMinLength = 16, sessionIdleMinutes = 30 });
        var cleared = await admin.PatchAsJsonAsync(Url, new { sessionIdleMinutes = (int?)null });
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=tenant.security-changed");

        defaults.GetRawText().ShouldBe("""{"passwordMinLength":12,"passwordHistory":5,"passwordMaxAgeDays":null,"sessionIdleMinutes":null,"sessionMaxHours":null,"mfa":"off","mfaGraceDays":7,"ipAllowlist":[]}""");
        patched.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await patched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionIdleMinutes").GetInt32().ShouldBe(30);
        (await cleared.Content.ReadFromJsonAsync<JsonElement>()).GetRawText()
            .ShouldBe("""{"passwordMinLength":16,"passwordHistory":5,"passwordMaxAgeDays":null,"sessionIdleMinutes":null,"sessionMaxHours":null,"mfa":"off","mfaGraceDays":7,"ipAllowlist":[]}""");
        var changes = audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("changes").GetRawText()).ToList();
        changes.ShouldBe([
            """{"sessionIdleMinutes":{"new":null,"old":30}}""",
            """{"passwordMinLength":{"new":16,"old":12},"sessionIdleMinutes":{"new":30,"old":null}}""",
        ]);
    }

    [Theory]
    [InlineData("""{"passwordMinLength":8}""", "passwordMinLength", "Minimum password length must be 12 to 64 characters.")]
    [InlineData("""{"passwordMinLength":null}""", "passwordMinLength", "Minimum password length must be 12 to 64 characters.")]
    [InlineData("""{"passwordHistory":25}""", "passwordHistory", "Password history must be 0 to 24 passwords.")]
    [InlineData("""{"passwordMaxAgeDays":7}""", "passwordMaxAgeDays", "Maximum password age must be 30 to 730 days, or empty for none.")]
    [InlineData("""{"sessionIdleMinutes":1}""", "sessionIdleMinutes", "Idle timeout must be 5 to 10,080 minutes, or empty for none.")]
    [InlineData("""{"sessionMaxHours":721}""", "sessionMaxHours", "Session lifetime must be 1 to 720 hours, or empty for 30 days.")]
    [InlineData("""{"sessionMaxHours":"soon"}""", "sessionMaxHours", null)]
    [InlineData("""{"mfa":"sometimes"}""", "mfa", null)]
    [InlineData("""{"mfaGraceDays":-1}""", "mfaGraceDays", "The grace period must be 0 to 90 days.")]
    public async Task Out_of_range_wrong_types_and_unknown_members_are_400_naming_the_field_and_change_nothing(string body, string field, string? message)
    {
        var tenant = await host.CreateTenantAsync("sec-bad");
        using var admin = await host.LoginAsync(tenant.Email("admin"));

        var response = await admin.PatchAsync(Url, new StringContent(body, System.Text.Encoding.UTF8, "application/merge-patch+json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        var first = errors.GetProperty(field)[0].GetString();
        if (message is not null) first.ShouldBe(message);
        (await admin.GetFromJsonAsync<JsonElement>(Url)).GetProperty("passwordMinLength").GetInt32().ShouldBe(12);
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("agent")]
    [InlineData("readonly")]
    public async Task Only_administrators_see_or_change_the_policy(string role)
    {
        var client = await host.As(role);

        (await client.GetAsync(Url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.PatchAsJsonAsync(Url, new { passwordMinLength = 20 })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var page = await PageClient.SignInAsync(host, host.Tenant.Email(role));
        var response = await page.GetAsync("/settings/security");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        new Uri(host.BaseAddress, response.Headers.Location!).AbsolutePath.ShouldBe("/forbidden");
    }

    [Fact]
    public async Task The_page_shows_the_policy_saves_it_and_names_a_mistake_as_the_api_does()
    {
        var tenant = await host.CreateTenantAsync("sec-page");
        using var page = await PageClient.SignInAsync(host, tenant.Email("admin"));

        var form = await page.GetStringAsync("/settings/security");
        var bad = await page.PostFormAsync("/settings/security", Fields("11", "5", "", "", ""), "/settings/security");
        var saved = await page.PostFormAsync("/settings/security", Fields("14", "3", "90", "60", "12", "admins", "10"), "/settings/security");

        form.ShouldContain("name=\"Form.PasswordMinLength\" type=\"number\" value=\"12\"");
        form.ShouldContain("href=\"/settings/security\"");
        form.ShouldContain("<option value=\"off\" selected=\"selected\">");
        (await bad.Content.ReadAsStringAsync()).ShouldContain("Minimum password length must be 12 to 64 characters.");
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        (await admin.GetFromJsonAsync<JsonElement>(Url)).GetRawText()
            .ShouldBe("""{"passwordMinLength":14,"passwordHistory":3,"passwordMaxAgeDays":90,"sessionIdleMinutes":60,"sessionMaxHours":12,"mfa":"admins","mfaGraceDays":10,"ipAllowlist":[]}""");
    }

    private static Dictionary<string, string> Fields(string minLength, string history, string maxAge, string idle, string lifetime, string mfa = "off", string grace = "7") => new()
    {
        ["Form.PasswordMinLength"] = minLength, ["Form.PasswordHistory"] = history, ["Form.PasswordMaxAgeDays"] = maxAge,
        ["Form.SessionIdleMinutes"] = idle, ["Form.SessionMaxHours"] = lifetime, ["Form.Mfa"] = mfa, ["Form.MfaGraceDays"] = grace,
    };
}
