using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Protection;

/// <summary>
/// Two app instances on one database, as behind a load balancer, showing what ADR 0046 says: rate-limit buckets are per
/// instance (a client that empties its bucket on one is still served by the other), while IP blocks are shared — an
/// instance picks up a block made on another when its copy of the blocklist is <c>Security:IpBlocklistRefreshSeconds</c>
/// old. Both instances share one <see cref="FakeTimeProvider"/>, so the test moves that age, not the wall clock.
/// </summary>
public sealed class SeveralInstancesTests(SeveralInstancesTests.Host host) : IClassFixture<SeveralInstancesTests.Host>, IAsyncLifetime
{
    public sealed class Host : SwitchboardHostWithTenant
    {
        public const int RefreshSeconds = 10;

        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        public IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Security:IpBlocklistRefreshSeconds"] = RefreshSeconds.ToString(CultureInfo.InvariantCulture),
        };

        protected override IDictionary<string, string?> ExtraSettings => Settings;

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }

    private SecondInstance _second = null!;

    public async Task InitializeAsync() =>
        _second = await SecondInstance.StartAsync(host.Database, host.Settings, services => services.AddSingleton<TimeProvider>(host.Clock));

    public async Task DisposeAsync() => await _second.DisposeAsync();

    [Fact]
    public async Task Each_instance_keeps_its_own_buckets_so_a_client_refused_by_one_is_served_by_the_other()
    {
        var tenant = await host.CreateTenantAsync("multi-rl");
        using (var root = await host.SuperadminAsync())
            (await root.PatchAsJsonAsync($"/api/v1/tenants/{tenant.Id}/rate-limits", new { userPerSecond = 1, userBurst = 2 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var onFirst = await host.LoginAsync(tenant.Email("agent"));
        using var onSecond = new HttpClient { BaseAddress = _second.BaseAddress };
        onSecond.DefaultRequestHeaders.Authorization = onFirst.DefaultRequestHeaders.Authorization;

        HttpResponseMessage? refused = null;
        for (var i = 0; i < 50 && refused is null; i++)
            if (await onFirst.GetAsync("/api/v1/leads") is { StatusCode: HttpStatusCode.TooManyRequests } response) refused = response;
        var second = await onSecond.GetAsync("/api/v1/leads");

        refused.ShouldNotBeNull();
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.Headers.GetValues("RateLimit").Single().ShouldStartWith("\"user\";r=1;"); // a full bucket of 2, one taken
    }

    [Fact]
    public async Task A_block_made_on_one_instance_is_enforced_by_the_other_once_its_copy_is_refreshed()
    {
        const string Address = "198.51.100.150";
        using var viaSecond = new HttpClient { BaseAddress = _second.BaseAddress };
        viaSecond.DefaultRequestHeaders.Add("X-Forwarded-For", Address);
        (await viaSecond.GetAsync("/signin")).StatusCode.ShouldBe(HttpStatusCode.OK); // the second instance has read the blocklist

        using var root = await host.SuperadminAsync();
        var created = await root.PostAsJsonAsync("/api/v1/ip-blocks", new { network = Address, reason = "Seen on the first instance" });
        using var viaFirst = host.CreateClient();
        viaFirst.DefaultRequestHeaders.Add("X-Forwarded-For", Address);
        var first = await viaFirst.GetAsync("/signin");
        var secondBefore = await viaSecond.GetAsync("/signin");
        host.Clock.Advance(TimeSpan.FromSeconds(Host.RefreshSeconds));
        var secondAfter = await viaSecond.GetAsync("/signin");

        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        first.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        secondBefore.StatusCode.ShouldBe(HttpStatusCode.OK); // its copy is younger than the refresh interval
        secondAfter.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await root.DeleteAsync($"/api/v1/ip-blocks/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        host.Clock.Advance(TimeSpan.FromSeconds(Host.RefreshSeconds));
        (await viaSecond.GetAsync("/signin")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
