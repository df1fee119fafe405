using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using static Switchboard.Tests.Features.Auth.AccountSupport;
using static Switchboard.Tests.Features.Passkeys.PasskeySupport;

namespace Switchboard.Tests.Features.Passkeys;

/// <summary>Passkeys through the API with a software authenticator (issue 12 §4, ADR 0050): adding one, as a second factor, and passwordless.</summary>
public sealed class PasskeyTests(MailHost host) : IClassFixture<MailHost>
{
    private const string NoticeSubject = "Two-factor sign-in changed on your Switchboard account";

    [Fact]
    public async Task A_registered_passkey_is_listed_audited_told_by_email_and_becomes_a_second_factor_with_recovery_codes()
    {
        var registered = await RegisterAsync(host, "add", "MacBook Touch ID");

        var list = await registered.Client.GetFromJsonAsync<JsonElement>("/api/v1/auth/2fa/passkeys");
        var challenge = await ChallengeAsync(host, registered.Account.Email);

        registered.Added.GetProperty("passkey").GetProperty("name").GetString().ShouldBe("MacBook Touch ID");
        registered.Added.GetProperty("recoveryCodes").GetArrayLength().ShouldBe(10, "the account's first second factor brings its recovery codes");
        list.EnumerateArray().Select(p => p.GetProperty("name").GetString()).ShouldBe(["MacBook Touch ID"]);
        challenge.GetProperty("mfaRequired").GetBoolean().ShouldBeTrue();
        challenge.GetProperty("methods").EnumerateArray().Select(m => m.GetString()).ShouldBe(["webauthn", "recovery-code"]);
        (await AuditActionsAsync(host, registered.Account.Id)).ShouldBe("user.second-factor-passkey-added");
        (await host.Smtp.WaitForAsync(registered.Account.Email, m => m.Subject == NoticeSubject)).TextBody!.ShouldContain("MacBook Touch ID");
        ((byte[])(await ScalarAsync(host, "select credential_id from user_second_factors where user_id = $1 and method = 'webauthn'", registered.Account.Id))!)
            .ShouldBe(registered.Authenticator.CredentialId);
        registered.Authenticator.UserHandle!.Length.ShouldBe(32, "the user handle is random bytes, not the email");
    }

    [Fact]
    public async Task A_passkey_answers_the_second_step_once_and_the_token_cannot_be_used_again()
    {
        var registered = await RegisterAsync(host, "second");
        var token = (await ChallengeAsync(host, registered.Account.Email)).GetProperty("mfaToken").GetString()!;

        var signedIn = await SecondStepAsync(host, token, registered.Authenticator);
        using var anonymous = Client(host);
        var again = await anonymous.PostAsJsonAsync("/api/v1/auth/login/mfa/passkey", new { mfaToken = token });

        signedIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        var pair = await signedIn.Content.ReadFromJsonAsync<SwitchboardHost.Tokens>();
        using var client = Client(host, pair!.AccessToken);
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/me")).GetProperty("email").GetString().ShouldBe(registered.Account.Email);
        again.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ScalarAsync(host, "select last_used_at is not null from user_second_factors where user_id = $1 and method = 'webauthn'", registered.Account.Id)).ShouldBe(true);
    }

    [Fact]
    public async Task Passwordless_sign_in_opens_a_passkey_session_with_no_second_step()
    {
        var registered = await RegisterAsync(host, "passwordless");

        var signedIn = await PasswordlessAsync(host, registered.Authenticator);

        signedIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        var pair = await signedIn.Content.ReadFromJsonAsync<SwitchboardHost.Tokens>();
        pair!.AccessToken.ShouldNotBeNullOrEmpty("no mfaToken: the passkey with user verification is multi-factor");
        pair.TenantId.ShouldBe(host.Tenant.Id);
        (await ScalarAsync(host, "select string_agg(sign_in_method, ',') from user_sessions where user_id = $1 and sign_in_method = 'passkey'", registered.Account.Id)).ShouldBe("passkey");
        (await ScalarAsync(host, "select changes->>'method' from audit_log where entity_id = $1 and action = 'user.signed-in' order by occurred_at desc limit 1", registered.Account.Id.ToString()))
            .ShouldBe("passkey");
    }

    [Fact]
    public async Task An_answer_to_another_challenge_from_another_origin_or_without_user_verification_is_refused()
    {
        var registered = await RegisterAsync(host, "refused");
        using var anonymous = Client(host);
        var first = await OptionsAsync(await anonymous.PostAsync("/api/v1/auth/login/passkey/options", null));
        var second = await OptionsAsync(await anonymous.PostAsync("/api/v1/auth/login/passkey/options", null));
        var third = await OptionsAsync(await anonymous.PostAsync("/api/v1/auth/login/passkey/options", null));

        var madeUpChallenge = await anonymous.PostAsJsonAsync("/api/v1/auth/login/passkey",
            new { credential = registered.Authenticator.Assert(first, challenge: System.Buffers.Text.Base64Url.EncodeToString(new byte[32])) });
        registered.Authenticator.Origin = "http://evil.localhost:5000";
        var otherOrigin = await anonymous.PostAsJsonAsync("/api/v1/auth/login/passkey", new { credential = registered.Authenticator.Assert(second) });
        registered.Authenticator.Origin = Origin(host);
        registered.Authenticator.UserVerified = false;
        var unverified = await anonymous.PostAsJsonAsync("/api/v1/auth/login/passkey", new { credential = registered.Authenticator.Assert(third) });
        registered.Authenticator.UserVerified = true;
        var right = await PasswordlessAsync(host, registered.Authenticator);

        madeUpChallenge.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        otherOrigin.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        unverified.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "passwordless needs user verification");
        right.StatusCode.ShouldBe(HttpStatusCode.OK, "the refusals were about the answers, not the passkey");
        (await ScalarAsync(host, "select string_agg(changes->>'reason', ',' order by occurred_at, id) from audit_log where entity_id = $1 and action = 'user.sign-in-failed'",
            registered.Account.Id.ToString())).ShouldBe("passkey-expired,passkey-rejected,passkey-rejected");
    }

    [Fact]
    public async Task A_signature_counter_that_goes_back_is_refused_and_audited()
    {
        var registered = await RegisterAsync(host, "counter");
        (await PasswordlessAsync(host, registered.Authenticator)).StatusCode.ShouldBe(HttpStatusCode.OK);
        registered.Authenticator.Counter = 0;

        var cloned = await PasswordlessAsync(host, registered.Authenticator);
        var token = (await ChallengeAsync(host, registered.Account.Email)).GetProperty("mfaToken").GetString()!;
        registered.Authenticator.Counter = 0;
        var clonedSecondStep = await SecondStepAsync(host, token, registered.Authenticator);

        cloned.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        clonedSecondStep.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ScalarAsync(host, "select string_agg(changes->>'reason', ',' order by occurred_at, id) from audit_log where entity_id = $1 and action in ('user.sign-in-failed', 'user.second-factor-failed')",
            registered.Account.Id.ToString())).ShouldBe("passkey-counter-regression,passkey-counter-regression");
        (await ScalarAsync(host, "select sign_count from user_second_factors where user_id = $1 and method = 'webauthn'", registered.Account.Id)).ShouldBe(1L);
    }

    [Fact]
    public async Task Another_users_passkey_cannot_answer_a_second_step()
    {
        var victim = await RegisterAsync(host, "victim");
        var attacker = await RegisterAsync(host, "attacker");
        var token = (await ChallengeAsync(host, victim.Account.Email)).GetProperty("mfaToken").GetString()!;

        var answer = await SecondStepAsync(host, token, attacker.Authenticator);

        answer.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldStartWith("The passkey was not accepted.");
        (await ScalarAsync(host, "select changes->>'reason' from audit_log where entity_id = $1 and action = 'user.second-factor-failed'", victim.Account.Id.ToString()))
            .ShouldBe("passkey-unknown");
        (await ScalarAsync(host, "select access_failed_count from users where id = $1", victim.Account.Id)).ShouldBe(1, "a refused passkey counts like a wrong code");
    }

    [Fact]
    public async Task A_locked_account_cannot_sign_in_with_a_passkey()
    {
        var registered = await RegisterAsync(host, "locked");
        await ScalarAsync(host, "update users set lockout_end = now() + interval '10 minutes' where id = $1", registered.Account.Id);

        var answer = await PasswordlessAsync(host, registered.Authenticator);

        answer.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ScalarAsync(host, "select changes->>'reason' from audit_log where entity_id = $1 and action = 'user.sign-in-failed'", registered.Account.Id.ToString()))
            .ShouldBe("locked-out");
    }

    [Fact]
    public async Task A_passkey_is_refused_where_the_workspace_requires_single_sign_on_like_a_password()
    {
        var tenant = await host.CreateTenantAsync("pksso");
        using var agent = await SignedInAsync(host, tenant.Email("agent"));
        var authenticator = new SoftwareAuthenticator(Origin(host));
        (await AddAsync(agent, authenticator, "Phone")).EnsureSuccessStatusCode();
        var before = await PasswordlessAsync(host, authenticator);
        await ScalarAsync(host, "update tenants set sso_required = true where id = $1", tenant.Id);

        var after = await PasswordlessAsync(host, authenticator);

        before.StatusCode.ShouldBe(HttpStatusCode.OK);
        after.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldContain("signs in with single sign-on");
        (await ScalarInTenantAsync(host, tenant.Id, "select changes->>'reason' from audit_log where entity_id = $1 and action = 'user.sign-in-failed'", tenant.Users["agent"].ToString()))
            .ShouldBe("sso-required");
    }

    [Fact]
    public async Task An_administrators_reset_removes_passkeys_and_sign_in_is_one_step_again()
    {
        var registered = await RegisterAsync(host, "reset");
        using var admin = await host.As("admin");

        var reset = await admin.DeleteAsync($"/api/v1/users/{registered.Account.Id}/2fa");
        var passwordless = await PasswordlessAsync(host, registered.Authenticator);
        var password = await ChallengeAsync(host, registered.Account.Email);

        reset.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await reset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reset").GetBoolean().ShouldBeTrue();
        passwordless.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        password.TryGetProperty("accessToken", out _).ShouldBeTrue();
        (await ScalarAsync(host, "select count(*) from user_second_factors where user_id = $1", registered.Account.Id)).ShouldBe(0L);
    }

    [Fact]
    public async Task A_passkey_satisfies_the_tenants_two_factor_requirement()
    {
        var tenant = await host.CreateTenantAsync("pkreq");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        using var agent = await SignedInAsync(host, tenant.Email("agent"));
        (await AddAsync(agent, new SoftwareAuthenticator(Origin(host)), "Phone")).EnsureSuccessStatusCode();
        (await admin.PatchAsJsonAsync("/api/v1/tenants/current/security", new { mfa = "everyone", mfaGraceDays = 0 })).EnsureSuccessStatusCode();

        var withPasskey = await LoginAsync(host, tenant.Email("agent"), SwitchboardHost.Password);
        var without = await LoginAsync(host, tenant.Email("manager"), SwitchboardHost.Password);

        withPasskey.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await withPasskey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("mfaRequired").GetBoolean().ShouldBeTrue();
        without.StatusCode.ShouldBe(HttpStatusCode.Forbidden, "the requirement is in force");
    }

    [Fact]
    public async Task The_security_report_counts_a_passkey_as_a_second_factor()
    {
        var tenant = await host.CreateTenantAsync("pkreport");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        using var agent = await SignedInAsync(host, tenant.Email("agent"));
        (await AddAsync(agent, new SoftwareAuthenticator(Origin(host)), "Phone")).EnsureSuccessStatusCode();

        var report = await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/current/security/report");

        var without = report.GetProperty("withoutSecondFactor").EnumerateArray().Select(m => m.GetProperty("email").GetString()).ToList();
        without.ShouldNotContain(tenant.Email("agent"));
        without.ShouldContain(tenant.Email("agent2"));
    }

    [Fact]
    public async Task Renaming_and_removing_a_passkey_need_its_owner_and_removal_a_code()
    {
        var registered = await RegisterAsync(host, "manage");
        var other = await RegisterAsync(host, "other");
        var id = registered.Added.GetProperty("passkey").GetProperty("id").GetGuid();
        var recovery = registered.Added.GetProperty("recoveryCodes")[0].GetString();

        var renamed = await registered.Client.PatchAsJsonAsync($"/api/v1/auth/2fa/passkeys/{id}", new { name = "  <b>Work laptop</b> " });
        var blank = await registered.Client.PatchAsJsonAsync($"/api/v1/auth/2fa/passkeys/{id}", new { name = " " });
        var notTheirs = await other.Client.PatchAsJsonAsync($"/api/v1/auth/2fa/passkeys/{id}", new { name = "Mine" });
        var noCode = await registered.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/auth/2fa/passkeys/{id}") { Content = JsonContent.Create(new { code = "" }) });
        var removed = await registered.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/auth/2fa/passkeys/{id}") { Content = JsonContent.Create(new { code = recovery }) });

        (await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString().ShouldBe("<b>Work laptop</b>");
        await ShouldBeInvalidAsync(blank, "name", "Name is required.");
        notTheirs.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await ShouldBeInvalidAsync(noCode, "code", "Enter the code from your authenticator app.");
        removed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await removed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean().ShouldBeFalse("it was the only second factor");
        (await ScalarAsync(host, "select count(*) from user_recovery_codes where user_id = $1", registered.Account.Id)).ShouldBe(0L);
        (await AuditActionsAsync(host, registered.Account.Id)).ShouldBe("user.second-factor-passkey-added,user.second-factor-passkey-renamed,user.second-factor-passkey-removed");
    }

    [Fact]
    public async Task A_missing_or_malformed_answer_is_a_400_with_the_field_named()
    {
        using var anonymous = Client(host);
        var registered = await RegisterAsync(host, "bad");

        var missing = await anonymous.PostAsJsonAsync("/api/v1/auth/login/passkey", new { });
        var noName = await registered.Client.PostAsJsonAsync("/api/v1/auth/2fa/passkeys", new { credential = new { id = "x" } });
        var garbage = await anonymous.PostAsync("/api/v1/auth/login/passkey", JsonContent.Create(new { credential = new { rawId = "***", response = new { clientDataJSON = 5 } } }));

        await ShouldBeInvalidAsync(missing, "credential", "credential (the answer of navigator.credentials.get) is required.");
        noName.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await noName.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("name", out _).ShouldBeTrue();
        garbage.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
