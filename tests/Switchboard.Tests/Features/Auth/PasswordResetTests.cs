using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Features.Auth;
using Switchboard.Platform.Identity;
using Switchboard.Testing;
using static Switchboard.Tests.Features.Auth.AccountSupport;

namespace Switchboard.Tests.Features.Auth;

/// <summary>"Forgot password" (issue 12 §2) through the real SMTP server: the link in the email is the only way to the token.</summary>
public sealed class PasswordResetTests(MailHost host) : IClassFixture<MailHost>
{
    private const string NewPassword = "Brand-new-password-2";

    [Fact]
    public async Task The_emailed_link_sets_a_new_password_ends_every_session_and_the_new_password_signs_in()
    {
        var account = await NewAccountAsync(host);
        using var apiBefore = await host.LoginAsync(account.Email);
        using var browserBefore = await PageClient.SignInAsync(host, account.Email);

        var asked = await ForgotAsync(account.Email);
        var reset = await ResetAsync(await ResetTokenAsync(account.Email), NewPassword);

        asked.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        reset.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await apiBefore.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await browserBefore.GetAsync("/profile")).Headers.Location!.OriginalString.ShouldStartWith("/signin");
        (await LoginAsync(host, account.Email, SwitchboardHost.Password)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await LoginAsync(host, account.Email, NewPassword)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var notice = await host.Smtp.WaitForAsync(account.Email, m => m.Subject == "Your Switchboard password was changed");
        notice.TextBody!.ShouldContain("and every session was signed out.");
        (await AuditActionsAsync(host, account.Id)).ShouldBe("user.password-reset-requested,user.password-reset");
    }

    [Fact]
    public async Task A_link_works_once()
    {
        var account = await NewAccountAsync(host);
        await ForgotAsync(account.Email);
        var token = await ResetTokenAsync(account.Email);

        var first = await ResetAsync(token, NewPassword);
        var second = await ResetAsync(token, "Another-password-3");

        first.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await ShouldBeInvalidAsync(second, "token", ResetPassword.InvalidLink);
        (await LoginAsync(host, account.Email, NewPassword)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_link_past_its_hour_is_refused_by_the_api_and_the_page()
    {
        var account = await NewAccountAsync(host);
        await ForgotAsync(account.Email);
        var token = await ResetTokenAsync(account.Email);
        (await ScalarAsync(host, "select expires_at - created_at from account_tokens where user_id = $1", account.Id)).ShouldBe(TimeSpan.FromHours(1));
        await ScalarAsync(host, "update account_tokens set created_at = created_at - interval '61 minutes', expires_at = expires_at - interval '61 minutes' where user_id = $1", account.Id);
        using var visitor = PageClient.Anonymous(host);

        var refused = await ResetAsync(token, NewPassword);
        var page = await visitor.GetStringAsync($"/reset-password?token={token}");

        await ShouldBeInvalidAsync(refused, "token", ResetPassword.InvalidLink);
        page.ShouldContain("data-testid=\"reset-link-error\"");
        page.ShouldNotContain("name=\"Password\"");
        (await LoginAsync(host, account.Email, SwitchboardHost.Password)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Asking_again_ends_the_older_link()
    {
        var account = await NewAccountAsync(host);
        await ForgotAsync(account.Email);
        var older = await ResetTokenAsync(account.Email);
        await ForgotAsync(account.Email);
        await Eventually.Until(() => Count(host.Smtp, account.Email), count => count == 2, Eventually.DefaultTimeout, "the second reset email");
        var newer = await ResetTokenAsync(account.Email);

        var withOlder = await ResetAsync(older, NewPassword);
        var withNewer = await ResetAsync(newer, NewPassword);

        await ShouldBeInvalidAsync(withOlder, "token", ResetPassword.InvalidLink);
        withNewer.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_password_the_rules_refuse_is_400_on_password_and_the_link_still_works()
    {
        var account = await NewAccountAsync(host);
        await ForgotAsync(account.Email);
        var token = await ResetTokenAsync(account.Email);

        var weak = await ResetAsync(token, "short");
        var strong = await ResetAsync(token, NewPassword);

        weak.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await weak.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.GetProperty("password")[0].GetString().ShouldBe(string.Format(PasswordPolicy.TooShortFormat, PasswordRules.DefaultMinLength));
        errors.TryGetProperty("token", out _).ShouldBeFalse();
        strong.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Unknown_and_inactive_addresses_get_the_same_202_answer_and_no_email()
    {
        var known = await NewAccountAsync(host);
        var inactive = await NewAccountAsync(host);
        await ScalarAsync(host, "update users set is_active = false where id = $1", inactive.Id);
        var unknown = $"nobody-{Guid.NewGuid():N}@example.test";

        var answers = new List<HttpResponseMessage>();
        foreach (var email in new[] { known.Email, unknown, inactive.Email }) answers.Add(await ForgotAsync(email));

        answers.ShouldAllBe(a => a.StatusCode == HttpStatusCode.Accepted);
        var bodies = await Task.WhenAll(answers.Select(a => a.Content.ReadAsStringAsync()));
        bodies.Distinct().Count().ShouldBe(1);
        bodies[0].ShouldBe(JsonSerializer.Serialize(ForgotPassword.Answer, JsonSerializerOptions.Web));
        await host.Smtp.WaitForAsync(known.Email);
        // Each request's job has run once its audit row says what came of it; nothing can be sent after that.
        var outcomes = await Eventually.Until(
            async () => (string?)await ScalarAsync(host, """
                select string_agg(changes->>'outcome', ',' order by changes->>'outcome') from audit_log
                where action = 'user.password-reset-requested' and changes->>'email' = any($1)
                """, (object)new[] { unknown, inactive.Email }),
            value => value?.Split(',').Length == 2, "the audit rows of both requests");
        outcomes.ShouldBe("unknown-email,user-inactive");
        Count(host.Smtp, unknown).ShouldBe(0);
        Count(host.Smtp, inactive.Email).ShouldBe(0);
    }

    [Fact]
    public async Task The_pages_ask_for_the_address_then_set_the_password_from_the_link_and_the_sign_in_page_says_so()
    {
        var account = await NewAccountAsync(host);
        using var visitor = PageClient.Anonymous(host);
        (await visitor.GetStringAsync("/signin")).ShouldContain("href=\"/forgot-password\"");

        var sent = await visitor.PostFormAsync("/forgot-password", new() { ["Email"] = account.Email });
        (await sent.Content.ReadAsStringAsync()).ShouldContain("If an account exists for that address, we sent it a link");
        var token = await ResetTokenAsync(account.Email);
        var formPage = $"/reset-password?token={token}";
        (await visitor.GetStringAsync(formPage)).ShouldContain("Confirm new password");

        var mismatch = await visitor.PostFormAsync(formPage, Fields(token, NewPassword, "Something-else-1"), formPage);
        (await mismatch.Content.ReadAsStringAsync()).ShouldContain("The two passwords are not the same.");
        var weak = await visitor.PostFormAsync(formPage, Fields(token, "short", "short"), formPage);
        (await weak.Content.ReadAsStringAsync()).ShouldContain(string.Format(PasswordPolicy.TooShortFormat, PasswordRules.DefaultMinLength));
        var done = await visitor.PostFormAsync(formPage, Fields(token, NewPassword, NewPassword), formPage);

        done.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        done.Headers.Location!.OriginalString.ShouldBe("/signin");
        (await visitor.GetStringAsync("/signin")).ShouldContain(ResetPasswordModel.Changed);
        (await LoginAsync(host, account.Email, NewPassword)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_forgot_password_page_answers_an_unknown_address_as_it_answers_an_account()
    {
        var account = await NewAccountAsync(host);
        var unknown = $"nobody-{Guid.NewGuid():N}@example.test";
        using var visitor = PageClient.Anonymous(host);

        var forAccount = await (await visitor.PostFormAsync("/forgot-password", new() { ["Email"] = account.Email })).Content.ReadAsStringAsync();
        var forUnknown = await (await visitor.PostFormAsync("/forgot-password", new() { ["Email"] = unknown })).Content.ReadAsStringAsync();

        forUnknown.Replace(unknown, "ADDRESS").ShouldBe(forAccount.Replace(account.Email, "ADDRESS"));
    }

    private static Dictionary<string, string> Fields(string token, string password, string confirm) =>
        new() { ["Token"] = token, ["Password"] = password, ["ConfirmPassword"] = confirm };

    private async Task<HttpResponseMessage> ForgotAsync(string email)
    {
        using var anonymous = host.CreateClient();
        return await anonymous.PostAsJsonAsync("/api/v1/auth/forgot-password", new { email });
    }

    private async Task<HttpResponseMessage> ResetAsync(string token, string password)
    {
        using var anonymous = host.CreateClient();
        return await anonymous.PostAsJsonAsync("/api/v1/auth/reset-password", new { token, password });
    }

    /// <summary>The token of the newest reset link sent to <paramref name="email"/>.</summary>
    private Task<string> ResetTokenAsync(string email) => host.LinkTokenAsync(email, "/reset-password");
}
