using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using static Switchboard.Tests.Features.Auth.AccountSupport;
using static Switchboard.Tests.Features.TwoFactor.TwoFactorSupport;

namespace Switchboard.Tests.Features.TwoFactor;

/// <summary>
/// The tenant's two-factor requirement (issue 12 §4, ADR 0045): off, admins and managers, or everyone, with a grace
/// period per member; past it the API sign-in of someone without a second factor is refused with mfaEnrolmentRequired.
/// </summary>
public sealed class TwoFactorEnforcementTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private const string Url = "/api/v1/tenants/current/security";

    [Theory]
    [InlineData("off", "admin", true)]
    [InlineData("admins", "agent", true)]
    [InlineData("admins", "manager", false)]
    [InlineData("admins", "admin", false)]
    [InlineData("everyone", "agent", false)]
    [InlineData("everyone", "readonly", false)]
    public async Task Without_grace_the_requirement_refuses_exactly_the_roles_it_covers(string requirement, string role, bool signsIn)
    {
        var tenant = await host.CreateTenantAsync("enf");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        (await admin.PatchAsJsonAsync(Url, new { mfa = requirement, mfaGraceDays = 0 })).EnsureSuccessStatusCode();

        var answer = await LoginAsync(host, tenant.Email(role), SwitchboardHost.Password);

        if (signsIn)
        {
            answer.StatusCode.ShouldBe(HttpStatusCode.OK);
            return;
        }
        answer.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("mfaEnrolmentRequired").GetBoolean().ShouldBeTrue();
        problem.GetProperty("detail").GetString()!.ShouldContain("requires two-factor sign-in");
    }

    [Fact]
    public async Task During_the_grace_period_members_sign_in_and_are_told_when_to_enrol_by_and_after_it_they_are_refused()
    {
        var tenant = await host.CreateTenantAsync("grace");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        (await admin.PatchAsJsonAsync(Url, new { mfa = "everyone", mfaGraceDays = 14 })).EnsureSuccessStatusCode();

        var during = await LoginAsync(host, tenant.Email("agent"), SwitchboardHost.Password);
        using var agent = host.CreateClient((await during.Content.ReadFromJsonAsync<SwitchboardHost.Tokens>())!.AccessToken);
        var status = await agent.GetFromJsonAsync<JsonElement>("/api/v1/auth/2fa");
        await ExecuteInTenantAsync(host, tenant.Id, "update tenant_memberships set mfa_required_since = now() - interval '15 days' where user_id = $1", tenant.Users["agent"]);
        var after = await LoginAsync(host, tenant.Email("agent"), SwitchboardHost.Password);

        during.StatusCode.ShouldBe(HttpStatusCode.OK);
        status.GetProperty("requirement").GetString().ShouldBe("everyone");
        status.GetProperty("enrolBy").GetDateTimeOffset().ShouldBeInRange(DateTimeOffset.UtcNow.AddDays(13.9), DateTimeOffset.UtcNow.AddDays(14.1));
        after.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_member_who_enrolled_signs_in_with_the_code_whatever_the_requirement()
    {
        var tenant = await host.CreateTenantAsync("enrolled");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        using var agent = await host.LoginAsync(tenant.Email("agent"));
        var secret = (await (await agent.PostAsync("/api/v1/auth/2fa/totp", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        (await agent.PostAsJsonAsync("/api/v1/auth/2fa/totp/confirm", new { code = Code(secret) })).EnsureSuccessStatusCode();
        (await admin.PatchAsJsonAsync(Url, new { mfa = "everyone", mfaGraceDays = 0 })).EnsureSuccessStatusCode();

        var token = await ChallengeAsync(host, tenant.Email("agent"));
        var signedIn = await SecondStepAsync(host, token, Code(secret, 1));

        signedIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await signedIn.Content.ReadFromJsonAsync<SwitchboardHost.Tokens>())!.TenantId.ShouldBe(tenant.Id, "the mfaToken is bound to the tenant the first step chose");
    }

    [Fact]
    public async Task The_requirement_and_grace_are_security_settings_validated_and_audited()
    {
        var tenant = await host.CreateTenantAsync("mfa-set");
        using var admin = await host.LoginAsync(tenant.Email("admin"));

        var defaults = await admin.GetFromJsonAsync<JsonElement>(Url);
        var bad = await admin.PatchAsJsonAsync(Url, new { mfa = "sometimes", mfaGraceDays = 91 });
        var saved = await admin.PatchAsJsonAsync(Url, new { mfa = "admins", mfaGraceDays = 30 });
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=tenant.security-changed");

        defaults.GetProperty("mfa").GetString().ShouldBe("off");
        defaults.GetProperty("mfaGraceDays").GetInt32().ShouldBe(7);
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.GetProperty("mfa")[0].GetString()!.ShouldStartWith("Two-factor sign-in must be required of nobody");
        errors.GetProperty("mfaGraceDays")[0].GetString().ShouldBe("The grace period must be 0 to 90 days.");
        (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("mfa").GetString().ShouldBe("admins");
        audit.GetProperty("items")[0].GetProperty("changes").GetRawText().ShouldBe("""{"mfa":{"new":"admins","old":"off"},"mfaGraceDays":{"new":30,"old":7}}""");
    }

    [Fact]
    public async Task Switching_into_a_tenant_that_requires_a_second_factor_applies_its_requirement()
    {
        var home = await host.CreateTenantAsync("sw-home");
        var strict = await host.CreateTenantAsync("sw-strict");
        using var strictAdmin = await host.LoginAsync(strict.Email("admin"));
        (await strictAdmin.PatchAsJsonAsync(Url, new { mfa = "everyone", mfaGraceDays = 0 })).EnsureSuccessStatusCode();
        using var root = await host.SuperadminAsync();
        (await root.PostAsJsonAsync("/api/v1/users", new { email = home.Email("agent"), firstName = "A", lastName = "U", role = "agent", tenantId = strict.Id })).EnsureSuccessStatusCode();
        using var agent = await host.LoginAsync(home.Email("agent"), home.Slug);

        var refused = await agent.PostAsJsonAsync("/api/v1/auth/switch-tenant", new { tenantId = strict.Id });
        var secret = (await (await agent.PostAsync("/api/v1/auth/2fa/totp", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        (await agent.PostAsJsonAsync("/api/v1/auth/2fa/totp/confirm", new { code = Code(secret) })).EnsureSuccessStatusCode();
        var enrolled = await agent.PostAsJsonAsync("/api/v1/auth/switch-tenant", new { tenantId = strict.Id });

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("mfaEnrolmentRequired").GetBoolean().ShouldBeTrue();
        enrolled.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await enrolled.Content.ReadFromJsonAsync<SwitchboardHost.Tokens>())!.TenantId.ShouldBe(strict.Id);
    }

    [Fact]
    public async Task A_browser_switching_into_a_tenant_past_its_grace_gets_an_enrolment_only_session()
    {
        var home = await host.CreateTenantAsync("swb-home");
        var strict = await host.CreateTenantAsync("swb-strict");
        using var strictAdmin = await host.LoginAsync(strict.Email("admin"));
        (await strictAdmin.PatchAsJsonAsync(Url, new { mfa = "everyone", mfaGraceDays = 0 })).EnsureSuccessStatusCode();
        using var root = await host.SuperadminAsync();
        (await root.PostAsJsonAsync("/api/v1/users", new { email = home.Email("agent"), firstName = "A", lastName = "U", role = "agent", tenantId = strict.Id })).EnsureSuccessStatusCode();
        using var page = await PageClient.SignInAsync(host, home.Email("agent"), home.Slug);

        var switched = await page.PostFormAsync("/switch-tenant", new() { ["tenantId"] = strict.Id.ToString() }, "/profile");
        var leads = await page.Http.GetAsync("/leads");

        switched.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        switched.Headers.Location!.OriginalString.ShouldBe("/profile/two-factor?walkthrough=true");
        leads.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        leads.Headers.Location!.OriginalString.ShouldBe("/profile/two-factor", "past its grace the session reaches only the enrolment page");
    }
}
