using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Platform.Cli;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform.Cli;

/// <summary><c>switchboard users …</c> and <c>switchboard sessions …</c> (ADR 0067): through the API's services, audited as "cli".</summary>
public sealed class UsersCommandTests(CliHost host) : IClassFixture<CliHost>
{
    private const string NewPassword = "Another-Passw0rd-2026!";

    [Fact]
    public async Task Users_create_with_a_password_adds_a_member_who_signs_in_and_the_audit_names_the_command_line()
    {
        var tenant = await host.CreateTenantAsync("cli-create");
        var email = $"ada@{tenant.Slug}.test";

        var (code, output) = await host.RunAsync<UsersCommand>("create", "--tenant", tenant.Slug, "--email", email, "--role", "manager", "--name", "Ada Lovelace", "--password", SwitchboardHost.Password);

        code.ShouldBe(0);
        output.ShouldBe($"Added {email} (Ada Lovelace) to {tenant.Slug} as manager.{Environment.NewLine}");
        using var client = await host.LoginAsync(email, tenant.Slug);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/me");
        me.GetProperty("role").GetString().ShouldBe("manager");
        (await host.ScalarAsync<long>(
            "select count(*) from audit_log where tenant_id = $1 and actor_type = 'system' and actor_name = 'cli' and entity_id = $2",
            tenant.Id, me.GetProperty("id").GetGuid().ToString())).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Users_create_without_a_password_invites_and_bad_input_is_refused_by_name()
    {
        var tenant = await host.CreateTenantAsync("cli-invite");
        var email = $"grace@{tenant.Slug}.test";

        var (code, output) = await host.RunAsync<UsersCommand>("create", "--tenant", tenant.Slug, "--email", email, "--role", "agent");
        var badRole = await Should.ThrowAsync<CliUsageException>(() => host.RunAsync<UsersCommand>("create", "--tenant", tenant.Slug, "--email", email, "--role", "boss"));
        var noEmail = await Should.ThrowAsync<CliUsageException>(() => host.RunAsync<UsersCommand>("create", "--tenant", tenant.Slug, "--role", "agent"));
        var noTenant = await Should.ThrowAsync<CliException>(() => host.RunAsync<UsersCommand>("create", "--tenant", "no-such-tenant", "--email", email, "--role", "agent"));

        code.ShouldBe(0);
        output.ShouldStartWith($"Invited {email} to {tenant.Slug} as agent");
        (await host.ScalarAsync<long>("select count(*) from invitations where tenant_id = $1 and email = $2", tenant.Id, email)).ShouldBe(1L);
        badRole.Message.ShouldStartWith("--role must be one of ");
        badRole.Message.ShouldEndWith("got 'boss'.");
        noEmail.Message.ShouldBe("users create needs --email EMAIL.");
        noTenant.Message.ShouldBe("No tenant has the slug 'no-such-tenant'.");
    }

    [Fact]
    public async Task Users_import_adds_the_good_rows_names_each_refused_one_and_exits_1()
    {
        var tenant = await host.CreateTenantAsync("cli-import");
        var file = Path.Combine(Directory.CreateTempSubdirectory("switchboard-cli-").FullName, "people.csv");
        await File.WriteAllTextAsync(file, $"email,firstName,lastName,role\nlin@{tenant.Slug}.test,Lin,Chen,agent\nnot-an-email,No,Body,agent\n");

        var (code, output) = await host.RunAsync<UsersCommand>("import", "--tenant", tenant.Slug, "--in", file, "--password", SwitchboardHost.Password);

        code.ShouldBe(1);
        output.ShouldContain($"{tenant.Slug}: 1 account(s) created, 0 existing account(s) added, 0 skipped (members already), 1 row(s) refused.");
        output.ShouldContain("  row 3, email 'not-an-email': ");
        (await host.SignInStatusAsync($"lin@{tenant.Slug}.test", tenant.Slug)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Users_list_shows_one_tenants_members_or_everyone_with_the_superadmins()
    {
        var tenant = await host.CreateTenantAsync("cli-list");

        var (_, one) = await host.RunAsync<UsersCommand>("list", "--tenant", tenant.Slug);
        var (_, all) = await host.RunAsync<UsersCommand>("list");

        foreach (var role in new[] { "admin", "manager", "agent", "agent2", "readonly" }) one.ShouldContain(tenant.Email(role));
        one.ShouldEndWith($"5 user(s) in 1 tenant(s).{Environment.NewLine}");
        all.ShouldContain($"(platform)           {SwitchboardHost.SuperadminEmail}");
        all.ShouldContain(tenant.Email("agent"));
        all.ShouldContain("tenant(s) and the platform.");
    }

    [Fact]
    public async Task Users_reset_password_with_a_password_sets_it_and_ends_every_session()
    {
        var tenant = await host.CreateTenantAsync("cli-reset");
        var email = tenant.Email("agent");
        using var signedIn = await host.LoginAsync(email, tenant.Slug);

        var (code, output) = await host.RunAsync<UsersCommand>("reset-password", "--email", email, "--password", NewPassword);
        var weak = await Should.ThrowAsync<CliUsageException>(() => host.RunAsync<UsersCommand>("reset-password", "--email", email, "--password", "short"));
        var (queuedCode, queued) = await host.RunAsync<UsersCommand>("reset-password", "--email", tenant.Email("manager"));

        code.ShouldBe(0);
        output.ShouldBe($"Set a new password for {email}; every session of the account has ended.{Environment.NewLine}");
        (await signedIn.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await host.SignInStatusAsync(email, tenant.Slug)).ShouldNotBe(HttpStatusCode.OK);
        (await host.SignInStatusAsync(email, tenant.Slug, NewPassword)).ShouldBe(HttpStatusCode.OK);
        weak.Message.ShouldStartWith("--password: ");
        queuedCode.ShouldBe(0);
        queued.ShouldStartWith($"Queued a password reset email to {tenant.Email("manager")}");
    }

    [Fact]
    public async Task Users_unlock_ends_a_lockout()
    {
        var tenant = await host.CreateTenantAsync("cli-unlock");
        var email = tenant.Email("agent");
        await host.QueryAsync("update users set lockout_end = now() + interval '1 hour', access_failed_count = 5 where email = $1", email);
        var lockedOut = await host.SignInStatusAsync(email, tenant.Slug);

        var (code, output) = await host.RunAsync<UsersCommand>("unlock", "--email", email);
        var (_, again) = await host.RunAsync<UsersCommand>("unlock", "--email", email);

        lockedOut.ShouldNotBe(HttpStatusCode.OK);
        code.ShouldBe(0);
        output.ShouldStartWith($"Unlocked {email} (was locked until ");
        again.ShouldBe($"{email} is not locked.{Environment.NewLine}");
        (await host.SignInStatusAsync(email, tenant.Slug)).ShouldBe(HttpStatusCode.OK);
        (await host.ScalarAsync<long>("select count(*) from audit_log where action = 'user.unlocked' and actor_name = 'cli' and changes->>'email' = $1", email)).ShouldBe(1L);
    }

    [Fact]
    public async Task Users_disable_ends_a_membership_or_the_whole_account()
    {
        var tenant = await host.CreateTenantAsync("cli-disable");
        using var whole = await host.LoginAsync(tenant.Email("agent2"), tenant.Slug);

        var (memberCode, member) = await host.RunAsync<UsersCommand>("disable", "--email", tenant.Email("agent"), "--tenant", tenant.Slug);
        var (accountCode, account) = await host.RunAsync<UsersCommand>("disable", "--email", tenant.Email("agent2"));
        var (_, again) = await host.RunAsync<UsersCommand>("disable", "--email", tenant.Email("agent2"));

        memberCode.ShouldBe(0);
        member.ShouldBe($"Deactivated {tenant.Email("agent")} in {tenant.Slug}; their sessions there have ended.{Environment.NewLine}");
        (await host.SignInStatusAsync(tenant.Email("agent"), tenant.Slug)).ShouldNotBe(HttpStatusCode.OK);
        accountCode.ShouldBe(0);
        account.ShouldBe($"Disabled the account {tenant.Email("agent2")} in every tenant; 1 session(s) ended.{Environment.NewLine}");
        (await whole.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await host.SignInStatusAsync(tenant.Email("agent2"), tenant.Slug)).ShouldNotBe(HttpStatusCode.OK);
        again.ShouldBe($"{tenant.Email("agent2")} is already disabled.{Environment.NewLine}");
        (await host.SignInStatusAsync(tenant.Email("manager"), tenant.Slug)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Sessions_list_shows_an_accounts_sessions_and_revoke_ends_them()
    {
        var tenant = await host.CreateTenantAsync("cli-sessions");
        var email = tenant.Email("manager");
        using var first = await host.LoginAsync(email, tenant.Slug);
        using var second = await host.LoginAsync(email, tenant.Slug);
        using var other = await host.LoginAsync(tenant.Email("agent"), tenant.Slug);

        var (_, listed) = await host.RunAsync<SessionsCommand>("list", "--email", email);
        var id = listed.Split('\n')[0].Split(' ')[0];
        var (oneCode, one) = await host.RunAsync<SessionsCommand>("revoke", "--id", id);
        var (allCode, all) = await host.RunAsync<SessionsCommand>("revoke", "--email", email);
        var neither = await Should.ThrowAsync<CliUsageException>(() => host.RunAsync<SessionsCommand>("revoke"));
        var unknown = await Should.ThrowAsync<CliException>(() => host.RunAsync<SessionsCommand>("revoke", "--id", Guid.Empty.ToString()));

        listed.ShouldContain($" {email} ");
        listed.ShouldContain($" {tenant.Slug} ");
        listed.ShouldEndWith($"2 session(s).{Environment.NewLine}");
        oneCode.ShouldBe(0);
        one.ShouldBe($"Ended session {id}.{Environment.NewLine}");
        allCode.ShouldBe(0);
        all.ShouldBe($"Ended 1 session(s) of {email}.{Environment.NewLine}");
        (await first.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await second.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await other.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        neither.Message.ShouldBe("sessions revoke needs --email E or --id ID (one of them).");
        unknown.Message.ShouldBe($"No session has the id {Guid.Empty}.");
    }
}
