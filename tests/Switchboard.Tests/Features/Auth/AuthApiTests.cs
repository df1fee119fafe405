using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Auth;

public sealed class AuthApiTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>, IAsyncLifetime
{
    private TestTenant _tenant = null!;

    public async Task InitializeAsync() => _tenant = await host.CreateTenantAsync(NewSlug("auth"));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Login_returns_an_access_token_a_refresh_token_and_the_tenant()
    {
        using var anonymous = host.CreateClient();

        var response = await LoginAsync(anonymous, _tenant.Email("agent"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("accessToken").GetString().ShouldNotBeNullOrWhiteSpace();
        body.GetProperty("refreshToken").GetString().ShouldNotBeNullOrWhiteSpace();
        body.GetProperty("expiresIn").GetInt32().ShouldBeGreaterThan(0);
        body.GetProperty("tokenType").GetString().ShouldBe("Bearer");
        body.GetProperty("tenantId").GetGuid().ShouldBe(_tenant.Id);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_email_get_the_same_401_body()
    {
        using var anonymous = host.CreateClient();

        var wrongPassword = await LoginAsync(anonymous, _tenant.Email("agent"), password: "Not-the-password-1");
        var unknownEmail = await LoginAsync(anonymous, $"nobody@{_tenant.Slug}.test");

        wrongPassword.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        unknownEmail.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var wrongPasswordBytes = await wrongPassword.Content.ReadAsByteArrayAsync();
        var unknownEmailBytes = await unknownEmail.Content.ReadAsByteArrayAsync();
        wrongPasswordBytes.ShouldNotBeEmpty();
        wrongPasswordBytes.ShouldBe(unknownEmailBytes);
    }

    [Fact]
    public async Task Login_with_a_tenant_slug_signs_in_to_that_tenant()
    {
        var second = await host.CreateTenantAsync(NewSlug("auth2"));
        await AddMemberAsync(second, _tenant.Email("agent"), "manager");
        using var anonymous = host.CreateClient();

        var response = await LoginAsync(anonymous, _tenant.Email("agent"), tenant: second.Slug);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var tokens = await response.Content.ReadFromJsonAsync<SwitchboardHost.Tokens>();
        tokens!.TenantId.ShouldBe(second.Id);
    }

    [Fact]
    public async Task Login_with_the_slug_of_a_tenant_the_user_does_not_belong_to_is_forbidden()
    {
        var other = await host.CreateTenantAsync(NewSlug("other"));
        using var anonymous = host.CreateClient();

        var response = await LoginAsync(anonymous, _tenant.Email("agent"), tenant: other.Slug);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Refresh_returns_a_new_pair_for_the_same_tenant()
    {
        using var anonymous = host.CreateClient();
        var first = await TokensAsync(anonymous, _tenant.Email("agent"));

        var response = await RefreshAsync(anonymous, first.RefreshToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var second = await response.Content.ReadFromJsonAsync<SwitchboardHost.Tokens>();
        second!.RefreshToken.ShouldNotBe(first.RefreshToken);
        second.AccessToken.ShouldNotBeNullOrWhiteSpace();
        second.TenantId.ShouldBe(_tenant.Id);
        using var refreshed = host.CreateClient(second.AccessToken);
        (await refreshed.GetAsync("/api/v1/leads")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_refresh_token_works_only_once()
    {
        using var anonymous = host.CreateClient();
        var first = await TokensAsync(anonymous, _tenant.Email("agent"));
        (await RefreshAsync(anonymous, first.RefreshToken)).EnsureSuccessStatusCode();

        var reused = await RefreshAsync(anonymous, first.RefreshToken);

        reused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Reusing_an_old_refresh_token_revokes_the_session_so_the_newer_refresh_token_fails_too()
    {
        using var anonymous = host.CreateClient();
        var first = await TokensAsync(anonymous, _tenant.Email("agent"));
        var second = (await (await RefreshAsync(anonymous, first.RefreshToken)).Content.ReadFromJsonAsync<SwitchboardHost.Tokens>())!;
        await RefreshAsync(anonymous, first.RefreshToken);

        var newer = await RefreshAsync(anonymous, second.RefreshToken);

        newer.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Reusing_an_old_refresh_token_also_ends_the_sessions_access_token()
    {
        using var anonymous = host.CreateClient();
        var first = await TokensAsync(anonymous, _tenant.Email("agent"));
        var second = (await (await RefreshAsync(anonymous, first.RefreshToken)).Content.ReadFromJsonAsync<SwitchboardHost.Tokens>())!;
        await RefreshAsync(anonymous, first.RefreshToken);
        using var client = host.CreateClient(second.AccessToken);

        var response = await client.GetAsync("/api/v1/leads");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Concurrent_redemptions_of_one_refresh_token_yield_at_most_one_new_pair()
    {
        using var anonymous = host.CreateClient();
        var tokens = await TokensAsync(anonymous, _tenant.Email("agent"));

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => RefreshAsync(anonymous, tokens.RefreshToken)));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBeLessThanOrEqualTo(1);
    }

    [Fact]
    public async Task Logout_returns_204()
    {
        using var anonymous = host.CreateClient();
        var tokens = await TokensAsync(anonymous, _tenant.Email("agent"));
        using var client = host.CreateClient(tokens.AccessToken);

        var response = await client.PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = tokens.RefreshToken });

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task After_logout_the_access_token_is_rejected()
    {
        using var anonymous = host.CreateClient();
        var tokens = await TokensAsync(anonymous, _tenant.Email("agent"));
        using var client = host.CreateClient(tokens.AccessToken);
        (await client.PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = tokens.RefreshToken })).EnsureSuccessStatusCode();

        var response = await client.GetAsync("/api/v1/leads");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task After_logout_the_refresh_token_is_rejected()
    {
        using var anonymous = host.CreateClient();
        var tokens = await TokensAsync(anonymous, _tenant.Email("agent"));
        using var client = host.CreateClient(tokens.AccessToken);
        (await client.PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = tokens.RefreshToken })).EnsureSuccessStatusCode();

        var response = await RefreshAsync(anonymous, tokens.RefreshToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logout_without_a_body_ends_the_session()
    {
        using var anonymous = host.CreateClient();
        var tokens = await TokensAsync(anonymous, _tenant.Email("agent"));
        using var client = host.CreateClient(tokens.AccessToken);
        (await client.PostAsync("/api/v1/auth/logout", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var response = await RefreshAsync(anonymous, tokens.RefreshToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Switching_tenant_returns_tokens_for_that_tenant()
    {
        var second = await host.CreateTenantAsync(NewSlug("switch"));
        await AddMemberAsync(second, _tenant.Email("manager"), "manager");
        using var client = await host.LoginAsync(_tenant.Email("manager"), _tenant.Slug);

        var response = await client.PostAsJsonAsync("/api/v1/auth/switch-tenant", new { tenantId = second.Id });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var tokens = await response.Content.ReadFromJsonAsync<SwitchboardHost.Tokens>();
        tokens!.TenantId.ShouldBe(second.Id);
        tokens.RefreshToken.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task After_switching_tenant_the_leads_list_shows_the_new_tenants_leads()
    {
        var second = await host.CreateTenantAsync(NewSlug("switch"));
        await AddMemberAsync(second, _tenant.Email("manager"), "manager");
        await CreateLeadAsync(_tenant, "FirstTenantLead");
        await CreateLeadAsync(second, "SecondTenantLead");
        using var client = await host.LoginAsync(_tenant.Email("manager"), _tenant.Slug);
        var switched = await client.PostAsJsonAsync("/api/v1/auth/switch-tenant", new { tenantId = second.Id });
        var tokens = (await switched.Content.ReadFromJsonAsync<SwitchboardHost.Tokens>())!;
        using var inSecond = host.CreateClient(tokens.AccessToken);

        var list = await inSecond.GetFromJsonAsync<JsonElement>("/api/v1/leads");

        var lastNames = list.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("lastName").GetString()).ToList();
        lastNames.ShouldBe(["SecondTenantLead"]);
    }

    [Fact]
    public async Task Switching_tenant_ends_the_previous_session()
    {
        var second = await host.CreateTenantAsync(NewSlug("switch"));
        await AddMemberAsync(second, _tenant.Email("manager"), "manager");
        using var client = await host.LoginAsync(_tenant.Email("manager"), _tenant.Slug);
        (await client.PostAsJsonAsync("/api/v1/auth/switch-tenant", new { tenantId = second.Id })).EnsureSuccessStatusCode();

        var response = await client.GetAsync("/api/v1/leads");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logging_out_with_another_users_refresh_token_is_forbidden()
    {
        using var anonymous = host.CreateClient();
        var victim = await TokensAsync(anonymous, _tenant.Email("agent2"));
        using var agent = await host.LoginAsync(_tenant.Email("agent"));

        var response = await agent.PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = victim.RefreshToken });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Switching_to_a_tenant_the_user_does_not_belong_to_is_forbidden()
    {
        var other = await host.CreateTenantAsync(NewSlug("other"));
        using var client = await host.LoginAsync(_tenant.Email("admin"));

        var response = await client.PostAsJsonAsync("/api/v1/auth/switch-tenant", new { tenantId = other.Id });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Existing_tokens_of_a_deactivated_tenant_are_refused_with_a_deactivated_message()
    {
        using var agent = await host.LoginAsync(_tenant.Email("agent"));
        await SetTenantActiveAsync(false);

        var response = await agent.GetAsync("/api/v1/leads");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("deactivated");
    }

    [Fact]
    public async Task Users_of_a_deactivated_tenant_cannot_log_in()
    {
        await SetTenantActiveAsync(false);
        using var anonymous = host.CreateClient();

        var response = await LoginAsync(anonymous, _tenant.Email("agent"));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("deactivated");
    }

    [Fact]
    public async Task Refresh_tokens_of_a_deactivated_tenant_are_refused()
    {
        using var anonymous = host.CreateClient();
        var tokens = await TokensAsync(anonymous, _tenant.Email("agent"));
        await SetTenantActiveAsync(false);

        var response = await RefreshAsync(anonymous, tokens.RefreshToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Reactivating_a_tenant_restores_existing_tokens()
    {
        using var agent = await host.LoginAsync(_tenant.Email("agent"));
        await SetTenantActiveAsync(false);
        await SetTenantActiveAsync(true);

        var response = await agent.GetAsync("/api/v1/leads");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Reactivating_a_tenant_lets_its_users_log_in_again()
    {
        await SetTenantActiveAsync(false);
        await SetTenantActiveAsync(true);
        using var anonymous = host.CreateClient();

        var response = await LoginAsync(anonymous, _tenant.Email("agent"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_so_the_right_password_is_refused()
    {
        using var anonymous = host.CreateClient();
        for (var attempt = 0; attempt < 5; attempt++)
            (await LoginAsync(anonymous, _tenant.Email("agent"), password: "Wrong-password-" + attempt)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var response = await LoginAsync(anonymous, _tenant.Email("agent"));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Four_wrong_passwords_do_not_lock_the_account()
    {
        using var anonymous = host.CreateClient();
        for (var attempt = 0; attempt < 4; attempt++)
            await LoginAsync(anonymous, _tenant.Email("agent"), password: "Wrong-password-" + attempt);

        var response = await LoginAsync(anonymous, _tenant.Email("agent"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_deactivated_membership_ends_the_users_session_so_its_token_is_refused()
    {
        using var agent = await host.LoginAsync(_tenant.Email("agent"));
        using var admin = await host.LoginAsync(_tenant.Email("admin"));
        (await admin.PatchAsJsonAsync($"/api/v1/users/{_tenant.Users["agent"]}", new { isActive = false })).EnsureSuccessStatusCode();

        var response = await agent.GetAsync("/api/v1/leads");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_successful_sign_in_is_in_the_tenants_audit_log()
    {
        using var anonymous = host.CreateClient();
        (await LoginAsync(anonymous, _tenant.Email("agent"))).EnsureSuccessStatusCode();
        using var admin = await host.LoginAsync(_tenant.Email("admin"));

        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=user.signed-in&entity=user&pageSize=200");

        Entries(audit).ShouldContain(("user.signed-in", _tenant.Users["agent"].ToString()));
    }

    [Fact]
    public async Task A_failed_sign_in_is_in_the_tenants_audit_log()
    {
        using var anonymous = host.CreateClient();
        (await LoginAsync(anonymous, _tenant.Email("agent"), password: "Wrong-password-1")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var admin = await host.LoginAsync(_tenant.Email("admin"));

        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=user.sign-in-failed&entity=user&pageSize=200");

        Entries(audit).ShouldContain(("user.sign-in-failed", _tenant.Users["agent"].ToString()));
    }

    private static string NewSlug(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];

    private static Task<HttpResponseMessage> LoginAsync(HttpClient client, string email, string? tenant = null, string password = SwitchboardHost.Password) =>
        client.PostAsJsonAsync("/api/v1/auth/login", new { email, password, tenant });

    private static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string refreshToken) =>
        client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken });

    private static async Task<SwitchboardHost.Tokens> TokensAsync(HttpClient client, string email)
    {
        var response = await LoginAsync(client, email);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SwitchboardHost.Tokens>())!;
    }

    private async Task AddMemberAsync(TestTenant tenant, string email, string role)
    {
        using var root = await host.SuperadminAsync(tenant.Slug);
        (await root.PostAsJsonAsync("/api/v1/users", new { email, role })).EnsureSuccessStatusCode();
    }

    private async Task CreateLeadAsync(TestTenant tenant, string lastName)
    {
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        (await admin.PostAsJsonAsync("/api/v1/leads", new { firstName = "Lead", lastName })).EnsureSuccessStatusCode();
    }

    private async Task SetTenantActiveAsync(bool isActive)
    {
        using var root = await host.SuperadminAsync();
        (await root.PatchAsJsonAsync($"/api/v1/tenants/{_tenant.Id}", new { isActive })).EnsureSuccessStatusCode();
    }

    private static List<(string?, string?)> Entries(JsonElement page) =>
        page.GetProperty("items").EnumerateArray()
            .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("entityId").GetString()))
            .ToList();
}
