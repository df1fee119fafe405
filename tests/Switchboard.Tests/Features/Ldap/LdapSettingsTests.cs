using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Ldap;

/// <summary>GET/PUT/DELETE /api/v1/tenants/current/ldap and the LDAP settings page (issue 12 §5, ADR 0048).</summary>
public sealed class LdapSettingsTests(LdapHost host) : IClassFixture<LdapHost>
{
    private const string Url = LdapHost.Url;

    [Fact]
    public async Task The_service_password_is_stored_encrypted_and_never_shown_in_answers_or_the_audit_log()
    {
        var tenant = await host.CreateTenantAsync("ldap-secret");
        using var admin = await host.LoginAsync(tenant.Email("admin"));

        var put = await admin.PutAsJsonAsync(Url, host.Settings());
        var kept = await admin.PutAsJsonAsync(Url, new
        {
            enabled = false, host = "127.0.0.1", port = host.Directory.LdapsPort, security = "ldaps", caCertificate = host.Directory.CaPem,
            searchBase = TestSlapd.People, searchFilter = "(mail={email})", bindDn = TestSlapd.ServiceDn,
        });
        var read = await admin.GetStringAsync(Url);
        var test = await (await admin.PostAsync($"{Url}/test", null)).Content.ReadFromJsonAsync<JsonElement>();
        var audit = await admin.GetStringAsync("/api/v1/audit?action=tenant.ldap-changed&pageSize=200");

        put.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await put.Content.ReadAsStringAsync()).ShouldNotContain(TestSlapd.ServicePassword);
        kept.StatusCode.ShouldBe(HttpStatusCode.OK);
        read.ShouldNotContain(TestSlapd.ServicePassword);
        JsonDocument.Parse(read).RootElement.GetProperty("bindPasswordSet").GetBoolean().ShouldBeTrue();
        test.GetProperty("ok").GetBoolean().ShouldBeTrue(); // the kept password still binds
        audit.ShouldNotContain(TestSlapd.ServicePassword);
        audit.ShouldContain("\"bindPassword\":\"changed\"");
        await using var owner = new NpgsqlConnection(host.Database.OwnerConnectionString);
        await owner.OpenAsync();
        await using (var tenantSetting = new NpgsqlCommand($"select set_config('app.tenant_id', '{tenant.Id}', false)", owner)) await tenantSetting.ExecuteNonQueryAsync();
        await using var row = new NpgsqlCommand("select row_to_json(s)::text from tenant_ldap_settings s", owner);
        var stored = (string)(await row.ExecuteScalarAsync())!;
        stored.ShouldNotContain(TestSlapd.ServicePassword);
        stored.ShouldContain("bind_password_protected");
    }

    [Fact]
    public async Task An_admin_reads_changes_and_removes_the_settings_with_audited_changes()
    {
        var tenant = await host.CreateTenantAsync("ldap-crud");
        using var admin = await host.LoginAsync(tenant.Email("admin"));

        var before = await admin.GetAsync(Url);
        await host.PutAsync(admin, host.Settings("starttls", "group-search", [new { group = TestSlapd.GroupDn("sales"), role = "manager" }], jit: true));
        var saved = await admin.GetFromJsonAsync<JsonElement>(Url);
        var removed = await admin.DeleteAsync(Url);
        var after = await admin.GetAsync(Url);

        before.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        saved.GetProperty("security").GetString().ShouldBe("starttls");
        saved.GetProperty("port").GetInt32().ShouldBe(host.Directory.LdapPort);
        saved.GetProperty("groupRoles")[0].GetRawText().ShouldBe($$"""{"group":"{{TestSlapd.GroupDn("sales")}}","role":"manager"}""");
        saved.GetProperty("jitProvisioning").GetBoolean().ShouldBeTrue();
        removed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        after.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await LdapHost.AuditAsync(admin, "tenant.ldap-changed")).ShouldHaveSingleItem().GetProperty("changes").GetProperty("security").GetProperty("new").GetString().ShouldBe("starttls");
        (await LdapHost.AuditAsync(admin, "tenant.ldap-removed")).ShouldHaveSingleItem();
    }

    [Theory]
    [InlineData("""{"host":"127.0.0.1","security":"none","searchBase":"dc=x","searchFilter":"(mail={email})"}""", "security")]
    [InlineData("""{"security":"ldaps","searchBase":"dc=x","searchFilter":"(mail={email})"}""", "host")]
    [InlineData("""{"host":"ldap://127.0.0.1:389","searchBase":"dc=x","searchFilter":"(mail={email})"}""", "host")]
    [InlineData("""{"host":"169.254.169.254","searchBase":"dc=x","searchFilter":"(mail={email})"}""", "host")]
    [InlineData("""{"host":"127.0.0.1","port":70000,"searchBase":"dc=x","searchFilter":"(mail={email})"}""", "port")]
    [InlineData("""{"host":"127.0.0.1","userDnTemplate":"uid={username},dc=x","searchBase":"dc=x","searchFilter":"(mail={email})"}""", "userDnTemplate")]
    [InlineData("""{"host":"127.0.0.1","userDnTemplate":"uid=someone,dc=x"}""", "userDnTemplate")]
    [InlineData("""{"host":"127.0.0.1","searchBase":"dc=x","searchFilter":"mail=*"}""", "searchFilter")]
    [InlineData("""{"host":"127.0.0.1","searchBase":"dc=x","searchFilter":"(mail={email})","caCertificate":"not a certificate"}""", "caCertificate")]
    [InlineData("""{"host":"127.0.0.1","searchBase":"dc=x","searchFilter":"(mail={email})","groupSource":"group-search"}""", "groupSearchBase")]
    [InlineData("""{"host":"127.0.0.1","searchBase":"dc=x","searchFilter":"(mail={email})","groupSource":"member-of","groupRoles":[{"group":"cn=a","role":"owner"}]}""", "groupRoles[0].role")]
    [InlineData("""{"host":"127.0.0.1","searchBase":"dc=x","searchFilter":"(mail={email})","defaultRole":"superadmin"}""", "defaultRole")]
    [InlineData("""{"host":"127.0.0.1","searchBase":"dc=x","searchFilter":"(mail={email})","breakGlassUserId":"0196b6c2-0000-7000-8000-000000000000"}""", "breakGlassUserId")]
    [InlineData("""{"host":"127.0.0.1","searchBase":"dc=x","searchFilter":"(mail={email})","ldapUrl":"x"}""", "ldapUrl")]
    public async Task Invalid_settings_are_400_naming_the_field_and_save_nothing(string body, string field)
    {
        var tenant = await host.CreateTenantAsync("ldap-bad");
        using var admin = await host.LoginAsync(tenant.Email("admin"));

        var response = await admin.PutAsync(Url, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
        (await admin.GetAsync(Url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("agent")]
    [InlineData("readonly")]
    public async Task Only_administrators_see_change_test_or_remove_the_settings(string role)
    {
        var tenant = await host.CreateTenantAsync("ldap-role");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        using var client = await host.LoginAsync(tenant.Email(role));
        await host.PutAsync(admin, host.Settings());

        (await client.GetAsync(Url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.PutAsJsonAsync(Url, host.Settings())).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.PostAsync($"{Url}/test", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.DeleteAsync(Url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.GetAsync(Url)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_page_saves_the_settings_as_the_api_does_tests_the_connection_and_names_mistakes()
    {
        var tenant = await host.CreateTenantAsync("ldap-page");
        using var page = await PageClient.SignInAsync(host, tenant.Email("admin"));
        using var agentPage = await PageClient.SignInAsync(host, tenant.Email("agent"));

        var empty = await page.GetStringAsync("/settings/ldap");
        var bad = await page.PostFormAsync("/settings/ldap", Fields("", "manager cn=x"), "/settings/ldap");
        var saved = await page.PostFormAsync("/settings/ldap", Fields("127.0.0.1", $"manager: {TestSlapd.GroupDn("sales")}"), "/settings/ldap");
        var shown = await page.GetStringAsync("/settings/ldap");
        var tested = await page.PostFormAsync("/settings/ldap?handler=Test", new Dictionary<string, string>(), "/settings/ldap");
        var forbidden = await agentPage.GetAsync("/settings/ldap");

        empty.ShouldContain("href=\"/settings/ldap\"");
        (await bad.Content.ReadAsStringAsync()).ShouldContain("Write each mapping as");
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        shown.ShouldContain("value=\"127.0.0.1\"");
        shown.ShouldContain("(set)");
        shown.ShouldNotContain(TestSlapd.ServicePassword);
        (await tested.Content.ReadAsStringAsync()).ShouldContain("Connection test passed");
        new Uri(host.BaseAddress, forbidden.Headers.Location!).AbsolutePath.ShouldBe("/forbidden");
    }

    private Dictionary<string, string> Fields(string hostName, string groupRoles) => new()
    {
        ["Form.Enabled"] = "true", ["Form.Host"] = hostName, ["Form.Port"] = host.Directory.LdapsPort.ToString(), ["Form.Security"] = "ldaps",
        ["Form.CaCertificate"] = host.Directory.CaPem, ["Form.SearchBase"] = TestSlapd.People, ["Form.SearchFilter"] = "(mail={email})",
        ["Form.BindDn"] = TestSlapd.ServiceDn, ["Form.BindPassword"] = TestSlapd.ServicePassword, ["Form.GroupSource"] = "member-of",
        ["Form.GroupRoles"] = groupRoles, ["Form.DefaultRole"] = "agent",
    };
}
