using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Platform.Jobs;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform.Observability;

/// <summary>
/// Debian's prometheus scrapes a running Switchboard's /metrics on loopback every second; its query API then holds our
/// series: the request counter of a route that was called, the job queue's depth per kind, the sign-in failures
/// after a refused sign-in, and the live-page (SignalR) connections.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class PrometheusScrapeTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private static readonly TimeSpan Scraped = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Prometheus_scrapes_the_request_rate_per_route_the_job_queue_depth_sign_in_failures_and_live_connections()
    {
        var kind = "observability-probe-" + Guid.NewGuid().ToString("N")[..8];
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var queue = scope.ServiceProvider.GetRequiredService<JobQueue>();
            // Due in a day: no worker claims them, so they stay in the queue for the gauge to count.
            for (var i = 0; i < 3; i++)
                (await queue.EnqueueNowAsync(kind, new { probe = i }, tenantId: null, runAt: DateTimeOffset.UtcNow.AddDays(1))).ShouldBeTrue();
        }
        var admin = await host.As("admin");
        (await admin.GetAsync("/api/v1/leads")).EnsureSuccessStatusCode();
        using var anonymous = host.CreateClient();
        (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = host.Tenant.Email("agent"), password = "not-the-password-1" }))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var cookies = await FloorClient.SignInAsync(host.BaseAddress, host.Tenant.Email("agent"));
        await using var floor = await FloorClient.ConnectAsync(host.BaseAddress, cookies);

        await using var prometheus = await TestPrometheus.StartAsync(host.BaseAddress);

        var requests = await Until(prometheus, """sum(http_server_request_duration_seconds_count{http_route="/api/v1/leads/", http_request_method="GET", http_response_status_code="200"})""");
        requests.Single().Value.ShouldBeGreaterThanOrEqualTo(1);
        var depth = await Until(prometheus, $$"""switchboard_queue_depth{queue="job", kind="{{kind}}"}""");
        depth.Single().Value.ShouldBe(3);
        var failures = await Until(prometheus, """sum(switchboard_signin_failures_total{reason="wrong-password", method="password"})""");
        failures.Single().Value.ShouldBeGreaterThanOrEqualTo(1);
        // A live page's SignalR connection, the database pool's own meter (Npgsql) and the runtime's are scraped too.
        (await Until(prometheus, "sum(signalr_server_active_connections) >= 1")).ShouldNotBeEmpty();
        (await Until(prometheus, "db_client_connection_count")).ShouldNotBeEmpty();
        (await Until(prometheus, "dotnet_gc_collections_total")).ShouldNotBeEmpty();
    }

    private async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> Until(TestPrometheus prometheus, string promql)
    {
        try
        {
            return await Eventually.Until(() => prometheus.QueryAsync(promql), series => series.Count > 0, Scraped, $"prometheus to hold {promql}");
        }
        catch (TimeoutException e)
        {
            using var client = host.CreateClient();
            var ours = (await client.GetStringAsync("/metrics")).Split('\n').Where(l => l.StartsWith("switchboard_", StringComparison.Ordinal));
            var backlogError = host.Services.GetRequiredService<Switchboard.Platform.Observability.BacklogSnapshots>().LastError;
            throw new TimeoutException($"{e.Message}\nTargets: {await prometheus.TargetsAsync()}\nBacklog read error: {backlogError}\nOur series now: {string.Join('\n', ours)}", e);
        }
    }
}
