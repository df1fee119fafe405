using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using static Switchboard.Tests.Features.ApiKeys.ApiKeyClients;

namespace Switchboard.Tests.Features.ApiKeys;

/// <summary>
/// What a key may call (ADR 0043): scopes as a matrix of scope × endpoint (GET reads, other methods write, write
/// includes read, endpoints outside the scopes' entities 403), keys with a role acting as that role, endpoints no key
/// may call, and the IP allowlist.
/// </summary>
public sealed class ApiKeyAccessTests(ApiKeyAccessTests.Host host) : IClassFixture<ApiKeyAccessTests.Host>
{
    /// <summary>The fixture tenant with one key per scope list or role, made once by its administrator.</summary>
    public sealed class Host : SwitchboardHostWithTenant
    {
        private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _keys = new();

        /// <summary>A key for "role:manager" or for a comma-separated scope list such as "leads:read,contacts:write".</summary>
        public Task<string> KeyAsync(string grant) => _keys.GetOrAdd(grant, g => new Lazy<Task<string>>(async () =>
        {
            var admin = await As("admin");
            var name = g.Length <= 100 ? g : "every scope";
            object body = g.StartsWith("role:", StringComparison.Ordinal) ? new { name, role = g[5..] } : new { name, scopes = g.Split(',') };
            return (await CreateAsync(admin, body)).Key;
        })).Value;
    }

    private const string AllScopes = "leads:write,contacts:write,accounts:write,opportunities:write,activities:write,calls:write,imports:write,webhooks:write";

    /// <summary>Scopes, method, path, and whether the key may call it (true: a 2xx answer; false: 403).</summary>
    public static TheoryData<string, string, string, bool> ScopeMatrix => new()
    {
        { "leads:read", "GET", "/api/v1/leads", true },
        { "leads:read", "POST", "/api/v1/leads", false },
        { "leads:write", "POST", "/api/v1/leads", true },
        { "leads:write", "GET", "/api/v1/leads", true },
        { "leads:write", "GET", "/api/v1/contacts", false },
        { "contacts:read", "GET", "/api/v1/contacts", true },
        { "contacts:read", "POST", "/api/v1/contacts", false },
        { "contacts:write", "POST", "/api/v1/contacts", true },
        { "contacts:write", "POST", "/api/v1/accounts", false },
        { "accounts:read", "GET", "/api/v1/accounts", true },
        { "accounts:read", "POST", "/api/v1/accounts", false },
        { "accounts:write", "POST", "/api/v1/accounts", true },
        { "opportunities:read", "GET", "/api/v1/opportunities", true },
        { "opportunities:read", "GET", "/api/v1/pipelines", true },
        { "opportunities:read", "GET", "/api/v1/leads", false },
        { "activities:read", "GET", "/api/v1/activities", true },
        { "activities:read", "GET", "/api/v1/notes", true },
        { "activities:read", "POST", "/api/v1/activities", false },
        { "activities:write", "POST", "/api/v1/activities", true },
        { "calls:read", "GET", "/api/v1/calls", true },
        { "calls:read", "GET", "/api/v1/activities", false },
        { "imports:read", "GET", "/api/v1/imports", true },
        { "imports:read", "GET", "/api/v1/calls", false },
        { "leads:read,calls:read", "GET", "/api/v1/calls", true },
        { "webhooks:write", "GET", "/api/v1/leads", false },
        { AllScopes, "GET", "/api/v1/users", false },
        { AllScopes, "GET", "/api/v1/audit", false },
        { AllScopes, "GET", "/api/v1/custom-fields", false },
        { AllScopes, "GET", "/api/v1/telephony/providers", false },
        { AllScopes, "GET", "/api/v1/calling/settings", false },
        { AllScopes, "GET", "/api/v1/search?q=acme", false },
        { AllScopes, "GET", "/api/v1/dispositions", false },
        { AllScopes, "GET", "/api/v1/tenants", false },
        { AllScopes, "GET", "/api/v1/api-keys", false },
        { AllScopes, "GET", "/api/v1/auth/me", false },
        { AllScopes, "GET", "/api/v1/dialer/queues", false },
    };

    [Theory]
    [MemberData(nameof(ScopeMatrix))]
    public async Task A_scoped_key_calls_only_the_endpoints_its_scopes_allow(string scopes, string method, string path, bool allowed)
    {
        using var client = host.With(await host.KeyAsync(scopes));

        var response = await client.SendAsync(Request(method, path));

        if (allowed) response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
        else await DetailAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_scoped_key_is_told_which_scope_it_lacks()
    {
        using var client = host.With(await host.KeyAsync("leads:read"));

        (await DetailAsync(await client.SendAsync(Request("POST", "/api/v1/leads")), HttpStatusCode.Forbidden)).ShouldBe("This API key lacks the scope leads:write.");
    }

    /// <summary>Role, method, path, and the status a key with that role gets.</summary>
    public static TheoryData<string, string, string, int> RoleMatrix => new()
    {
        { "readonly", "GET", "/api/v1/leads", 200 },
        { "readonly", "POST", "/api/v1/leads", 403 },
        { "manager", "POST", "/api/v1/leads", 201 },
        { "manager", "GET", "/api/v1/users", 200 },
        { "manager", "PUT", "/api/v1/telephony/providers/simulator", 403 },
        { "admin", "GET", "/api/v1/users", 200 },
        { "admin", "GET", "/api/v1/audit", 200 },
        { "admin", "GET", "/api/v1/custom-fields", 200 },
        { "admin", "GET", "/api/v1/api-keys", 403 },
        { "admin", "POST", "/api/v1/api-keys", 403 },
        { "admin", "GET", "/api/v1/auth/me", 403 },
        { "admin", "POST", "/api/v1/auth/logout", 403 },
        { "admin", "GET", "/api/v1/tenants", 403 },
        { "admin", "GET", "/api/v1/tenants/current/security", 403 },
        { "admin", "GET", "/api/v1/dialer/queues", 403 },
        { "admin", "GET", "/api/v1/presence", 403 },
        { "admin", "GET", "/api/v1/home", 403 },
    };

    [Theory]
    [MemberData(nameof(RoleMatrix))]
    public async Task A_key_with_a_role_acts_as_that_role_but_never_manages_keys_signs_in_or_works_a_desk(string role, string method, string path, int status)
    {
        using var client = host.With(await host.KeyAsync("role:" + role));

        var response = await client.SendAsync(Request(method, path));

        ((int)response.StatusCode).ShouldBe(status, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_manager_key_cannot_delete_a_lead_and_an_admin_key_can()
    {
        using var manager = host.With(await host.KeyAsync("role:manager"));
        using var admin = host.With(await host.KeyAsync("role:admin"));
        var lead = (await (await manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Doomed" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        (await manager.DeleteAsync($"/api/v1/leads/{lead}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.DeleteAsync($"/api/v1/leads/{lead}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Theory]
    [InlineData("203.0.113.0/24", "203.0.113.77", true)]
    [InlineData("203.0.113.0/24", "198.51.100.7", false)]
    [InlineData("198.51.100.7", "198.51.100.7", true)]
    [InlineData("2001:db8::/32", "2001:db8:1::5", true)]
    [InlineData("2001:db8::/32", "2001:db9::5", false)]
    [InlineData("2001:db8::/32", "203.0.113.77", false)]
    public async Task A_key_with_an_IP_allowlist_works_only_from_inside_it(string block, string caller, bool allowed)
    {
        var admin = await host.As("admin");
        var key = await CreateAsync(admin, new { name = "Office only", role = "readonly", allowedIps = new[] { block } });
        using var client = host.With(key.Key, forwardedFor: caller);

        var response = await client.GetAsync("/api/v1/leads");

        if (allowed) response.StatusCode.ShouldBe(HttpStatusCode.OK);
        else (await DetailAsync(response, HttpStatusCode.Unauthorized)).ShouldContain($"may not be used from {caller}");
    }

    [Fact]
    public async Task The_allowlist_is_stored_in_canonical_form()
    {
        var admin = await host.As("admin");
        var key = await CreateAsync(admin, new { name = "Canonical", role = "readonly", allowedIps = new[] { " 203.0.113.5 ", "2001:DB8::/32" } });

        var listed = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/api-keys")).EnumerateArray().Single(k => k.GetProperty("id").GetGuid() == key.Id);

        listed.GetProperty("allowedIps").EnumerateArray().Select(e => e.GetString()).ShouldBe(["203.0.113.5/32", "2001:db8::/32"]);
    }

    private static HttpRequestMessage Request(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "PATCH") request.Content = JsonContent.Create(BodyFor(path));
        return request;
    }

    /// <summary>A body the endpoint accepts, so an allowed write answers 2xx rather than 400.</summary>
    private static object BodyFor(string path) => path switch
    {
        "/api/v1/leads" => new { lastName = "Matrix" },
        "/api/v1/contacts" => new { lastName = "Matrix" },
        "/api/v1/accounts" => new { name = "Matrix Inc" },
        "/api/v1/activities" => new { type = "task", subject = "Follow up" },
        "/api/v1/api-keys" => new { name = "Minted", role = "admin" },
        _ => new { },
    };
}
