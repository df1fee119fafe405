using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Ldap;

/// <summary>Sign-in against Debian's slapd for a tenant with LDAP on (issue 12 §5 and §10, ADR 0048).</summary>
public sealed class LdapSignInTests(LdapHost host) : IClassFixture<LdapHost>
{
    private static string Uid(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";

    [Theory]
    [InlineData("ldaps")]
    [InlineData("starttls")]
    public async Task A_member_signs_in_with_the_directory_password_instead_of_the_local_one_over_ldaps_and_starttls(string security)
    {
        var tenant = await host.CreateTenantAsync("ldap-bind");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        await host.Directory.AddPersonAsync(Uid("agent"), tenant.Email("agent"), LdapHost.DirectoryPassword);
        await host.PutAsync(admin, host.Settings(security));

        var directory = await host.SignInAsync(tenant.Email("agent"), LdapHost.DirectoryPassword);
        var local = await host.SignInAsync(tenant.Email("agent"), SwitchboardHost.Password);

        directory.StatusCode.ShouldBe(HttpStatusCode.OK);
        local.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var signedIn = (await LdapHost.AuditAsync(admin, "user.signed-in")).First(e => e.GetProperty("entityId").GetString() == tenant.Users["agent"].ToString());
        signedIn.GetProperty("changes").GetProperty("method").GetString().ShouldBe("ldap");
    }

    [Fact]
    public async Task A_wrong_directory_password_is_audited_and_counts_towards_the_lockout()
    {
        var tenant = await host.CreateTenantAsync("ldap-wrong");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        await host.Directory.AddPersonAsync(Uid("agent"), tenant.Email("agent"), LdapHost.DirectoryPassword);
        await host.PutAsync(admin, host.Settings());

        for (var i = 0; i < 5; i++) (await host.SignInAsync(tenant.Email("agent"), "Not-the-password-1")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var afterLock = await host.SignInAsync(tenant.Email("agent"), LdapHost.DirectoryPassword);

        afterLock.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var failures = (await LdapHost.AuditAsync(admin, "user.sign-in-failed")).Select(e => e.GetProperty("changes")).ToList();
        failures.Count(f => f.GetProperty("reason").GetString() == "wrong-password" && f.GetProperty("method").GetString() == "ldap").ShouldBe(5);
        failures.ShouldContain(f => f.GetProperty("reason").GetString() == "locked-out");
        (await LdapHost.AuditAsync(admin, "user.locked-out")).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_member_with_no_directory_entry_or_whose_entry_was_removed_is_refused()
    {
        var tenant = await host.CreateTenantAsync("ldap-gone");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        var dn = await host.Directory.AddPersonAsync(Uid("agent"), tenant.Email("agent"), LdapHost.DirectoryPassword);
        await host.PutAsync(admin, host.Settings());
        (await host.SignInAsync(tenant.Email("agent"), LdapHost.DirectoryPassword)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await host.Directory.DeleteAsync(dn);
        var removed = await host.SignInAsync(tenant.Email("agent"), LdapHost.DirectoryPassword);
        var never = await host.SignInAsync(tenant.Email("manager"), SwitchboardHost.Password);

        removed.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        never.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var reasons = (await LdapHost.AuditAsync(admin, "user.sign-in-failed")).Select(e => e.GetProperty("changes").GetProperty("reason").GetString()).ToList();
        reasons.Count(r => r == "directory-account-missing").ShouldBe(2);
    }

    [Fact]
    public async Task An_unknown_directory_user_is_provisioned_with_the_default_role_when_the_sign_in_names_the_workspace()
    {
        var tenant = await host.CreateTenantAsync("ldap-jit");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        var email = $"newcomer@{tenant.Slug}.test";
        await host.Directory.AddPersonAsync(Uid("newcomer"), email, LdapHost.DirectoryPassword);
        await host.PutAsync(admin, host.Settings(jit: true));

        var withoutWorkspace = await host.SignInAsync(email, LdapHost.DirectoryPassword);
        var wrongPassword = await host.SignInAsync(email, "Not-the-password-1", tenant.Slug);
        var first = await host.SignInAsync(email, LdapHost.DirectoryPassword, tenant.Slug);

        withoutWorkspace.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        wrongPassword.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await host.RoleAfterSignInAsync(first)).ShouldBe("agent");
        var provisioned = (await LdapHost.AuditAsync(admin, "user.provisioned")).ShouldHaveSingleItem();
        provisioned.GetProperty("actorName").GetString().ShouldBe("ldap");
        provisioned.GetProperty("changes").GetProperty("email").GetString().ShouldBe(email);
        // Known now: the next sign-in needs no workspace.
        (await host.SignInAsync(email, LdapHost.DirectoryPassword)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Without_provisioning_an_unknown_directory_user_gets_no_account()
    {
        var tenant = await host.CreateTenantAsync("ldap-nojit");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        var email = $"stranger@{tenant.Slug}.test";
        await host.Directory.AddPersonAsync(Uid("stranger"), email, LdapHost.DirectoryPassword);
        await host.PutAsync(admin, host.Settings(jit: false));

        (await host.SignInAsync(email, LdapHost.DirectoryPassword, tenant.Slug)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        (await LdapHost.AuditAsync(admin, "user.provisioned")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("group-search", "starttls")]
    [InlineData("member-of", "ldaps")]
    public async Task Directory_groups_set_the_role_at_each_sign_in(string groupSource, string security)
    {
        var tenant = await host.CreateTenantAsync("ldap-groups");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        var managers = Uid("managers");
        var readers = Uid("readers");
        var dn = await host.Directory.AddPersonAsync(Uid("agent"), tenant.Email("agent"), LdapHost.DirectoryPassword, managers, readers);
        await host.PutAsync(admin, host.Settings(security, groupSource, [
            new { group = TestSlapd.GroupDn(managers).ToUpperInvariant(), role = "manager" },
            new { group = TestSlapd.GroupDn(readers), role = "readonly" },
        ]));

        var asManager = await host.RoleAfterSignInAsync(await host.SignInAsync(tenant.Email("agent"), LdapHost.DirectoryPassword));
        await host.Directory.RemoveFromGroupAsync(managers, dn);
        var asReader = await host.RoleAfterSignInAsync(await host.SignInAsync(tenant.Email("agent"), LdapHost.DirectoryPassword));
        await host.Directory.RemoveFromGroupAsync(readers, dn);
        var asDefault = await host.RoleAfterSignInAsync(await host.SignInAsync(tenant.Email("agent"), LdapHost.DirectoryPassword));

        asManager.ShouldBe("manager");
        asReader.ShouldBe("readonly");
        asDefault.ShouldBe("agent");
        var changes = (await LdapHost.AuditAsync(admin, "membership.role-from-directory")).Select(e => e.GetProperty("changes").GetProperty("role").GetRawText()).ToList();
        changes.ShouldBe([
            """{"new":"agent","old":"readonly"}""",
            """{"new":"readonly","old":"manager"}""",
            """{"new":"manager","old":"agent"}""",
        ]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("other-ca")]
    public async Task A_server_certificate_the_tenant_does_not_trust_is_refused(string? ca)
    {
        var tenant = await host.CreateTenantAsync("ldap-untrusted");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        await host.Directory.AddPersonAsync(Uid("agent"), tenant.Email("agent"), LdapHost.DirectoryPassword);
        await host.PutAsync(admin, host.Settings(caCertificate: ca is null ? null : host.Directory.OtherCaPem));

        var signIn = await host.SignInAsync(tenant.Email("agent"), LdapHost.DirectoryPassword);
        var test = await admin.PostAsync($"{LdapHost.Url}/test", null);

        signIn.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var result = await test.Content.ReadFromJsonAsync<JsonElement>();
        result.GetProperty("ok").GetBoolean().ShouldBeFalse();
        result.GetProperty("problem").GetString()!.ShouldContain("certificate is not trusted");
        var failure = (await LdapHost.AuditAsync(admin, "user.sign-in-failed")).ShouldHaveSingleItem().GetProperty("changes");
        failure.GetProperty("reason").GetString().ShouldBe("directory-unavailable");
    }

    [Fact]
    public async Task Test_connection_passes_with_the_tenants_ca_and_names_a_wrong_service_password()
    {
        var tenant = await host.CreateTenantAsync("ldap-test");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        await host.PutAsync(admin, host.Settings("starttls"));
        var passed = await (await admin.PostAsync($"{LdapHost.Url}/test", null)).Content.ReadFromJsonAsync<JsonElement>();

        (await admin.PutAsJsonAsync(LdapHost.Url, new
        {
            enabled = true, host = "127.0.0.1", port = host.Directory.LdapsPort, security = "ldaps", caCertificate = host.Directory.CaPem,
            searchBase = TestSlapd.People, searchFilter = "(mail={email})", bindDn = TestSlapd.ServiceDn, bindPassword = "Wrong-service-1",
        })).EnsureSuccessStatusCode();
        var failed = await (await admin.PostAsync($"{LdapHost.Url}/test", null)).Content.ReadFromJsonAsync<JsonElement>();

        passed.GetRawText().ShouldBe("""{"ok":true,"problem":null}""");
        failed.GetProperty("problem").GetString().ShouldBe("The directory refused the service account's DN or password.");
    }

    /// <summary>
    /// Each typed name, put into the filter unescaped, would match the directory person whose password is given (and
    /// provision an account for the typed address); escaped (RFC 4515), it matches no one.
    /// </summary>
    [Theory]
    [InlineData("(uid={username})", "{prefix}*")]
    [InlineData("(&(objectClass=inetOrgPerson)(uid={username}))", "*)(uid={prefix}*")]
    [InlineData("(&(objectClass=inetOrgPerson)(uid={username}))", "*)(uid=*")]
    public async Task A_filter_injection_in_the_typed_name_matches_no_one(string filter, string typed)
    {
        var tenant = await host.CreateTenantAsync("ldap-inject");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        var uid = Uid("victim");
        await host.Directory.AddPersonAsync(uid, $"victim@{tenant.Slug}.test", LdapHost.DirectoryPassword);
        await host.PutAsync(admin, host.Settings(filter: filter, jit: true));
        var email = typed.Replace("{prefix}", uid[..^2]) + $"@{tenant.Slug}.test";

        var response = await host.SignInAsync(email, LdapHost.DirectoryPassword, tenant.Slug);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await LdapHost.AuditAsync(admin, "user.provisioned")).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_break_glass_admin_keeps_the_local_password_and_other_admins_do_not()
    {
        var tenant = await host.CreateTenantAsync("ldap-glass");
        using var root = await host.SuperadminAsync(tenant.Slug);
        (await root.PostAsJsonAsync("/api/v1/users", new { email = $"admin2@{tenant.Slug}.test", firstName = "Second", lastName = "Admin", role = "admin", password = SwitchboardHost.Password, tenantId = tenant.Id })).EnsureSuccessStatusCode();
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        await host.PutAsync(admin, host.Settings(breakGlass: tenant.Users["admin"]));

        (await host.SignInAsync(tenant.Email("admin"), SwitchboardHost.Password)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.SignInAsync($"admin2@{tenant.Slug}.test", SwitchboardHost.Password)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Another_tenants_members_keep_their_local_passwords()
    {
        var withLdap = await host.CreateTenantAsync("ldap-on");
        var without = await host.CreateTenantAsync("ldap-off");
        using var admin = await host.LoginAsync(withLdap.Email("admin"));
        using var otherAdmin = await host.LoginAsync(without.Email("admin"));
        await host.PutAsync(admin, host.Settings());

        (await host.SignInAsync(without.Email("agent"), SwitchboardHost.Password)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.SignInAsync(withLdap.Email("agent"), SwitchboardHost.Password)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await otherAdmin.GetAsync(LdapHost.Url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await otherAdmin.DeleteAsync(LdapHost.Url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.GetAsync(LdapHost.Url)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_directory_sign_in_with_a_second_factor_opens_a_directory_session()
    {
        var tenant = await host.CreateTenantAsync("ldap-mfa");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        await host.Directory.AddPersonAsync(Uid("agent"), tenant.Email("agent"), LdapHost.DirectoryPassword);
        await host.PutAsync(admin, host.Settings());
        var first = await (await host.SignInAsync(tenant.Email("agent"), LdapHost.DirectoryPassword)).Content.ReadFromJsonAsync<SwitchboardHost.Tokens>();
        using var agent = host.CreateClient(first!.AccessToken);
        var secret = (await (await agent.PostAsync("/api/v1/auth/2fa/totp", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        (await agent.PostAsJsonAsync("/api/v1/auth/2fa/totp/confirm", new { code = TwoFactor.TwoFactorSupport.Code(secret) })).EnsureSuccessStatusCode();

        var challenge = await (await host.SignInAsync(tenant.Email("agent"), LdapHost.DirectoryPassword)).Content.ReadFromJsonAsync<JsonElement>();
        var second = await TwoFactor.TwoFactorSupport.SecondStepAsync(host, challenge.GetProperty("mfaToken").GetString()!, TwoFactor.TwoFactorSupport.Code(secret, 1));

        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        var signedIn = (await LdapHost.AuditAsync(admin, "user.signed-in")).First(e => e.GetProperty("entityId").GetString() == tenant.Users["agent"].ToString());
        signedIn.GetProperty("changes").GetProperty("method").GetString().ShouldBe("ldap", "the second factor keeps the first step's method");
    }
}
