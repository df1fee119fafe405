using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using static Switchboard.Tests.Features.Auth.AccountSupport;
using static Switchboard.Tests.Features.TwoFactor.TwoFactorSupport;

namespace Switchboard.Tests.Features.TwoFactor;

/// <summary>TOTP enrolment, the two-step sign-in, recovery codes and an administrator's reset through the API (issue 12 §4, ADR 0045).</summary>
public sealed class TwoFactorTests(MailHost host) : IClassFixture<MailHost>
{
    private const string NoticeSubject = "Two-factor sign-in changed on your Switchboard account";

    [Fact]
    public async Task Enrolment_is_inactive_until_confirmed_then_sign_in_needs_a_code_computed_from_the_secret()
    {
        var account = await NewAccountAsync(host, "flow");
        var client = await host.LoginAsync(account.Email);

        var started = await client.PostAsync("/api/v1/auth/2fa/totp", null);
        var enrolment = await started.Content.ReadFromJsonAsync<JsonElement>();
        var secret = enrolment.GetProperty("secret").GetString()!;
        var beforeConfirm = await LoginAsync(host, account.Email, SwitchboardHost.Password);
        var confirmed = await client.PostAsJsonAsync("/api/v1/auth/2fa/totp/confirm", new { code = Code(secret) });
        var first = await LoginAsync(host, account.Email, SwitchboardHost.Password);
        var challenge = await first.Content.ReadFromJsonAsync<JsonElement>();
        var second = await SecondStepAsync(host, challenge.GetProperty("mfaToken").GetString()!, Code(secret, 1));

        started.StatusCode.ShouldBe(HttpStatusCode.OK);
        enrolment.GetProperty("otpauthUri").GetString()!.ShouldStartWith("otpauth://totp/");
        enrolment.GetProperty("otpauthUri").GetString()!.ShouldContain("issuer=Switchboard");
        enrolment.GetProperty("otpauthUri").GetString()!.ShouldContain(Uri.EscapeDataString(account.Email));
        (await beforeConfirm.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("accessToken", out _).ShouldBeTrue("not asked for before it is confirmed");
        confirmed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var codes = (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        codes.Count.ShouldBe(10);
        codes.Distinct().Count().ShouldBe(10);
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        challenge.GetProperty("mfaRequired").GetBoolean().ShouldBeTrue();
        challenge.TryGetProperty("accessToken", out _).ShouldBeFalse("no session before the second factor");
        challenge.GetProperty("methods").EnumerateArray().Select(m => m.GetString()).ShouldBe(["totp", "recovery-code"]);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        var pair = await second.Content.ReadFromJsonAsync<SwitchboardHost.Tokens>();
        using var signedIn = host.CreateClient(pair!.AccessToken);
        (await signedIn.GetFromJsonAsync<JsonElement>("/api/v1/auth/me")).GetProperty("email").GetString().ShouldBe(account.Email);
        var status = await signedIn.GetFromJsonAsync<JsonElement>("/api/v1/auth/2fa");
        status.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        status.GetProperty("recoveryCodesLeft").GetInt32().ShouldBe(10);
        status.TryGetProperty("secret", out _).ShouldBeFalse("the secret is never shown after enrolment");
        (await AuditActionsAsync(host, account.Id)).ShouldBe("user.second-factor-enrolled");
        (await host.Smtp.WaitForAsync(account.Email, m => m.Subject == NoticeSubject)).TextBody!.ShouldContain("turned on");
        var stored = (string?)await ScalarAsync(host, "select secret_protected from user_second_factors where user_id = $1", account.Id);
        stored.ShouldNotBeNull();
        stored.ShouldNotContain(secret);
    }

    [Fact]
    public async Task A_code_works_once_the_time_step_it_was_accepted_for_is_refused_again()
    {
        var enrolled = await EnrolAsync(host, "reuse");

        var sameStep = await SecondStepAsync(host, await ChallengeAsync(host, enrolled.Account.Email), enrolled.Code(0));
        var nextStep = await SecondStepAsync(host, await ChallengeAsync(host, enrolled.Account.Email), enrolled.Code(1));
        var nextAgain = await SecondStepAsync(host, await ChallengeAsync(host, enrolled.Account.Email), enrolled.Code(1));

        sameStep.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the step of the confirmation was used");
        nextStep.StatusCode.ShouldBe(HttpStatusCode.OK);
        nextAgain.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once_and_says_how_many_are_left()
    {
        var enrolled = await EnrolAsync(host, "recovery");

        var used = await SecondStepAsync(host, await ChallengeAsync(host, enrolled.Account.Email), enrolled.RecoveryCodes[0].ToLowerInvariant());
        var again = await SecondStepAsync(host, await ChallengeAsync(host, enrolled.Account.Email), enrolled.RecoveryCodes[0]);

        used.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await used.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recoveryCodesLeft").GetInt32().ShouldBe(9);
        again.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await AuditActionsAsync(host, enrolled.Account.Id)).ShouldBe("user.second-factor-enrolled,user.recovery-code-used,user.second-factor-failed");
    }

    [Fact]
    public async Task New_recovery_codes_need_a_current_code_and_end_the_old_ones()
    {
        var enrolled = await EnrolAsync(host, "regen");

        var refused = await enrolled.Client.PostAsJsonAsync("/api/v1/auth/2fa/recovery-codes", new { code = enrolled.RecoveryCodes[0] });
        var made = await enrolled.Client.PostAsJsonAsync("/api/v1/auth/2fa/recovery-codes", new { code = enrolled.Code(1) });
        var fresh = (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        var old = await SecondStepAsync(host, await ChallengeAsync(host, enrolled.Account.Email), enrolled.RecoveryCodes[1]);
        var @new = await SecondStepAsync(host, await ChallengeAsync(host, enrolled.Account.Email), fresh[0]);

        await ShouldBeInvalidAsync(refused, "code", "The code is not right. Enter the current code from your authenticator app.");
        made.StatusCode.ShouldBe(HttpStatusCode.OK);
        fresh.Count.ShouldBe(10);
        fresh.ShouldNotContain(enrolled.RecoveryCodes[1]);
        old.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        @new.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AuditActionsAsync(host, enrolled.Account.Id)).ShouldContain("user.recovery-codes-regenerated");
    }

    [Fact]
    public async Task Wrong_codes_count_towards_the_lockout_like_wrong_passwords()
    {
        var enrolled = await EnrolAsync(host, "wrong");
        var token = await ChallengeAsync(host, enrolled.Account.Email);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++) answers.Add(await SecondStepAsync(host, token, "000000" == enrolled.Code(1) ? "111111" : "000000"));
        var rightAfterLock = await SecondStepAsync(host, token, enrolled.Code(1));
        var password = await LoginAsync(host, enrolled.Account.Email, SwitchboardHost.Password);

        answers.ShouldAllBe(a => a.StatusCode == HttpStatusCode.Unauthorized);
        (await answers[0].Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldStartWith("The code is incorrect.");
        rightAfterLock.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        password.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the account is locked");
        var admin = await host.As("admin");
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/users/{enrolled.Account.Id}")).GetProperty("lockedUntil").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        (await AuditActionsAsync(host, enrolled.Account.Id)).ShouldStartWith("user.second-factor-enrolled,user.second-factor-failed,user.second-factor-failed,user.second-factor-failed,user.second-factor-failed,user.second-factor-failed,user.locked-out");
    }

    [Fact]
    public async Task The_mfa_token_works_once_and_not_after_it_expires()
    {
        var enrolled = await EnrolAsync(host, "token");
        var token = await ChallengeAsync(host, enrolled.Account.Email);
        var expiring = await ChallengeAsync(host, enrolled.Account.Email);

        var first = await SecondStepAsync(host, token, enrolled.Code(1));
        var reused = await SecondStepAsync(host, token, enrolled.RecoveryCodes[0]);
        await ScalarAsync(host, "update mfa_challenges set expires_at = now() - interval '1 second' where user_id = $1 and used_at is null", enrolled.Account.Id);
        var expired = await SecondStepAsync(host, expiring, enrolled.RecoveryCodes[0]);
        var bogus = await SecondStepAsync(host, "not-a-token", enrolled.RecoveryCodes[0]);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        reused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await reused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().ShouldBe("This sign-in has expired or was already used. Sign in again.");
        expired.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        bogus.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ScalarAsync(host, "select count(*) from user_recovery_codes where user_id = $1 and used_at is null", enrolled.Account.Id)).ShouldBe(10L, "refused steps spend no recovery code");
    }

    [Fact]
    public async Task Turning_it_off_needs_a_code_and_sign_in_is_one_step_again()
    {
        var enrolled = await EnrolAsync(host, "off");

        var wrong = await enrolled.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/auth/2fa/totp") { Content = JsonContent.Create(new { code = "12345" }) });
        var off = await enrolled.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/auth/2fa/totp") { Content = JsonContent.Create(new { code = enrolled.Code(1) }) });
        var signIn = await LoginAsync(host, enrolled.Account.Email, SwitchboardHost.Password);

        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        off.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await off.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean().ShouldBeFalse();
        (await signIn.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("accessToken", out _).ShouldBeTrue();
        (await AuditActionsAsync(host, enrolled.Account.Id)).ShouldBe("user.second-factor-enrolled,user.second-factor-disabled");
        (await ScalarAsync(host, "select count(*) from user_recovery_codes where user_id = $1", enrolled.Account.Id)).ShouldBe(0L);
        (await host.Smtp.WaitForAsync(enrolled.Account.Email, m => m.Subject == NoticeSubject && m.TextBody!.Contains("turned off"))).ShouldNotBeNull();
    }

    [Fact]
    public async Task Enrolling_again_while_on_is_a_conflict_and_confirming_with_a_wrong_code_names_the_field()
    {
        var enrolled = await EnrolAsync(host, "again");
        var fresh = await NewAccountAsync(host, "fresh");
        using var client = await host.LoginAsync(fresh.Email);
        await client.PostAsync("/api/v1/auth/2fa/totp", null);

        (await enrolled.Client.PostAsync("/api/v1/auth/2fa/totp", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        await ShouldBeInvalidAsync(await client.PostAsJsonAsync("/api/v1/auth/2fa/totp/confirm", new { code = "000000x" }),
            "code", "The code is not right. Enter the 6-digit code your authenticator app shows now.");
    }

    [Fact]
    public async Task An_administrator_resets_a_members_second_factor_audited_and_told_by_email()
    {
        var enrolled = await EnrolAsync(host, "reset");
        var admin = await host.As("admin");

        var reset = await admin.DeleteAsync($"/api/v1/users/{enrolled.Account.Id}/2fa");
        var signIn = await LoginAsync(host, enrolled.Account.Email, SwitchboardHost.Password);
        var nothingLeft = await admin.DeleteAsync($"/api/v1/users/{enrolled.Account.Id}/2fa");

        reset.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await reset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reset").GetBoolean().ShouldBeTrue();
        (await signIn.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("accessToken", out _).ShouldBeTrue();
        (await nothingLeft.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reset").GetBoolean().ShouldBeFalse();
        (await AuditActionsAsync(host, enrolled.Account.Id)).ShouldBe("user.second-factor-enrolled,user.second-factor-reset");
        (await host.Smtp.WaitForAsync(enrolled.Account.Email, m => m.Subject == NoticeSubject && m.TextBody!.Contains("reset two-factor sign-in"))).ShouldNotBeNull();
    }

    [Theory]
    [InlineData("agent")]
    [InlineData("manager")]
    public async Task Only_administrators_reset_a_second_factor(string role)
    {
        var enrolled = await EnrolAsync(host, "perm-" + role);
        var caller = await host.As(role);

        (await caller.DeleteAsync($"/api/v1/users/{enrolled.Account.Id}/2fa")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await enrolled.Client.GetFromJsonAsync<JsonElement>("/api/v1/auth/2fa")).GetProperty("enabled").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Another_tenants_member_is_not_found()
    {
        var enrolled = await EnrolAsync(host, "elsewhere");
        var other = await host.CreateTenantAsync("mfa-other");
        using var otherAdmin = await host.LoginAsync(other.Email("admin"));

        var answer = await otherAdmin.DeleteAsync($"/api/v1/users/{enrolled.Account.Id}/2fa");

        answer.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await enrolled.Client.GetFromJsonAsync<JsonElement>("/api/v1/auth/2fa")).GetProperty("enabled").GetBoolean().ShouldBeTrue();
    }
}
