using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Switchboard.Platform.Cli;
using Switchboard.Platform.Database;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Switchboard.Testing;

/// <summary>
/// The real app on Kestrel (127.0.0.1, a free port) over its own database. Use as an xunit class fixture:
/// each test class gets an isolated database, so classes run in parallel and never share rows.
/// </summary>
public class SwitchboardHost : IAsyncLifetime
{
    public const string Password = "Test-harbor-lantern-47";
    public const string SuperadminEmail = "root@switchboard.test";

    private WebApplication? _app;

    public TestDatabase Database { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;
    public IServiceProvider Services => _app!.Services;

    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    /// <summary>Services a test adds to the app after the app's own registrations (e.g. job handlers).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public virtual async Task InitializeAsync()
    {
        Database = await TestCluster.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?>
        {
            [DatabaseConnections.RuntimeKey] = Database.RuntimeConnectionString,
            [DatabaseConnections.OwnerKey] = Database.OwnerConnectionString,
            // Reports, exports and search take the standby path (ADR 0070) on every test: here the "standby" is the
            // same server, which says it is not in recovery, so the path runs whole without waiting.
            [DatabaseConnections.StandbyKey] = Database.RuntimeConnectionString + ";Application Name=switchboard-reads",
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_LOG") ?? "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware"] = "None",
            ["Identity:PasswordHashIterations"] = "1000",
            ["Security:SignInAttemptsPerMinute"] = "100000",
            // The fake providers listen on loopback over http.
            ["Security:AllowPrivateNetworkUrls"] = "true",
        };
        foreach (var (key, value) in Unthrottled) settings[key] = value;
        foreach (var (key, value) in ExtraSettings) settings[key] = value;
        _app = Program.BuildApp([], settings, ConfigureServices);
        await _app.Services.GetRequiredService<DatabaseStartup>().RunAsync(CancellationToken.None);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        await Superadmins.EnsureAsync(_app.Services, SuperadminEmail, Password, CancellationToken.None);
    }

    public virtual async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            _app.Services.GetRequiredService<DatabaseConnections>().ClearPools();
            await _app.DisposeAsync();
        }
        await Database.DropAsync();
    }

    /// <summary>
    /// Tests make requests far faster than people (ADR 0046): huge API limits and no automatic blocks, except where a
    /// test class sets its own (ExtraSettings, or per tenant through the API).
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Unthrottled { get; } = new Dictionary<string, string?>
    {
        ["RateLimits:UserPerSecond"] = "10000",
        ["RateLimits:UserBurst"] = "100000",
        ["RateLimits:KeyPerSecond"] = "10000",
        ["RateLimits:KeyBurst"] = "100000",
        ["RateLimits:TenantPerSecond"] = "10000",
        ["RateLimits:TenantBurst"] = "100000",
        ["Security:AutoBlockStrikes"] = "0",
    };

    public HttpClient CreateClient(string? accessToken = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (accessToken is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>Signs in through the API and returns a client carrying the access token.</summary>
    public async Task<HttpClient> LoginAsync(string email, string? tenantSlug = null, string password = Password)
    {
        using var anonymous = CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password, tenant = tenantSlug });
        response.EnsureSuccessStatusCode();
        var tokens = await response.Content.ReadFromJsonAsync<Tokens>();
        return CreateClient(tokens!.AccessToken);
    }

    public Task<HttpClient> SuperadminAsync(string? tenantSlug = null) => LoginAsync(SuperadminEmail, tenantSlug);

    /// <summary>
    /// Creates a tenant (as superadmin) and one user per role in it, emails {role}@{slug}.test. The slug gets a
    /// random suffix so that tests sharing a fixture never collide.
    /// </summary>
    public async Task<TestTenant> CreateTenantAsync(string slugPrefix, string country = "US", string timeZone = "America/New_York")
    {
        var slug = $"{slugPrefix}-{Guid.NewGuid().ToString("N")[..6]}";
        using var root = await SuperadminAsync();
        var created = await root.PostAsJsonAsync("/api/v1/tenants", new { name = $"Tenant {slug}", slug, timeZone, currency = "USD", defaultCountry = country });
        created.EnsureSuccessStatusCode();
        var tenant = (await created.Content.ReadFromJsonAsync<IdOnly>())!;
        var users = new Dictionary<string, Guid>();
        foreach (var role in new[] { "admin", "manager", "agent", "readonly" })
            users[role] = await AddUserAsync(root, tenant.Id, $"{role}@{slug}.test", role);
        users["agent2"] = await AddUserAsync(root, tenant.Id, $"agent2@{slug}.test", "agent");
        return new TestTenant(tenant.Id, slug, users);
    }

    private static async Task<Guid> AddUserAsync(HttpClient root, Guid tenantId, string email, string role)
    {
        var response = await root.PostAsJsonAsync("/api/v1/users", new { email, firstName = role, lastName = "User", role, password = Password, tenantId });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IdOnly>())!.Id;
    }

    public sealed record Tokens(string AccessToken, string RefreshToken, int ExpiresIn, string TokenType, Guid? TenantId);

    private sealed record IdOnly(Guid Id);
}

/// <summary>A host with one tenant created up front and signed-in API clients per role, reused across a class's tests.</summary>
public class SwitchboardHostWithTenant : SwitchboardHost
{
    private readonly Dictionary<string, HttpClient> _clients = new();
    private readonly SemaphoreSlim _lock = new(1, 1);

    public TestTenant Tenant { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Tenant = await CreateTenantAsync("fixture");
    }

    /// <summary>A client signed in as the role ("superadmin" enters the fixture tenant). Do not dispose it or log it out.</summary>
    public async Task<HttpClient> As(string role)
    {
        await _lock.WaitAsync();
        try
        {
            if (!_clients.TryGetValue(role, out var client))
                _clients[role] = client = role == "superadmin" ? await SuperadminAsync(Tenant.Slug) : await LoginAsync(Tenant.Email(role));
            return client;
        }
        finally
        {
            _lock.Release();
        }
    }
}

public sealed record TestTenant(Guid Id, string Slug, IReadOnlyDictionary<string, Guid> Users)
{
    public string Email(string role) => $"{role}@{Slug}.test";
}
