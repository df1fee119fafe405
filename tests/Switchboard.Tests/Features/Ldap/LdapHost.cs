using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Ldap;

/// <summary>The app beside a real slapd (<see cref="TestSlapd"/>), shared by a class's tests; each test makes its own tenant and directory people.</summary>
public sealed class LdapHost : SwitchboardHost
{
    public const string Url = "/api/v1/tenants/current/ldap";
    public const string DirectoryPassword = "Directory-orchard-58";

    public TestSlapd Directory { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Directory = await TestSlapd.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Directory.DisposeAsync();
    }

    /// <summary>A configuration that finds people by mail under ou=people with the service account, over <paramref name="security"/>, trusting the test CA.</summary>
    public object Settings(string security = "ldaps", string groupSource = "none", object[]? groupRoles = null, bool jit = false,
        string? filter = "(mail={email})", string? caCertificate = "", Guid? breakGlass = null) => new
    {
        enabled = true, host = "127.0.0.1", port = security == "ldaps" ? Directory.LdapsPort : Directory.LdapPort, security,
        caCertificate = caCertificate == "" ? Directory.CaPem : caCertificate,
        searchBase = TestSlapd.People, searchFilter = filter, bindDn = TestSlapd.ServiceDn, bindPassword = TestSlapd.ServicePassword,
        groupSource, groupSearchBase = groupSource == "group-search" ? TestSlapd.Groups : null, groupRoles = groupRoles ?? [],
        jitProvisioning = jit, defaultRole = "agent", breakGlassUserId = breakGlass,
    };

    public async Task PutAsync(HttpClient admin, object settings)
    {
        var response = await admin.PutAsJsonAsync(Url, settings);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"PUT ldap: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<HttpResponseMessage> SignInAsync(string email, string password, string? tenant = null)
    {
        using var anonymous = CreateClient();
        return await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password, tenant });
    }

    /// <summary>The role the signed-in person has in the tenant they entered.</summary>
    public async Task<string?> RoleAfterSignInAsync(HttpResponseMessage signedIn)
    {
        signedIn.EnsureSuccessStatusCode();
        var tokens = await signedIn.Content.ReadFromJsonAsync<Tokens>();
        using var client = CreateClient(tokens!.AccessToken);
        return (await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/me")).GetProperty("role").GetString();
    }

    /// <summary>The tenant's audit rows of <paramref name="action"/>, newest first, as (entity id, changes).</summary>
    public static async Task<List<JsonElement>> AuditAsync(HttpClient admin, string action) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?action={action}&pageSize=200")).GetProperty("items").EnumerateArray().ToList();
}
