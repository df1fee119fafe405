using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Features.Auth;
using Switchboard.Platform.Identity;
using Switchboard.Testing;
using static Switchboard.Tests.Features.Auth.AccountSupport;

namespace Switchboard.Tests.Features.Security;

/// <summary>
/// The tenant's password policy (issue 12 §3, ADR 0042): length, the zxcvbn blocklist with the person's own words, the
/// history, the strictest rules among a person's tenants, and the maximum age at sign-in — through the real API and pages.
/// </summary>
public sealed class PasswordPolicyTests(MailHost host) : IClassFixture<MailHost>
{
    private static readonly string[] Fresh =
        ["Copper-orbit-lantern-72", "Velvet-summit-radio-93", "Quiet-meadow-engine-15", "Silver-canyon-pocket-28", "Amber-violin-harbor-64"];

    [Theory]
    [InlineData("short", "Use at least 12 characters.")]
    [InlineData("password1234", PasswordStrength.Guessable)]
    [InlineData("Summer2024!!!", PasswordStrength.Guessable)]
    [InlineData("qwertyuiop123", PasswordStrength.Guessable)]
    [InlineData("P@ssw0rd12345", PasswordStrength.Guessable)]
    [InlineData("Lovelace-Ada-1815", PasswordStrength.Personal)]
    public async Task A_new_password_that_is_short_common_or_built_from_the_persons_name_is_refused(string password, string message)
    {
        var account = await NewAccountAsync(host); // Ada Lovelace
        using var me = await host.LoginAsync(account.Email);

        var response = await ChangeAsync(me, SwitchboardHost.Password, password);

        await ShouldBeInvalidAsync(response, "newPassword", message);
    }

    [Fact]
    public async Task The_workspace_name_and_the_email_address_are_words_a_password_must_not_be_built_from()
    {
        var tenant = await host.CreateTenantAsync("nimbus"); // named "Tenant nimbus-xxxxxx"
        using var agent = await host.LoginAsync(tenant.Email("agent"));

        var fromTenant = await ChangeAsync(agent, SwitchboardHost.Password, $"{tenant.Slug}-2024");
        var fromEmail = await ChangeAsync(agent, SwitchboardHost.Password, $"agent@{tenant.Slug}");
        var unrelated = await ChangeAsync(agent, SwitchboardHost.Password, Fresh[0]);

        await ShouldBeInvalidAsync(fromTenant, "newPassword", PasswordStrength.Personal);
        await ShouldBeInvalidAsync(fromEmail, "newPassword", PasswordStrength.Personal);
        unrelated.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task None_of_the_last_five_passwords_may_be_chosen_again_and_the_sixth_may()
    {
        var account = await NewAccountAsync(host);
        using var me = await host.LoginAsync(account.Email);
        var current = SwitchboardHost.Password;
        foreach (var next in Fresh[..4])
        {
            (await ChangeAsync(me, current, next)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
            current = next;
        }

        // The last five: Fresh[3] (current), Fresh[2], Fresh[1], Fresh[0] and the first password.
        await ShouldBeInvalidAsync(await ChangeAsync(me, current, SwitchboardHost.Password), "newPassword", PasswordPolicy.Reused);
        await ShouldBeInvalidAsync(await ChangeAsync(me, current, current), "newPassword", PasswordPolicy.Reused);
        (await ChangeAsync(me, current, Fresh[4])).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await ChangeAsync(me, Fresh[4], SwitchboardHost.Password)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        ((long)(await ScalarAsync(host, "select count(*) from password_history where user_id = $1", account.Id))!).ShouldBe(6);
    }

    [Fact]
    public async Task A_person_in_two_workspaces_meets_the_stricter_policy_wherever_they_change_their_password()
    {
        var strict = await host.CreateTenantAsync("strict");
        var lenient = await host.CreateTenantAsync("lenient");
        using (var admin = await host.LoginAsync(strict.Email("admin")))
            (await admin.PatchAsJsonAsync("/api/v1/tenants/current/security", new { passwordMinLength = 24 })).EnsureSuccessStatusCode();
        using (var root = await host.SuperadminAsync())
            (await root.PostAsJsonAsync("/api/v1/users", new { email = strict.Email("agent"), role = "agent", tenantId = lenient.Id })).EnsureSuccessStatusCode();
        using var inLenient = await host.LoginAsync(strict.Email("agent"), lenient.Slug);

        var tooShort = await ChangeAsync(inLenient, SwitchboardHost.Password, Fresh[1]); // 22 characters
        var longEnough = await ChangeAsync(inLenient, SwitchboardHost.Password, Fresh[1] + "-ok");

        await ShouldBeInvalidAsync(tooShort, "newPassword", "Use at least 24 characters.");
        longEnough.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task An_expired_password_signs_in_to_a_password_change_and_no_session_until_it_is_changed()
    {
        var tenant = await host.CreateTenantAsync("aging");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        (await admin.PatchAsJsonAsync("/api/v1/tenants/current/security", new { passwordMaxAgeDays = 90 })).EnsureSuccessStatusCode();
        var email = tenant.Email("agent");
        await ScalarAsync(host, "update users set password_changed_at = now() - interval '91 days' where id = $1", tenant.Users["agent"]);

        var wrong = await LoginAsync(host, email, "Not-the-password-1");
        var expired = await LoginAsync(host, email, SwitchboardHost.Password);
        var challenge = await expired.Content.ReadFromJsonAsync<JsonElement>();
        using var anonymous = host.CreateClient();
        var reset = await anonymous.PostAsJsonAsync("/api/v1/auth/reset-password",
            new { token = challenge.GetProperty("passwordResetToken").GetString(), password = Fresh[2] });

        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await wrong.Content.ReadAsStringAsync()).ShouldNotContain("passwordResetToken");
        expired.StatusCode.ShouldBe(HttpStatusCode.OK);
        challenge.GetProperty("passwordChangeRequired").GetBoolean().ShouldBeTrue();
        challenge.TryGetProperty("accessToken", out _).ShouldBeFalse();
        reset.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await LoginAsync(host, email, Fresh[2])).StatusCode.ShouldBe(HttpStatusCode.OK);
        var failed = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit/sign-ins?result=failed");
        var reasons = failed.GetProperty("items").EnumerateArray()
            .Where(a => a.GetProperty("email").GetString() == email).Select(a => a.GetProperty("reasonLabel").GetString());
        reasons.ShouldBe(["Password expired: asked to choose a new one", "Wrong password"]); // newest first
    }

    [Fact]
    public async Task The_sign_in_page_sends_an_expired_password_to_the_form_that_replaces_it()
    {
        var tenant = await host.CreateTenantAsync("aging-web");
        using (var admin = await host.LoginAsync(tenant.Email("admin")))
            (await admin.PatchAsJsonAsync("/api/v1/tenants/current/security", new { passwordMaxAgeDays = 30 })).EnsureSuccessStatusCode();
        await ScalarAsync(host, "update users set password_changed_at = now() - interval '31 days' where id = $1", tenant.Users["manager"]);
        using var visitor = PageClient.Anonymous(host);

        var signedIn = await visitor.PostFormAsync("/signin", new() { ["Email"] = tenant.Email("manager"), ["Password"] = SwitchboardHost.Password });
        var target = signedIn.Headers.Location!.OriginalString;
        var form = await visitor.GetStringAsync(target);
        var token = System.Web.HttpUtility.ParseQueryString(new Uri(host.BaseAddress, target).Query)["token"]!;
        var changed = await visitor.PostFormAsync(target, new() { ["Token"] = token, ["Password"] = Fresh[3], ["ConfirmPassword"] = Fresh[3] }, target);

        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        target.ShouldStartWith("/reset-password?expired=true&token=");
        form.ShouldContain(PasswordChangeChallenge.ExpiredMessage.Replace("'", "&#x27;"));
        form.ShouldContain("At least 12 characters.");
        changed.Headers.Location!.OriginalString.ShouldBe("/signin");
        (await LoginAsync(host, tenant.Email("manager"), Fresh[3])).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static Task<HttpResponseMessage> ChangeAsync(HttpClient me, string current, string next) =>
        me.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = current, newPassword = next });
}
