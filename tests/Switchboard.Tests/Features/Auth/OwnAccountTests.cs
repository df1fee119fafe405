using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Features.Auth;
using Switchboard.Testing;
using static Switchboard.Tests.Features.Auth.AccountSupport;

namespace Switchboard.Tests.Features.Auth;

/// <summary>A signed-in person changes their own password and email (issue 12 §2), by API and on the profile page.</summary>
public sealed class OwnAccountTests(MailHost host) : IClassFixture<MailHost>
{
    private const string NewPassword = "Brand-new-password-2";
    private const string ConfirmSubject = "Confirm your new Switchboard email address";

    [Fact]
    public async Task Changing_the_password_ends_every_other_session_and_keeps_this_one()
    {
        var account = await NewAccountAsync(host);
        using var other = await host.LoginAsync(account.Email);
        using var me = await host.LoginAsync(account.Email);

        var changed = await me.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = SwitchboardHost.Password, newPassword = NewPassword });

        changed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await me.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await other.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await LoginAsync(host, account.Email, SwitchboardHost.Password)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await LoginAsync(host, account.Email, NewPassword)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var notice = await host.Smtp.WaitForAsync(account.Email, m => m.Subject == "Your Switchboard password was changed");
        notice.TextBody!.ShouldContain("every other session was signed out");
        (await AuditActionsAsync(host, account.Id)).ShouldBe("user.password-changed");
    }

    [Fact]
    public async Task A_wrong_current_password_is_400_on_currentPassword_and_five_of_them_lock_the_account()
    {
        var account = await NewAccountAsync(host);
        using var me = await host.LoginAsync(account.Email);

        var messages = new List<string?>();
        for (var i = 0; i < 5; i++)
        {
            var response = await me.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = "Not-the-password-1", newPassword = NewPassword });
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            messages.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("currentPassword")[0].GetString());
        }

        messages.ShouldBe([.. Enumerable.Repeat(AccountChanges.WrongCurrentPassword, 4), AccountChanges.LockedOut]);
        (await LoginAsync(host, account.Email, SwitchboardHost.Password)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_new_email_is_confirmed_by_the_link_sent_to_it_then_it_signs_in_and_the_old_address_is_told()
    {
        var account = await NewAccountAsync(host);
        var newEmail = $"moved-{Guid.NewGuid():N}@example.test";
        using var me = await host.LoginAsync(account.Email);

        var asked = await me.PostAsJsonAsync("/api/v1/auth/email", new { newEmail, currentPassword = SwitchboardHost.Password });
        var token = await host.LinkTokenAsync(newEmail, "/confirm-email", m => m.Subject == ConfirmSubject);
        (await LoginAsync(host, account.Email, SwitchboardHost.Password)).StatusCode.ShouldBe(HttpStatusCode.OK); // nothing changes before the link is opened
        var confirmed = await ConfirmAsync(token);

        asked.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        confirmed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var notice = await host.Smtp.WaitForAsync(account.Email, m => m.Subject == "The email address of your Switchboard account was changed");
        notice.TextBody!.ShouldContain($"to {newEmail}.");
        (await LoginAsync(host, newEmail, SwitchboardHost.Password)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await LoginAsync(host, account.Email, SwitchboardHost.Password)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await me.GetFromJsonAsync<JsonElement>("/api/v1/auth/me")).GetProperty("email").GetString().ShouldBe(newEmail);
        await ShouldBeInvalidAsync(await ConfirmAsync(token), "token", ChangeEmail.InvalidLink);
        (await AuditActionsAsync(host, account.Id)).ShouldBe("user.email-change-requested,user.email-changed");
    }

    [Fact]
    public async Task Asking_for_an_address_another_account_has_answers_as_for_a_free_one_and_its_link_reports_the_conflict()
    {
        var account = await NewAccountAsync(host);
        var holder = await NewAccountAsync(host, "holder");
        var free = $"free-{Guid.NewGuid():N}@example.test";
        using var me = await host.LoginAsync(account.Email);

        var forFree = await me.PostAsJsonAsync("/api/v1/auth/email", new { newEmail = free, currentPassword = SwitchboardHost.Password });
        var forTaken = await me.PostAsJsonAsync("/api/v1/auth/email", new { newEmail = holder.Email, currentPassword = SwitchboardHost.Password });
        var token = await host.LinkTokenAsync(holder.Email, "/confirm-email", m => m.Subject == ConfirmSubject);
        var confirmed = await ConfirmAsync(token);

        forFree.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        forTaken.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await forTaken.Content.ReadAsStringAsync()).Replace(holder.Email, "ADDRESS").ShouldBe((await forFree.Content.ReadAsStringAsync()).Replace(free, "ADDRESS"));
        confirmed.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()
            .ShouldBe($"Another Switchboard account already uses {holder.Email}, so it cannot become this account's address. Nothing was changed.");
        (await LoginAsync(host, account.Email, SwitchboardHost.Password)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await LoginAsync(host, holder.Email, SwitchboardHost.Password)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("not-an-address", "SELF", "newEmail", "'not-an-address' is not a valid email address.")]
    [InlineData("SELF", "SELF", "newEmail", "This is already your email address.")]
    [InlineData("fresh@example.test", "Not-the-password-1", "currentPassword", AccountChanges.WrongCurrentPassword)]
    public async Task An_email_change_that_cannot_be_asked_for_is_400_and_sends_nothing(string newEmail, string password, string field, string message)
    {
        var account = await NewAccountAsync(host);
        using var me = await host.LoginAsync(account.Email);
        var address = newEmail == "SELF" ? account.Email.ToUpperInvariant() : newEmail;

        var response = await me.PostAsJsonAsync("/api/v1/auth/email", new { newEmail = address, currentPassword = password == "SELF" ? SwitchboardHost.Password : password });

        await ShouldBeInvalidAsync(response, field, message);
        (await ScalarAsync(host, "select count(*) from account_tokens where user_id = $1", account.Id)).ShouldBe(0L);
    }

    [Fact]
    public async Task The_profile_page_changes_the_password_and_this_browser_stays_signed_in()
    {
        var account = await NewAccountAsync(host);
        using var browser = await PageClient.SignInAsync(host, account.Email);
        using var api = await host.LoginAsync(account.Email);

        var wrong = await browser.PostFormAsync("/profile?handler=Password", PasswordFields("Not-the-password-1", NewPassword, NewPassword), "/profile");
        var mismatch = await browser.PostFormAsync("/profile?handler=Password", PasswordFields(SwitchboardHost.Password, NewPassword, "Something-else-1"), "/profile");
        var done = await browser.PostFormAsync("/profile?handler=Password", PasswordFields(SwitchboardHost.Password, NewPassword, NewPassword), "/profile");

        (await wrong.Content.ReadAsStringAsync()).ShouldContain(AccountChanges.WrongCurrentPassword);
        (await mismatch.Content.ReadAsStringAsync()).ShouldContain("The two passwords are not the same.");
        done.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await browser.GetStringAsync("/profile")).ShouldContain("Your password was changed. Every other session of your account was signed out.");
        (await api.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_profile_page_sends_the_link_and_the_confirm_page_changes_the_address()
    {
        var account = await NewAccountAsync(host);
        var newEmail = $"page-{Guid.NewGuid():N}@example.test";
        using var browser = await PageClient.SignInAsync(host, account.Email);

        var wrong = await browser.PostFormAsync("/profile?handler=Email", EmailFields(newEmail, "Not-the-password-1"), "/profile");
        var asked = await browser.PostFormAsync("/profile?handler=Email", EmailFields(newEmail, SwitchboardHost.Password), "/profile");
        var flash = await browser.GetStringAsync("/profile");
        var token = await host.LinkTokenAsync(newEmail, "/confirm-email", m => m.Subject == ConfirmSubject);
        var confirmPage = $"/confirm-email?token={token}";
        var shown = await browser.GetStringAsync(confirmPage);
        var confirmed = await browser.PostFormAsync(confirmPage, new() { ["Token"] = token }, confirmPage);

        (await wrong.Content.ReadAsStringAsync()).ShouldContain(AccountChanges.WrongCurrentPassword);
        asked.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        flash.ShouldContain($"We sent a link to {newEmail}.");
        shown.ShouldContain($"<strong data-testid=\"confirm-address\">{newEmail}</strong>");
        confirmed.Headers.Location!.OriginalString.ShouldBe("/profile");
        var profile = await browser.GetStringAsync("/profile");
        profile.ShouldContain($"Your email address is now {newEmail}.");
        profile.ShouldContain($"<dd data-testid=\"profile-email\">{newEmail}</dd>");
        (await browser.GetStringAsync("/confirm-email?token=nonsense")).ShouldContain(ChangeEmail.InvalidLink);
    }

    private static Dictionary<string, string> PasswordFields(string current, string next, string confirm) => new()
    {
        ["PasswordChange.CurrentPassword"] = current, ["PasswordChange.NewPassword"] = next, ["PasswordChange.ConfirmPassword"] = confirm,
    };

    private static Dictionary<string, string> EmailFields(string newEmail, string password) => new()
    {
        ["EmailChange.NewEmail"] = newEmail, ["EmailChange.EmailCurrentPassword"] = password,
    };

    private async Task<HttpResponseMessage> ConfirmAsync(string token)
    {
        using var anonymous = host.CreateClient();
        return await anonymous.PostAsJsonAsync("/api/v1/auth/confirm-email", new { token });
    }
}
