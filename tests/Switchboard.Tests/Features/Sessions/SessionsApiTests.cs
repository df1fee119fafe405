using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Switchboard.Platform.Identity;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Sessions;

/// <summary>The app on a <see cref="FakeTimeProvider"/> (from now, to the second) that the session tests move forward.</summary>
public sealed class SessionsHost : SwitchboardHostWithTenant
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

/// <summary>
/// Sessions (issue 12 §6, ADR 0044): people list and end their own, admins end a member's in their tenant, and the
/// tenant's idle timeout and lifetime end sessions on their next request or refresh.
/// </summary>
public sealed class SessionsApiTests(SessionsHost host) : IClassFixture<SessionsHost>
{
    private const string Firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private const string Chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    [Fact]
    public async Task The_list_shows_this_session_as_current_and_another_with_its_device_address_and_times()
    {
        var email = host.Tenant.Email("readonly");
        var other = await SignInAsync(email, Firefox);
        var me = await SignInAsync(email, Chrome);
        using var client = host.CreateClient(me.AccessToken);

        var sessions = await ListAsync(client);

        var current = sessions.Single(s => s.GetProperty("current").GetBoolean());
        current.GetProperty("id").GetGuid().ShouldBe(await SessionIdAsync(me));
        current.GetProperty("device").GetString().ShouldBe("Chrome on Linux");
        var otherId = await SessionIdAsync(other);
        var firefox = sessions.Single(s => s.GetProperty("id").GetGuid() == otherId);
        firefox.GetProperty("device").GetString().ShouldBe("Firefox on Windows");
        firefox.GetProperty("current").GetBoolean().ShouldBeFalse();
        firefox.GetProperty("kind").GetString().ShouldBe("api");
        firefox.GetProperty("ip").GetString().ShouldBe("127.0.0.1");
        firefox.GetProperty("tenantName").GetString().ShouldBe($"Tenant {host.Tenant.Slug}");
        firefox.GetProperty("createdAt").GetDateTimeOffset().ShouldBe(host.Clock.GetUtcNow());
        firefox.GetProperty("lastSeenAt").GetDateTimeOffset().ShouldBe(host.Clock.GetUtcNow());
    }

    [Fact]
    public async Task Ending_one_of_your_sessions_refuses_its_token_on_the_next_request_and_its_refresh()
    {
        var email = host.Tenant.Email("agent");
        var other = await SignInAsync(email, Firefox);
        using var otherClient = host.CreateClient(other.AccessToken);
        using var me = host.CreateClient((await SignInAsync(email, Chrome)).AccessToken);
        (await otherClient.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var ended = await me.DeleteAsync($"/api/v1/auth/sessions/{await SessionIdAsync(other)}");

        ended.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await otherClient.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await RefreshAsync(other.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await me.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ReasonAsync(other)).ShouldBe("ended-by-user");
        (await ListAsync(me)).Select(s => s.GetProperty("id").GetGuid()).ShouldNotContain(await SessionIdAsync(other));
    }

    [Fact]
    public async Task Another_persons_session_or_an_unknown_one_is_not_found_and_stays_live()
    {
        var colleague = await SignInAsync(host.Tenant.Email("agent2"), Firefox);
        using var me = host.CreateClient((await SignInAsync(host.Tenant.Email("manager"), Chrome)).AccessToken);

        (await me.DeleteAsync($"/api/v1/auth/sessions/{await SessionIdAsync(colleague)}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await me.DeleteAsync($"/api/v1/auth/sessions/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        using var colleagueClient = host.CreateClient(colleague.AccessToken);
        (await colleagueClient.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Signing_out_everywhere_else_ends_every_other_session_in_every_tenant_and_keeps_this_one()
    {
        var second = await host.CreateTenantAsync("second");
        var email = second.Email("agent");
        using var root = await host.SuperadminAsync(host.Tenant.Slug);
        (await root.PostAsJsonAsync("/api/v1/users", new { email, role = "agent" })).EnsureSuccessStatusCode();
        var elsewhere = await SignInAsync(email, Firefox, second.Slug);
        var otherTenant = await SignInAsync(email, Firefox, host.Tenant.Slug);
        var me = await SignInAsync(email, Chrome, second.Slug);
        using var client = host.CreateClient(me.AccessToken);

        var response = await client.DeleteAsync("/api/v1/auth/sessions");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ended").GetInt32().ShouldBe(2);
        (await StatusAsync(elsewhere)).ShouldBe(HttpStatusCode.Unauthorized);
        (await StatusAsync(otherTenant)).ShouldBe(HttpStatusCode.Unauthorized);
        (await StatusAsync(me)).ShouldBe(HttpStatusCode.OK);
        (await ListAsync(client)).Select(s => s.GetProperty("id").GetGuid()).ShouldBe([await SessionIdAsync(me)]);
    }

    [Fact]
    public async Task An_admin_ends_a_members_sessions_in_this_tenant_and_their_sessions_in_another_tenant_go_on()
    {
        var other = await host.CreateTenantAsync("elsewhere");
        var email = other.Email("manager");
        using var root = await host.SuperadminAsync(host.Tenant.Slug);
        var added = await root.PostAsJsonAsync("/api/v1/users", new { email, role = "agent" });
        added.EnsureSuccessStatusCode();
        var memberId = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var here = await SignInAsync(email, Chrome, host.Tenant.Slug);
        var hereToo = await SignInAsync(email, Firefox, host.Tenant.Slug);
        var there = await SignInAsync(email, Chrome, other.Slug);
        using var admin = await host.LoginAsync(host.Tenant.Email("admin"));

        var response = await admin.DeleteAsync($"/api/v1/users/{memberId}/sessions");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ended").GetInt32().ShouldBe(2);
        (await StatusAsync(here)).ShouldBe(HttpStatusCode.Unauthorized);
        (await StatusAsync(hereToo)).ShouldBe(HttpStatusCode.Unauthorized);
        (await RefreshAsync(here.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await StatusAsync(there)).ShouldBe(HttpStatusCode.OK);
        (await ReasonAsync(here)).ShouldBe("ended-by-admin");
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?action=user.sessions-ended&pageSize=200");
        audit.GetProperty("items").EnumerateArray().ShouldContain(e => e.GetProperty("entityId").GetString() == memberId.ToString());
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("agent")]
    public async Task Only_administrators_end_a_members_sessions(string role)
    {
        var member = await SignInAsync(host.Tenant.Email("readonly"), Chrome);
        using var caller = await host.LoginAsync(host.Tenant.Email(role));

        var response = await caller.DeleteAsync($"/api/v1/users/{host.Tenant.Users["readonly"]}/sessions");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await StatusAsync(member)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_admin_cannot_end_the_sessions_of_another_tenants_user()
    {
        var other = await host.CreateTenantAsync("foreign");
        var stranger = await SignInAsync(other.Email("agent"), Chrome);
        using var admin = await host.LoginAsync(host.Tenant.Email("admin"));

        var response = await admin.DeleteAsync($"/api/v1/users/{other.Users["agent"]}/sessions");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await StatusAsync(stranger)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Requests_within_the_idle_timeout_keep_a_session_and_one_after_it_is_refused()
    {
        var tenant = await TenantWithLimitsAsync(idleMinutes: 5, maxHours: null);
        var session = await SignInAsync(tenant.Email("agent"), Chrome, tenant.Slug);

        host.Clock.Advance(TimeSpan.FromMinutes(4));
        (await StatusAsync(session)).ShouldBe(HttpStatusCode.OK);
        host.Clock.Advance(TimeSpan.FromMinutes(4));
        (await StatusAsync(session)).ShouldBe(HttpStatusCode.OK);
        host.Clock.Advance(TimeSpan.FromMinutes(6.5));

        (await StatusAsync(session)).ShouldBe(HttpStatusCode.Unauthorized);
        (await ReasonAsync(session)).ShouldBe("idle");
        (await RefreshAsync(session.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_refresh_after_the_idle_timeout_is_refused_and_ends_the_session()
    {
        var tenant = await TenantWithLimitsAsync(idleMinutes: 10, maxHours: null);
        var session = await SignInAsync(tenant.Email("agent"), Chrome, tenant.Slug);

        host.Clock.Advance(TimeSpan.FromMinutes(12));
        var refreshed = await RefreshAsync(session.RefreshToken);

        refreshed.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ReasonAsync(session)).ShouldBe("idle");
        (await StatusAsync(session)).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_tenants_lifetime_ends_a_session_that_keeps_refreshing()
    {
        var tenant = await TenantWithLimitsAsync(idleMinutes: null, maxHours: 1);
        var session = await SignInAsync(tenant.Email("agent"), Chrome, tenant.Slug);
        for (var i = 0; i < 4; i++)
        {
            host.Clock.Advance(TimeSpan.FromMinutes(14));
            var refreshed = await RefreshAsync(session.RefreshToken);
            refreshed.StatusCode.ShouldBe(HttpStatusCode.OK);
            session = (await refreshed.Content.ReadFromJsonAsync<SwitchboardHost.Tokens>())!;
            (await StatusAsync(session)).ShouldBe(HttpStatusCode.OK);
        }

        host.Clock.Advance(TimeSpan.FromMinutes(5));

        (await StatusAsync(session)).ShouldBe(HttpStatusCode.Unauthorized);
        (await ReasonAsync(session)).ShouldBe("expired");
        (await RefreshAsync(session.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Removing_a_membership_ends_its_sessions_at_the_next_request_and_restoring_it_does_not_bring_them_back()
    {
        var tenant = await host.CreateTenantAsync("removed");
        var member = await SignInAsync(tenant.Email("agent"), Chrome, tenant.Slug);
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        var userUrl = $"/api/v1/users/{tenant.Users["agent"]}";

        (await admin.PatchAsJsonAsync(userUrl, new { isActive = false })).EnsureSuccessStatusCode();

        (await StatusAsync(member)).ShouldBe(HttpStatusCode.Unauthorized);
        (await ReasonAsync(member)).ShouldBe("membership-removed");
        (await admin.PatchAsJsonAsync(userUrl, new { isActive = true })).EnsureSuccessStatusCode();
        (await StatusAsync(member)).ShouldBe(HttpStatusCode.Unauthorized);
        (await RefreshAsync(member.RefreshToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_lowered_role_applies_on_the_next_request_without_ending_the_session()
    {
        var tenant = await host.CreateTenantAsync("lowered");
        var manager = await SignInAsync(tenant.Email("manager"), Chrome, tenant.Slug);
        using var managerClient = host.CreateClient(manager.AccessToken);
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        (await managerClient.GetAsync("/api/v1/users")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await admin.PatchAsJsonAsync($"/api/v1/users/{tenant.Users["manager"]}", new { role = "agent" })).EnsureSuccessStatusCode();

        (await managerClient.GetAsync("/api/v1/users")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await managerClient.GetFromJsonAsync<JsonElement>("/api/v1/auth/me")).GetProperty("role").GetString().ShouldBe("agent");
    }

    private async Task<TestTenant> TenantWithLimitsAsync(int? idleMinutes, int? maxHours)
    {
        var tenant = await host.CreateTenantAsync("limits");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        (await admin.PatchAsJsonAsync("/api/v1/tenants/current/security", new { sessionIdleMinutes = idleMinutes, sessionMaxHours = maxHours }))
            .EnsureSuccessStatusCode();
        return tenant;
    }

    private async Task<SwitchboardHost.Tokens> SignInAsync(string email, string userAgent, string? tenant = null)
    {
        using var anonymous = host.CreateClient();
        anonymous.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = SwitchboardHost.Password, tenant });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SwitchboardHost.Tokens>())!;
    }

    private async Task<HttpResponseMessage> RefreshAsync(string refreshToken)
    {
        using var anonymous = host.CreateClient();
        return await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken });
    }

    private async Task<HttpStatusCode> StatusAsync(SwitchboardHost.Tokens session)
    {
        using var client = host.CreateClient(session.AccessToken);
        return (await client.GetAsync("/api/v1/auth/me")).StatusCode;
    }

    private static async Task<List<JsonElement>> ListAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/sessions")).EnumerateArray().ToList();

    /// <summary>The session a pair of tokens belongs to, found by its refresh token's hash as the database owner.</summary>
    private Task<Guid> SessionIdAsync(SwitchboardHost.Tokens session) =>
        SessionColumnAsync<Guid>(session, "s.id");

    private Task<string?> ReasonAsync(SwitchboardHost.Tokens session) => SessionColumnAsync<string?>(session, "s.revoked_reason");

    private async Task<T> SessionColumnAsync<T>(SwitchboardHost.Tokens session, string column)
    {
        await using var conn = new NpgsqlConnection(host.Database.OwnerConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            $"select {column} from refresh_tokens r join user_sessions s on s.id = r.session_id where r.token_hash = $1", conn);
        SecretTokens.TryHash(session.RefreshToken, out var hash).ShouldBeTrue();
        cmd.Parameters.Add(new NpgsqlParameter { Value = hash });
        var value = await cmd.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }
}
