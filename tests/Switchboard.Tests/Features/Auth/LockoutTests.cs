using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using static Switchboard.Tests.Features.Auth.AccountSupport;

namespace Switchboard.Tests.Features.Auth;

/// <summary>
/// Lockout after wrong passwords (issue 12 §3): the owner is told when their account locks, an administrator can unlock
/// it sooner (audited, the owner told again), and every attempt is in the sign-in log administrators read.
/// </summary>
public sealed class LockoutTests(MailHost host) : IClassFixture<MailHost>
{
    private const string Wrong = "Not-the-password-1";
    private const string LockedSubject = "Your Switchboard account was locked";
    private const string UnlockedSubject = "Your Switchboard account was unlocked";

    [Fact]
    public async Task The_fifth_wrong_password_locks_the_account_tells_its_owner_and_shows_on_the_users_list()
    {
        var account = await NewAccountAsync(host);

        for (var i = 0; i < 5; i++) (await LoginAsync(host, account.Email, Wrong)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        (await LoginAsync(host, account.Email, SwitchboardHost.Password)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var notice = await host.Smtp.WaitForAsync(account.Email, m => m.Subject == LockedSubject);
        notice.TextBody!.ShouldContain("After 5 wrong passwords in a row");
        notice.TextBody!.ShouldContain("/forgot-password");
        (await AuditActionsAsync(host, account.Id)).ShouldBe("user.locked-out");
        var admin = await host.As("admin");
        var member = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/users/{account.Id}");
        member.GetProperty("lockedUntil").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        host.Smtp.Received.Count(m => m.To.ToString().Contains(account.Email) && m.Subject == LockedSubject).ShouldBe(1, "told once, not for every refused attempt");
    }

    [Fact]
    public async Task An_administrator_unlocks_the_account_the_owner_signs_in_and_is_told()
    {
        var account = await NewAccountAsync(host);
        await LockAsync(account);
        var admin = await host.As("admin");

        var unlocked = await admin.PostAsync($"/api/v1/users/{account.Id}/unlock", null);

        unlocked.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await unlocked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lockedUntil").ValueKind.ShouldBe(JsonValueKind.Null);
        (await LoginAsync(host, account.Email, SwitchboardHost.Password)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var notice = await host.Smtp.WaitForAsync(account.Email, m => m.Subject == UnlockedSubject);
        notice.TextBody!.ShouldContain("unlocked your Switchboard account");
        (await AuditActionsAsync(host, account.Id)).ShouldBe("user.locked-out,user.unlocked");
    }

    [Fact]
    public async Task Unlocking_an_account_that_is_not_locked_changes_nothing()
    {
        var account = await NewAccountAsync(host);
        var admin = await host.As("admin");

        var answer = await admin.PostAsync($"/api/v1/users/{account.Id}/unlock", null);

        answer.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AuditActionsAsync(host, account.Id)).ShouldBe("");
        host.Smtp.Received.ShouldNotContain(m => m.To.ToString().Contains(account.Email) && m.Subject == UnlockedSubject);
    }

    [Theory]
    [InlineData("manager", HttpStatusCode.Forbidden)]
    [InlineData("agent", HttpStatusCode.NotFound)]
    public async Task Only_administrators_unlock(string role, HttpStatusCode expected)
    {
        var account = await NewAccountAsync(host);
        await LockAsync(account);

        (await (await host.As(role)).PostAsync($"/api/v1/users/{account.Id}/unlock", null)).StatusCode.ShouldBe(expected);

        (await LoginAsync(host, account.Email, SwitchboardHost.Password)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Another_tenants_administrator_cannot_unlock_a_member_of_this_one()
    {
        var account = await NewAccountAsync(host);
        await LockAsync(account);
        var other = await host.CreateTenantAsync("unlocker");
        using var otherAdmin = await host.LoginAsync(other.Email("admin"));

        (await otherAdmin.PostAsync($"/api/v1/users/{account.Id}/unlock", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await LoginAsync(host, account.Email, SwitchboardHost.Password)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Wrong_passwords_when_accepting_an_invitation_count_towards_the_lockout()
    {
        var account = await NewAccountAsync(host);
        var other = await host.CreateTenantAsync("inviting");
        using var otherAdmin = await host.LoginAsync(other.Email("admin"));
        (await otherAdmin.PostAsJsonAsync("/api/v1/invitations", new { email = account.Email, role = "agent" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var token = await host.LinkTokenAsync(account.Email, "/invitations/accept");
        using var anonymous = host.CreateClient();

        var messages = new List<string?>();
        for (var i = 0; i < 5; i++)
        {
            var refused = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token, password = Wrong });
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            messages.Add((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("password")[0].GetString());
        }

        messages[^1].ShouldBe(Switchboard.Features.Invitations.InvitationAcceptance.LockedAccount);
        (await LoginAsync(host, account.Email, SwitchboardHost.Password)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await host.Smtp.WaitForAsync(account.Email, m => m.Subject == LockedSubject);
    }

    [Fact]
    public async Task The_sign_in_log_shows_each_attempt_with_its_result_reason_and_address()
    {
        var account = await NewAccountAsync(host);
        (await LoginAsync(host, account.Email, Wrong)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await LoginAsync(host, account.Email, SwitchboardHost.Password)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var admin = await host.As("admin");

        var failed = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit/sign-ins?result=failed&pageSize=200");
        var succeeded = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit/sign-ins?result=succeeded&pageSize=200");

        var failure = failed.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("email").GetString() == account.Email);
        failure.GetProperty("succeeded").GetBoolean().ShouldBeFalse();
        failure.GetProperty("reason").GetString().ShouldBe("wrong-password");
        failure.GetProperty("reasonLabel").GetString().ShouldBe("Wrong password");
        failure.GetProperty("userId").GetGuid().ShouldBe(account.Id);
        failure.GetProperty("ip").GetString().ShouldNotBeNullOrEmpty();
        var success = succeeded.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("email").GetString() == account.Email);
        success.GetProperty("succeeded").GetBoolean().ShouldBeTrue();
        success.GetProperty("reason").ValueKind.ShouldBe(JsonValueKind.Null);
        succeeded.GetProperty("items").EnumerateArray().ShouldAllBe(a => a.GetProperty("succeeded").GetBoolean());
    }

    [Fact]
    public async Task The_sign_in_log_is_for_administrators_of_the_tenant_and_checks_its_filters()
    {
        var account = await NewAccountAsync(host);
        (await LoginAsync(host, account.Email, Wrong)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var other = await host.CreateTenantAsync("signinlog");
        using var otherAdmin = await host.LoginAsync(other.Email("admin"));

        var elsewhere = await otherAdmin.GetFromJsonAsync<JsonElement>("/api/v1/audit/sign-ins?pageSize=200");
        var manager = await (await host.As("manager")).GetAsync("/api/v1/audit/sign-ins");
        var badResult = await (await host.As("admin")).GetAsync("/api/v1/audit/sign-ins?result=maybe&from=yesterday");

        elsewhere.GetProperty("items").EnumerateArray().ShouldNotContain(a => a.GetProperty("email").GetString() == account.Email);
        manager.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        badResult.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await badResult.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.GetProperty("result")[0].GetString().ShouldBe("result must be 'succeeded' or 'failed'.");
        errors.TryGetProperty("from", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task The_users_page_shows_a_locked_member_and_its_unlock_button_works()
    {
        var account = await NewAccountAsync(host);
        await LockAsync(account);
        using var browser = await PageClient.SignInAsync(host, host.Tenant.Email("admin"));

        var page = await browser.GetStringAsync("/users");
        page.ShouldContain($"data-testid=\"locked-{account.Id}\"");

        var posted = await browser.PostFormAsync("/users?handler=Unlock", new() { ["id"] = account.Id.ToString() }, formPage: "/users");
        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await browser.GetStringAsync("/users")).ShouldNotContain($"data-testid=\"locked-{account.Id}\"");
        (await LoginAsync(host, account.Email, SwitchboardHost.Password)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_sign_in_page_lists_attempts_for_administrators_only()
    {
        var account = await NewAccountAsync(host);
        (await LoginAsync(host, account.Email, Wrong)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var admin = await PageClient.SignInAsync(host, host.Tenant.Email("admin"));
        using var manager = await PageClient.SignInAsync(host, host.Tenant.Email("manager"));

        var html = await admin.GetStringAsync("/audit/sign-ins?result=failed");
        var refused = await manager.GetAsync("/audit/sign-ins");

        html.ShouldContain(account.Email);
        html.ShouldContain("Wrong password");
        refused.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        refused.Headers.Location!.OriginalString.ShouldContain("/forbidden");
    }

    private async Task LockAsync(Account account)
    {
        for (var i = 0; i < 5; i++) (await LoginAsync(host, account.Email, Wrong)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await host.Smtp.WaitForAsync(account.Email, m => m.Subject == LockedSubject);
    }
}
