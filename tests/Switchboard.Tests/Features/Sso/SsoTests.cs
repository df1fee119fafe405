using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Switchboard.Testing;
using Switchboard.Tests.Features.Auth;

namespace Switchboard.Tests.Features.Sso;

/// <summary>Per-tenant OpenID Connect single sign-on (issue 12 §5, ADR 0047) against a real provider started by the test.</summary>
public sealed class SsoTests(SsoHost host) : IClassFixture<SsoHost>
{
    private const string Url = "/api/v1/tenants/current/sso";

    private async Task<(TestTenant Tenant, HttpClient Admin)> TenantWithSsoAsync(object? extra = null)
    {
        var tenant = await host.CreateTenantAsync("sso");
        var admin = await host.LoginAsync(tenant.Email("admin"));
        var body = new Dictionary<string, object?>
        {
            ["issuer"] = host.Provider.Issuer, ["clientId"] = TestOpenIdProvider.ClientId, ["clientSecret"] = TestOpenIdProvider.ClientSecret,
            ["allowedDomains"] = new[] { $"{tenant.Slug}.test" },
        };
        if (extra is not null)
            foreach (var p in JsonSerializer.SerializeToElement(extra, JsonSerializerOptions.Web).EnumerateObject()) body[p.Name] = p.Value;
        var saved = await admin.PutAsJsonAsync(Url, body);
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        return (tenant, admin);
    }

    private static async Task<JsonElement[]> AuditAsync(HttpClient admin, string action) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?action={action}&pageSize=200")).GetProperty("items").EnumerateArray().ToArray();

    [Fact]
    public async Task A_member_signs_in_through_the_provider_with_pkce_and_the_session_is_audited_as_sso()
    {
        var (tenant, admin) = await TenantWithSsoAsync();
        host.Provider.Add(new TestIdpUser(tenant.Email("agent"), "Agent", "User"));
        using var browser = new SsoBrowser(host);

        var done = await browser.SignInAsync(tenant.Email("agent"));

        done.StatusCode.ShouldBe(HttpStatusCode.Redirect, await done.Content.ReadAsStringAsync());
        done.Headers.Location!.OriginalString.ShouldBe("/");
        (await browser.IsSignedInAsync()).ShouldBeTrue();
        var request = host.Provider.AuthorizationRequests.Last();
        request["code_challenge_method"].ShouldBe("S256");
        request["response_type"].ShouldBe("code");
        request["state"].Length.ShouldBeGreaterThanOrEqualTo(43);
        request["nonce"].Length.ShouldBeGreaterThanOrEqualTo(43);
        var signedIn = (await AuditAsync(admin, "user.signed-in")).Where(e => e.GetProperty("entityId").GetString() == tenant.Users["agent"].ToString()).ToList();
        signedIn.ShouldContain(e => e.GetProperty("changes").GetProperty("method").GetString() == "sso");
    }

    [Fact]
    public async Task Just_in_time_provisioning_creates_the_account_with_the_default_role_and_a_mapped_group_wins()
    {
        var (tenant, admin) = await TenantWithSsoAsync(new
        {
            jitProvisioning = true, defaultRole = "readonly", groupClaim = "groups",
            groupRoles = new Dictionary<string, string> { ["crm-managers"] = "manager", ["crm-admins"] = "admin" },
        });
        host.Provider.Add(new TestIdpUser($"new@{tenant.Slug}.test", "Nora", "New"));
        host.Provider.Add(new TestIdpUser($"boss@{tenant.Slug}.test", "Bea", "Boss", Groups: ["crm-managers", "other"]));
        host.Provider.Add(new TestIdpUser(tenant.Email("readonly"), "Read", "Only", Groups: ["crm-admins"]));

        using (var first = new SsoBrowser(host)) (await first.SignInAsync($"new@{tenant.Slug}.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        using (var second = new SsoBrowser(host)) (await second.SignInAsync($"boss@{tenant.Slug}.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        using (var third = new SsoBrowser(host)) (await third.SignInAsync(tenant.Email("readonly"))).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var users = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/users?pageSize=200")).GetProperty("items").EnumerateArray()
            .ToDictionary(u => u.GetProperty("email").GetString()!, u => u.GetProperty("role").GetString());
        users[$"new@{tenant.Slug}.test"].ShouldBe("readonly");
        users[$"boss@{tenant.Slug}.test"].ShouldBe("manager");
        users[tenant.Email("readonly")].ShouldBe("admin");
        (await AuditAsync(admin, "user.sso-provisioned")).Length.ShouldBe(2);
        // A provisioned account has no password.
        (await AccountLoginAsync($"new@{tenant.Slug}.test")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Addresses_outside_the_allowed_domains_unverified_addresses_and_unknown_people_without_jit_are_refused()
    {
        var (tenant, admin) = await TenantWithSsoAsync(new { jitProvisioning = false });
        host.Provider.Add(new TestIdpUser($"someone@elsewhere-{tenant.Slug}.test", "Out", "Side"));
        host.Provider.Add(new TestIdpUser($"unverified@{tenant.Slug}.test", "Un", "Verified", EmailVerified: false));
        host.Provider.Add(new TestIdpUser($"stranger@{tenant.Slug}.test", "Str", "Anger"));

        var outside = await SignInBySlugAsync(tenant, $"someone@elsewhere-{tenant.Slug}.test");
        var unverified = await SignInBySlugAsync(tenant, $"unverified@{tenant.Slug}.test");
        var stranger = await SignInBySlugAsync(tenant, $"stranger@{tenant.Slug}.test");

        (await RefusalAsync(outside)).ShouldContain($"Addresses at elsewhere-{tenant.Slug}.test may not sign in");
        (await RefusalAsync(unverified)).ShouldContain("has not verified the address");
        (await RefusalAsync(stranger)).ShouldContain("Ask an administrator to invite you");
        var reasons = (await AuditAsync(admin, "user.sign-in-failed")).Select(e => e.GetProperty("changes").GetProperty("reason").GetString()).ToList();
        reasons.ShouldContain("domain-not-allowed");
        reasons.ShouldContain("email-not-verified");
        reasons.ShouldContain("no-account");
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/users?pageSize=200")).GetProperty("total").GetInt32().ShouldBe(5);
    }

    [Fact]
    public async Task An_existing_account_that_is_not_a_member_or_whose_membership_is_deactivated_is_refused_even_with_jit()
    {
        var (tenant, admin) = await TenantWithSsoAsync(new { jitProvisioning = true });
        var other = await host.CreateTenantAsync("sso-other");
        // An account of another tenant, whose address this tenant's provider claims.
        var outsider = other.Email("agent");
        (await admin.PutAsJsonAsync(Url, new { allowedDomains = new[] { $"{tenant.Slug}.test", $"{other.Slug}.test" } })).EnsureSuccessStatusCode();
        host.Provider.Add(new TestIdpUser(outsider, "Other", "Agent"));
        host.Provider.Add(new TestIdpUser(tenant.Email("agent2"), "Agent", "Two"));
        (await admin.PatchAsJsonAsync($"/api/v1/users/{tenant.Users["agent2"]}", new { isActive = false })).EnsureSuccessStatusCode();

        (await RefusalAsync(await SignInBySlugAsync(tenant, outsider))).ShouldContain($"is not a member of Tenant {tenant.Slug}");
        (await RefusalAsync(await SignInBySlugAsync(tenant, tenant.Email("agent2")))).ShouldContain("membership");
        var members = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/users?pageSize=200")).GetProperty("items").EnumerateArray()
            .Select(u => u.GetProperty("email").GetString()).ToList();
        members.ShouldNotContain(outsider);
    }

    [Fact]
    public async Task A_tampered_token_a_token_signed_with_other_keys_a_wrong_nonce_and_a_wrong_state_are_refused()
    {
        var (tenant, admin) = await TenantWithSsoAsync();
        host.Provider.Add(new TestIdpUser(tenant.Email("manager"), "Man", "Ager"));
        var email = tenant.Email("manager");
        using var otherKey = RSA.Create(2048);

        var results = new List<(string Case, HttpResponseMessage Response, bool SignedIn)>();
        async Task Attempt(string name, Func<SsoBrowser, Task<HttpResponseMessage>> flow)
        {
            using var browser = new SsoBrowser(host);
            var response = await flow(browser);
            results.Add((name, response, await browser.IsSignedInAsync()));
        }
        try
        {
            host.Provider.RewriteIdToken = Tamper;
            await Attempt("tampered", b => b.SignInAsync(email));
            host.Provider.RewriteIdToken = token => Resign(token, otherKey);
            await Attempt("other keys", b => b.SignInAsync(email));
        }
        finally
        {
            host.Provider.RewriteIdToken = null;
        }
        await Attempt("wrong nonce", b => b.SignInAsync(email, toProvider: u => SsoBrowser.WithQuery(u, "nonce", "an-attackers-nonce-0123456789012345678901234567")));
        await Attempt("wrong state", b => b.SignInAsync(email, toApp: u => SsoBrowser.WithQuery(u, "state", "not-the-state-this-browser-started-with-0123456")));
        await Attempt("another browser", async b =>
        {
            var start = await b.StartAsync(email);
            var callback = await b.SignInAtProviderAsync(SsoBrowser.ProviderUrl(start), email);
            using var elsewhere = new SsoBrowser(host);
            return await elsewhere.Http.GetAsync(callback);
        });

        foreach (var (name, response, signedIn) in results)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, name);
            signedIn.ShouldBeFalse(name);
        }
        var failures = (await AuditAsync(admin, "user.sign-in-failed")).Select(e => e.GetProperty("changes").GetProperty("detail").ToString()).ToList();
        failures.Count(d => d == "invalid-id-token").ShouldBe(2);
        failures.ShouldContain("nonce-mismatch");
        // The same flow without interference signs in: the refusals above are the tampering's doing.
        using var honest = new SsoBrowser(host);
        (await honest.SignInAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Sso_required_refuses_members_passwords_but_not_the_break_glass_administrator_nor_a_tenant_switch_from_sso()
    {
        var tenant = await host.CreateTenantAsync("sso-req");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        var withoutGlass = await admin.PutAsJsonAsync(Url, new
        {
            issuer = host.Provider.Issuer, clientId = TestOpenIdProvider.ClientId, clientSecret = TestOpenIdProvider.ClientSecret,
            allowedDomains = new[] { $"{tenant.Slug}.test" }, ssoRequired = true,
        });
        var saved = await admin.PutAsJsonAsync(Url, new
        {
            issuer = host.Provider.Issuer, clientId = TestOpenIdProvider.ClientId, clientSecret = TestOpenIdProvider.ClientSecret,
            allowedDomains = new[] { $"{tenant.Slug}.test" }, ssoRequired = true, breakGlassUserId = tenant.Users["admin"],
        });

        await AccountSupport.ShouldBeInvalidAsync(withoutGlass, "breakGlassUserId",
            "Choose a break-glass administrator before requiring SSO: the one person who can still sign in with a password if the provider is down.");
        saved.StatusCode.ShouldBe(HttpStatusCode.OK);
        var agent = await AccountLoginAsync(tenant.Email("agent"));
        agent.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await agent.Content.ReadAsStringAsync()).ShouldContain("signs in with single sign-on");
        (await AccountLoginAsync(tenant.Email("manager"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await AccountLoginAsync(tenant.Email("admin"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var page = PageClient.Anonymous(host);
        var form = await page.PostFormAsync("/signin", new() { ["Email"] = tenant.Email("agent"), ["Password"] = SwitchboardHost.Password });
        (await form.Content.ReadAsStringAsync()).ShouldContain("signs in with single sign-on");

        // The agent still signs in through the provider; that session stays in this tenant.
        host.Provider.Add(new TestIdpUser(tenant.Email("agent"), "Agent", "User"));
        using var browser = new SsoBrowser(host);
        (await browser.SignInAsync(tenant.Email("agent"))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var other = await host.CreateTenantAsync("sso-req-other");
        using var root = await host.SuperadminAsync();
        (await root.PostAsJsonAsync("/api/v1/users", new { email = tenant.Email("agent"), firstName = "A", lastName = "U", role = "agent", tenantId = other.Id })).EnsureSuccessStatusCode();
        var token = PageClient.Token(await browser.Http.GetStringAsync("/profile"));
        var switched = await browser.Http.PostAsync("/switch-tenant", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["tenantId"] = other.Id.ToString(), ["__RequestVerificationToken"] = token,
        }));
        switched.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await browser.Http.GetStringAsync("/")).ShouldContain("vouches for you in that workspace only");
        (await AuditAsync(admin, "user.sign-in-failed")).ShouldContain(e => e.GetProperty("changes").GetProperty("reason").GetString() == "sso-required");
    }

    [Fact]
    public async Task The_client_secret_is_stored_sealed_and_never_returned_nor_audited_nor_shown()
    {
        var (tenant, admin) = await TenantWithSsoAsync();

        var read = await admin.GetStringAsync(Url);
        var replaced = await admin.PutAsJsonAsync(Url, new { clientSecret = "second-secret-value-99" });
        using var page = await PageClient.SignInAsync(host, tenant.Email("admin"));
        var html = await page.GetStringAsync("/settings/sso");
        var audit = JsonSerializer.Serialize(await AuditAsync(admin, "tenant.sso-changed"));
        var stored = (string?)await TenantScalarAsync(tenant, "select client_secret from sso_configurations");

        JsonDocument.Parse(read).RootElement.GetProperty("clientSecret").GetString().ShouldBe("set");
        foreach (var text in new[] { read, await replaced.Content.ReadAsStringAsync(), html, audit, stored ?? "" })
        {
            text.ShouldNotContain(TestOpenIdProvider.ClientSecret);
            text.ShouldNotContain("second-secret-value-99");
        }
        stored.ShouldNotBeNullOrEmpty();
        audit.ShouldContain("replaced");
        html.ShouldContain("data-testid=\"sso-redirect-uri\">" + new Uri(host.BaseAddress, "/sso/callback").AbsoluteUri);
    }

    [Fact]
    public async Task One_tenants_configuration_leaves_anothers_untouched_and_sign_in_by_domain_finds_the_right_tenant()
    {
        var (a, adminA) = await TenantWithSsoAsync();
        var (b, adminB) = await TenantWithSsoAsync(new { clientId = "tenant-b-client" });

        (await adminA.PutAsJsonAsync(Url, new { jitProvisioning = true, defaultRole = "manager" })).EnsureSuccessStatusCode();
        (await adminA.DeleteAsync(Url)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var configA = await adminA.GetFromJsonAsync<JsonElement>(Url);
        var configB = await adminB.GetFromJsonAsync<JsonElement>(Url);
        configA.GetProperty("configured").GetBoolean().ShouldBeFalse();
        configB.GetProperty("clientId").GetString().ShouldBe("tenant-b-client");
        configB.GetProperty("jitProvisioning").GetBoolean().ShouldBeFalse();
        using var browser = new SsoBrowser(host);
        var toA = await browser.StartAsync($"someone@{a.Slug}.test");
        toA.Headers.Contains("Refresh").ShouldBeFalse("A's domain leads nowhere once A removed SSO");
        (await toA.Content.ReadAsStringAsync()).ShouldContain("No single sign-on is set up for that workspace or email domain.");
        SsoBrowser.ProviderUrl(await browser.StartAsync($"someone@{b.Slug}.test")).Query.ShouldContain("client_id=tenant-b-client");
        (await adminA.DeleteAsync(Url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await AuditAsync(adminA, "tenant.sso-removed")).Length.ShouldBe(1);
        (await AuditAsync(adminB, "tenant.sso-removed")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("agent")]
    [InlineData("readonly")]
    public async Task Only_administrators_see_change_remove_or_test_single_sign_on(string role)
    {
        var (tenant, _) = await TenantWithSsoAsync();
        using var client = await host.LoginAsync(tenant.Email(role));

        (await client.GetAsync(Url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.PutAsJsonAsync(Url, new { jitProvisioning = true })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.DeleteAsync(Url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.PostAsync(Url + "/test", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var page = await PageClient.SignInAsync(host, tenant.Email(role));
        var response = await page.GetAsync("/settings/sso");
        new Uri(host.BaseAddress, response.Headers.Location!).AbsolutePath.ShouldBe("/forbidden");
    }

    [Theory]
    [InlineData("""{"issuer":"http://169.254.169.254/","clientId":"x","allowedDomains":["a.test"]}""", "issuer")]
    [InlineData("""{"issuer":"not a url","clientId":"x","allowedDomains":["a.test"]}""", "issuer")]
    [InlineData("""{"clientId":"x","allowedDomains":["a.test"]}""", "issuer")]
    [InlineData("""{"issuer":"http://127.0.0.1:9/","allowedDomains":["a.test"]}""", "clientId")]
    [InlineData("""{"issuer":"http://127.0.0.1:9/","clientId":"x","allowedDomains":[]}""", "allowedDomains")]
    [InlineData("""{"issuer":"http://127.0.0.1:9/","clientId":"x","allowedDomains":["not a domain"]}""", "allowedDomains")]
    [InlineData("""{"issuer":"http://127.0.0.1:9/","clientId":"x","allowedDomains":["a.test"],"defaultRole":"owner"}""", "defaultRole")]
    [InlineData("""{"issuer":"http://127.0.0.1:9/","clientId":"x","allowedDomains":["a.test"],"groupRoles":{"g":"admin"}}""", "groupClaim")]
    [InlineData("""{"issuer":"http://127.0.0.1:9/","clientId":"x","allowedDomains":["a.test"],"groupClaim":"groups","groupRoles":{"g":"boss"}}""", "groupRoles")]
    [InlineData("""{"issuer":"http://127.0.0.1:9/","clientId":"x","allowedDomains":["a.test"],"secret":"x"}""", "secret")]
    public async Task A_bad_configuration_is_a_400_naming_the_field_and_nothing_is_saved(string body, string field)
    {
        var tenant = await host.CreateTenantAsync("sso-bad");
        using var admin = await host.LoginAsync(tenant.Email("admin"));

        var response = await admin.PutAsync(Url, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(await response.Content.ReadAsStringAsync());
        (await admin.GetFromJsonAsync<JsonElement>(Url)).GetProperty("configured").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Test_connection_reads_the_providers_discovery_document_and_names_a_provider_that_is_not_there()
    {
        var (_, admin) = await TenantWithSsoAsync();
        var ok = await (await admin.PostAsync(Url + "/test", null)).Content.ReadFromJsonAsync<JsonElement>();
        (await admin.PutAsJsonAsync(Url, new { issuer = "http://127.0.0.1:9/" })).EnsureSuccessStatusCode();
        var down = await (await admin.PostAsync(Url + "/test", null)).Content.ReadFromJsonAsync<JsonElement>();

        ok.GetProperty("ok").GetBoolean().ShouldBeTrue(ok.ToString());
        ok.GetProperty("tokenEndpoint").GetString().ShouldBe(host.Provider.Issuer + "connect/token");
        ok.GetProperty("signingKeys").GetInt32().ShouldBeGreaterThan(0);
        down.GetProperty("ok").GetBoolean().ShouldBeFalse();
        down.GetProperty("error").GetString()!.ShouldContain("could not be read");
    }

    private async Task<HttpResponseMessage> SignInBySlugAsync(TestTenant tenant, string email)
    {
        using var browser = new SsoBrowser(host);
        var response = await browser.SignInAsync(email, tenant.Slug);
        (await browser.IsSignedInAsync()).ShouldBeFalse();
        return response;
    }

    private static async Task<string> RefusalAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> AccountLoginAsync(string email) => AccountSupport.LoginAsync(host, email, SwitchboardHost.Password);

    private async Task<object?> TenantScalarAsync(TestTenant tenant, string sql)
    {
        await using var conn = new Npgsql.NpgsqlConnection(host.Database.OwnerConnectionString);
        await conn.OpenAsync();
        await using (var set = new Npgsql.NpgsqlCommand("select set_config('app.tenant_id', $1, false)", conn) { Parameters = { new() { Value = tenant.Id.ToString() } } })
            await set.ExecuteNonQueryAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
        var result = await cmd.ExecuteScalarAsync();
        return result is DBNull ? null : result;
    }

    /// <summary>The token with one character of its payload changed: the signature no longer matches.</summary>
    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("\"Man\"", "\"Eve\"");
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }

    /// <summary>The same claims (issuer, audience, nonce) signed with a key the provider never published.</summary>
    private static string Resign(string token, RSA key)
    {
        var original = new JsonWebToken(token);
        var claims = JsonSerializer.Deserialize<Dictionary<string, object>>(Base64UrlEncoder.Decode(original.EncodedPayload))!;
        return new JsonWebTokenHandler().CreateToken(JsonSerializer.Serialize(claims),
            new SigningCredentials(new RsaSecurityKey(key) { KeyId = original.Kid }, SecurityAlgorithms.RsaSha256));
    }

    [Fact]
    public async Task An_invitation_to_a_workspace_that_requires_sso_is_accepted_through_its_provider_as_the_invited_address_only()
    {
        var (tenant, admin) = await TenantWithSsoAsync();
        (await admin.PutAsJsonAsync(Url, new
        {
            issuer = host.Provider.Issuer, clientId = TestOpenIdProvider.ClientId, clientSecret = TestOpenIdProvider.ClientSecret, allowedDomains = new[] { $"{tenant.Slug}.test" },
            ssoRequired = true, breakGlassUserId = tenant.Users["admin"],
        })).EnsureSuccessStatusCode();
        var email = $"invited@{tenant.Slug}.test";
        (await admin.PostAsJsonAsync("/api/v1/invitations", new { email, role = "manager" })).EnsureSuccessStatusCode();
        var token = await host.LinkTokenAsync(email, "/invitations/accept");
        host.Provider.Add(new TestIdpUser($"someone@{tenant.Slug}.test", "Some", "One"));
        host.Provider.Add(new TestIdpUser(email, "Ivy", "Invited"));
        using var anonymous = host.CreateClient();

        var preview = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/invitations/accept?token={token}");
        var byPassword = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token, firstName = "Ivy", lastName = "Invited", password = "Copper-orbit-lantern-72" });
        using var someoneElse = new SsoBrowser(host);
        var refused = await someoneElse.AcceptInvitationAsync(token, $"someone@{tenant.Slug}.test");
        using var invited = new SsoBrowser(host);
        var accepted = await invited.AcceptInvitationAsync(token, email);

        preview.GetProperty("ssoRequired").GetBoolean().ShouldBeTrue();
        byPassword.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await byPassword.Content.ReadAsStringAsync()).ShouldContain("signs in with single sign-on");
        (await refused.Content.ReadAsStringAsync()).ShouldContain($"This invitation is for {email}");
        (await someoneElse.IsSignedInAsync()).ShouldBeFalse();
        accepted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await accepted.Content.ReadAsStringAsync());
        (await invited.IsSignedInAsync()).ShouldBeTrue();
        var members = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/users?pageSize=200")).GetProperty("items").EnumerateArray()
            .ToDictionary(u => u.GetProperty("email").GetString()!, u => u.GetProperty("role").GetString());
        members[email].ShouldBe("manager", "the invited role, not the provisioning default");
        (await AuditAsync(admin, "invitation.accepted")).ShouldHaveSingleItem().GetProperty("changes").GetProperty("method").GetString().ShouldBe("sso");
    }
}
