using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Tenants;

public sealed class TenantsApiTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>, IAsyncLifetime
{
    private TestTenant _tenant = null!;

    public async Task InitializeAsync() => _tenant = await host.CreateTenantAsync(NewSlug("ten"));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Superadmin_creates_a_tenant()
    {
        using var root = await host.SuperadminAsync();
        var slug = NewSlug("acme");

        var response = await root.PostAsJsonAsync("/api/v1/tenants", ValidTenant(slug));

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var tenant = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = tenant.GetProperty("id").GetGuid();
        id.ShouldNotBe(Guid.Empty);
        tenant.GetProperty("slug").GetString().ShouldBe(slug);
        tenant.GetProperty("isActive").GetBoolean().ShouldBeTrue();
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/tenants/{id}");
    }

    [Fact]
    public async Task A_created_tenant_is_listed_for_the_superadmin()
    {
        using var root = await host.SuperadminAsync();
        var slug = NewSlug("listed");
        (await root.PostAsJsonAsync("/api/v1/tenants", ValidTenant(slug))).EnsureSuccessStatusCode();

        var tenants = await root.GetFromJsonAsync<JsonElement>("/api/v1/tenants?pageSize=200");

        tenants.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("slug").GetString()).ShouldContain(slug);
    }

    [Theory]
    [InlineData("slug", "Not A Slug")]
    [InlineData("slug", "-leading-hyphen")]
    [InlineData("timeZone", "Mars/Olympus_Mons")]
    [InlineData("timeZone", "EST")]
    [InlineData("currency", "ZZZ")]
    [InlineData("defaultCountry", "XX")]
    public async Task An_invalid_tenant_setting_is_a_400_naming_the_field(string field, string value)
    {
        using var root = await host.SuperadminAsync();
        var body = ValidTenant(NewSlug("bad"));
        body[field] = value;

        var response = await root.PostAsJsonAsync("/api/v1/tenants", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorFieldsAsync(response)).ShouldBe([field]);
    }

    [Fact]
    public async Task Every_invalid_tenant_setting_is_named_at_once()
    {
        using var root = await host.SuperadminAsync();

        var response = await root.PostAsJsonAsync("/api/v1/tenants",
            new { name = "Broken", slug = "Not A Slug", timeZone = "Nowhere/Never", currency = "ZZZ", defaultCountry = "XX" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorFieldsAsync(response)).ShouldBe(["slug", "timeZone", "currency", "defaultCountry"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_duplicate_slug_is_a_400_naming_slug()
    {
        using var root = await host.SuperadminAsync();

        var response = await root.PostAsJsonAsync("/api/v1/tenants", ValidTenant(_tenant.Slug));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorFieldsAsync(response)).ShouldBe(["slug"]);
    }

    [Fact]
    public async Task Renaming_a_tenant_to_a_taken_slug_is_a_400_naming_slug()
    {
        using var root = await host.SuperadminAsync();
        var other = await host.CreateTenantAsync(NewSlug("taken"));

        var response = await root.PatchAsJsonAsync($"/api/v1/tenants/{other.Id}", new { slug = _tenant.Slug });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorFieldsAsync(response)).ShouldBe(["slug"]);
    }

    [Fact]
    public async Task A_tenant_admin_cannot_list_tenants()
    {
        using var admin = await host.LoginAsync(_tenant.Email("admin"));

        var response = await admin.GetAsync("/api/v1/tenants");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_tenant_admin_cannot_create_a_tenant()
    {
        using var admin = await host.LoginAsync(_tenant.Email("admin"));

        var response = await admin.PostAsJsonAsync("/api/v1/tenants", ValidTenant(NewSlug("mine")));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_tenant_admin_cannot_change_their_own_tenant()
    {
        using var admin = await host.LoginAsync(_tenant.Email("admin"));

        var response = await admin.PatchAsJsonAsync($"/api/v1/tenants/{_tenant.Id}", new { name = "Taken over" });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_superadmin_creates_a_new_user_in_the_tenant()
    {
        using var admin = await host.SuperadminAsync(_tenant.Slug);
        var email = $"new@{_tenant.Slug}.test";

        var response = await admin.PostAsJsonAsync("/api/v1/users",
            new { email, firstName = "New", lastName = "Person", role = "agent", password = SwitchboardHost.Password });

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var user = await response.Content.ReadFromJsonAsync<JsonElement>();
        user.GetProperty("id").GetGuid().ShouldNotBe(Guid.Empty);
        user.GetProperty("email").GetString().ShouldBe(email);
        user.GetProperty("role").GetString().ShouldBe("agent");
    }

    [Fact]
    public async Task A_newly_added_user_can_sign_in_to_the_tenant()
    {
        using var admin = await host.SuperadminAsync(_tenant.Slug);
        var email = $"new@{_tenant.Slug}.test";
        (await admin.PostAsJsonAsync("/api/v1/users",
            new { email, firstName = "New", lastName = "Person", role = "agent", password = SwitchboardHost.Password })).EnsureSuccessStatusCode();

        using var newcomer = await host.LoginAsync(email);
        var me = await newcomer.GetFromJsonAsync<JsonElement>("/api/v1/auth/me");

        me.GetProperty("tenantId").GetGuid().ShouldBe(_tenant.Id);
        me.GetProperty("role").GetString().ShouldBe("agent");
    }

    [Fact]
    public async Task A_superadmin_adds_an_existing_account_to_a_second_tenant_with_its_own_role()
    {
        var second = await host.CreateTenantAsync(NewSlug("second"));
        using var secondAdmin = await host.SuperadminAsync(second.Slug);

        var response = await secondAdmin.PostAsJsonAsync("/api/v1/users", new { email = _tenant.Email("agent"), role = "manager" });

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var user = await response.Content.ReadFromJsonAsync<JsonElement>();
        user.GetProperty("id").GetGuid().ShouldBe(_tenant.Users["agent"]);
        user.GetProperty("role").GetString().ShouldBe("manager");
    }

    [Fact]
    public async Task A_user_in_two_tenants_has_each_tenants_role()
    {
        var second = await host.CreateTenantAsync(NewSlug("second"));
        using (var root = await host.SuperadminAsync(second.Slug))
            (await root.PostAsJsonAsync("/api/v1/users", new { email = _tenant.Email("agent"), role = "manager" })).EnsureSuccessStatusCode();

        using var inFirst = await host.LoginAsync(_tenant.Email("agent"), _tenant.Slug);
        using var inSecond = await host.LoginAsync(_tenant.Email("agent"), second.Slug);

        (await inFirst.GetFromJsonAsync<JsonElement>("/api/v1/auth/me")).GetProperty("role").GetString().ShouldBe("agent");
        (await inSecond.GetFromJsonAsync<JsonElement>("/api/v1/auth/me")).GetProperty("role").GetString().ShouldBe("manager");
    }

    [Fact]
    public async Task Adding_an_existing_member_again_is_a_409()
    {
        using var admin = await host.LoginAsync(_tenant.Email("admin"));

        var response = await admin.PostAsJsonAsync("/api/v1/users", new { email = _tenant.Email("agent"), role = "manager" });

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_weak_password_is_a_400_naming_password()
    {
        using var admin = await host.SuperadminAsync(_tenant.Slug);

        var response = await admin.PostAsJsonAsync("/api/v1/users",
            new { email = $"weak@{_tenant.Slug}.test", firstName = "Weak", lastName = "Password", role = "agent", password = "short" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorFieldsAsync(response)).ShouldBe(["password"]);
    }

    [Fact]
    public async Task A_user_refused_for_a_weak_password_is_not_created()
    {
        using var admin = await host.SuperadminAsync(_tenant.Slug);
        var email = $"weak@{_tenant.Slug}.test";
        await admin.PostAsJsonAsync("/api/v1/users", new { email, firstName = "Weak", lastName = "Password", role = "agent", password = "short" });

        var users = await admin.GetFromJsonAsync<JsonElement>("/api/v1/users?pageSize=200");

        users.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("email").GetString()).ShouldNotContain(email);
    }

    [Fact]
    public async Task An_admin_cannot_change_their_own_role()
    {
        using var admin = await host.LoginAsync(_tenant.Email("admin"));

        var response = await admin.PatchAsJsonAsync($"/api/v1/users/{_tenant.Users["admin"]}", new { role = "agent" });

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_admin_changes_another_members_role()
    {
        using var admin = await host.LoginAsync(_tenant.Email("admin"));

        var response = await admin.PatchAsJsonAsync($"/api/v1/users/{_tenant.Users["agent"]}", new { role = "manager" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("role").GetString().ShouldBe("manager");
    }

    [Theory]
    [InlineData("agent")]
    [InlineData("readonly")]
    [InlineData("manager")]
    public async Task Non_admins_cannot_add_users(string role)
    {
        using var member = await host.LoginAsync(_tenant.Email(role));

        var response = await member.PostAsJsonAsync("/api/v1/users",
            new { email = $"sneaky@{_tenant.Slug}.test", firstName = "Sneaky", lastName = "Person", role = "admin", password = SwitchboardHost.Password });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_tenant_admin_cannot_add_users_to_another_tenant()
    {
        var other = await host.CreateTenantAsync(NewSlug("other"));
        using var admin = await host.LoginAsync(_tenant.Email("admin"));

        var response = await admin.PostAsJsonAsync("/api/v1/users",
            new { email = $"sneaky@{other.Slug}.test", firstName = "Sneaky", lastName = "Person", role = "admin", password = SwitchboardHost.Password, tenantId = other.Id });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private static string NewSlug(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];

    private static Dictionary<string, object?> ValidTenant(string slug) => new()
    {
        ["name"] = $"Tenant {slug}",
        ["slug"] = slug,
        ["timeZone"] = "Europe/Berlin",
        ["currency"] = "EUR",
        ["defaultCountry"] = "DE",
    };

    private static async Task<IReadOnlyList<string>> ErrorFieldsAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.TryGetProperty("errors", out var errors)
            ? errors.EnumerateObject().Select(p => p.Name).ToList()
            : [];
    }
}
