using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Testing;
using static Switchboard.Tests.Features.ApiKeys.ApiKeyClients;

namespace Switchboard.Tests.Features.ApiKeys;

/// <summary>A key's expiry and its last use, on a <see cref="FakeTimeProvider"/>: time moves only when a test advances it.</summary>
public sealed class ApiKeyClockTests(ApiKeyClockTests.Host host) : IClassFixture<ApiKeyClockTests.Host>
{
    public sealed class Host : SwitchboardHostWithTenant
    {
        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }

    [Fact]
    public async Task A_key_works_until_its_expiry_and_is_refused_from_then_on()
    {
        using var admin = await host.LoginAsync(host.Tenant.Email("admin"));
        var expiresAt = host.Clock.GetUtcNow().AddMinutes(5);
        var key = await CreateAsync(admin, new { name = "Short-lived", role = "readonly", expiresAt });
        using var integration = host.With(key.Key);
        (await integration.GetAsync("/api/v1/leads")).StatusCode.ShouldBe(HttpStatusCode.OK);

        host.Clock.Advance(TimeSpan.FromMinutes(5));

        (await DetailAsync(await integration.GetAsync("/api/v1/leads"), HttpStatusCode.Unauthorized)).ShouldContain("'Short-lived' expired");
        using var again = await host.LoginAsync(host.Tenant.Email("admin"));
        (await ListedAsync(again, key.Id)).GetProperty("status").GetString().ShouldBe("expired");
    }

    [Fact]
    public async Task The_last_use_is_recorded_at_most_once_a_minute()
    {
        using var admin = await host.LoginAsync(host.Tenant.Email("admin"));
        var key = await CreateAsync(admin, new { name = "Busy", role = "readonly" });
        (await ListedAsync(admin, key.Id)).GetProperty("lastUsedAt").ValueKind.ShouldBe(JsonValueKind.Null);
        var first = host.Clock.GetUtcNow();

        using (var fromA = host.With(key.Key, forwardedFor: "203.0.113.10")) (await fromA.GetAsync("/api/v1/leads")).EnsureSuccessStatusCode();
        host.Clock.Advance(TimeSpan.FromSeconds(30));
        using (var fromB = host.With(key.Key, forwardedFor: "203.0.113.20")) (await fromB.GetAsync("/api/v1/leads")).EnsureSuccessStatusCode();
        var withinTheMinute = await ListedAsync(admin, key.Id);
        host.Clock.Advance(TimeSpan.FromSeconds(31));
        using (var fromC = host.With(key.Key, forwardedFor: "203.0.113.30")) (await fromC.GetAsync("/api/v1/leads")).EnsureSuccessStatusCode();
        var afterIt = await ListedAsync(admin, key.Id);

        (withinTheMinute.GetProperty("lastUsedAt").GetDateTimeOffset(), withinTheMinute.GetProperty("lastUsedIp").GetString()).ShouldBe((first, "203.0.113.10"));
        (afterIt.GetProperty("lastUsedAt").GetDateTimeOffset(), afterIt.GetProperty("lastUsedIp").GetString()).ShouldBe((first.AddSeconds(61), "203.0.113.30"));
    }

    [Fact]
    public async Task An_expired_key_is_refused_by_the_mcp_endpoint_as_by_the_api()
    {
        using var admin = await host.LoginAsync(host.Tenant.Email("admin"));
        var key = await CreateAsync(admin, new { name = "Agent tools", role = "agent", expiresAt = host.Clock.GetUtcNow().AddMinutes(5) });
        using var integration = host.With(key.Key);
        (await integration.SendAsync(McpInitialize())).StatusCode.ShouldBe(HttpStatusCode.OK);

        host.Clock.Advance(TimeSpan.FromMinutes(5));

        (await DetailAsync(await integration.SendAsync(McpInitialize()), HttpStatusCode.Unauthorized)).ShouldContain("'Agent tools' expired");
    }

    private static HttpRequestMessage McpInitialize()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = JsonContent.Create(new
            {
                jsonrpc = "2.0", id = 1, method = "initialize",
                @params = new { protocolVersion = "2025-06-18", capabilities = new { }, clientInfo = new { name = "raw", version = "1" } },
            }),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return request;
    }

    private static async Task<JsonElement> ListedAsync(HttpClient admin, Guid id) =>
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/api-keys")).EnumerateArray().Single(k => k.GetProperty("id").GetGuid() == id);
}
