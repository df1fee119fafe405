using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Switchboard.Features.Imports;
using Switchboard.Platform.Jobs;
using Switchboard.Testing;
using Xunit.Abstractions;

namespace Switchboard.Tests.Platform.ScaleOut;

/// <summary>
/// Three app instances on one database behind Debian's nginx running the shipped deploy/nginx/switchboard.conf over
/// HTTPS (ADR 0068): what the instances share through PostgreSQL (sessions, Data Protection keys, live events, the job
/// queue) works across them, and what they keep to themselves (rate-limit buckets) behaves as docs/ADMIN.md says.
/// </summary>
[Collection(ThreeInstancesCollection.Name)]
public sealed class ThreeInstancesTests(ThreeInstancesHost host, ITestOutputHelper output)
{

    [Fact]
    public async Task Plain_http_is_redirected_to_https_by_nginx()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.Nginx.Http };

        var response = await http.GetAsync("/signin?x=1");

        response.StatusCode.ShouldBe(HttpStatusCode.MovedPermanently);
        response.Headers.Location.ShouldBe(new Uri($"https://127.0.0.1:{host.Nginx.HttpsPort}/signin?x=1"));
    }

    [Fact]
    public async Task A_user_signed_in_through_nginx_is_signed_in_on_every_instance()
    {
        var cookies = await FloorClient.SignInAsync(host.Nginx.Https, host.Tenant.Email("manager"), trustedCertificate: host.Nginx.Certificate);
        var session = cookies.GetCookies(host.Nginx.Https)["switchboard"]!;
        session.Secure.ShouldBeTrue(); // the app saw X-Forwarded-Proto: https from nginx
        using var nginx = host.Nginx.CreateClient();
        var login = await nginx.PostAsJsonAsync("/api/v1/auth/login", new { email = host.Tenant.Email("agent"), password = SwitchboardHost.Password });
        login.StatusCode.ShouldBe(HttpStatusCode.OK);
        var token = (await login.Content.ReadFromJsonAsync<SwitchboardHost.Tokens>())!.AccessToken;

        foreach (var instance in host.Instances)
        {
            using var direct = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = instance.BaseAddress };
            using var page = new HttpRequestMessage(HttpMethod.Get, "/leads");
            page.Headers.Add("Cookie", $"{session.Name}={session.Value}");
            var pageResponse = await direct.SendAsync(page);
            pageResponse.StatusCode.ShouldBe(HttpStatusCode.OK, $"the web session cookie on {instance.BaseAddress}");

            using var api = new HttpRequestMessage(HttpMethod.Get, "/api/v1/leads");
            api.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await direct.SendAsync(api)).StatusCode.ShouldBe(HttpStatusCode.OK, $"the bearer token on {instance.BaseAddress}");

            // Without them, the same requests are refused: the checks above can fail.
            (await direct.GetAsync("/leads")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
            (await direct.GetAsync("/api/v1/leads")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task A_live_update_caused_on_any_instance_reaches_a_browser_connected_through_nginx_to_another()
    {
        var cookies = await FloorClient.SignInAsync(host.Nginx.Https, host.Tenant.Email("manager"), trustedCertificate: host.Nginx.Certificate);
        await using var browser = await FloorClient.ConnectAsync(host.Nginx.Https, cookies, trustedCertificate: host.Nginx.Certificate, origin: host.Nginx.Origin);
        // nginx logs the WebSocket when it closes; its negotiate went to the same instance (sticky by the session cookie).
        var hubInstance = host.Nginx.AccessLog().Last(l => l.StartsWith("POST /hubs/floor/negotiate ", StringComparison.Ordinal)).Split(' ')[^1];
        var agent = host.Tenant.Users["agent"];
        var token = await host.TokenAsync(host.Tenant.Email("agent"));
        var state = "away";

        // The hub adds the connection to its groups just after the handshake: change presence until one change arrives.
        await Eventually.Until(async () =>
        {
            state = state == "away" ? "available" : "away";
            var expected = state;
            await SetPresenceAsync(host.Instances[0].BaseAddress, token, expected);
            try
            {
                await browser.WaitForAsync(e => IsPresence(e, agent, expected), TimeSpan.FromMilliseconds(300));
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
        }, ThreeInstancesHost.Deadline, "a first presence change to reach the browser");

        var others = 0;
        foreach (var instance in host.Instances)
        {
            state = state == "away" ? "available" : "away";
            var expected = state;
            var clock = Stopwatch.StartNew();
            await SetPresenceAsync(instance.BaseAddress, token, expected);
            await browser.WaitForAsync(e => IsPresence(e, agent, expected), ThreeInstancesHost.Deadline);
            var where = instance.BaseAddress.Authority == hubInstance ? "the browser's own instance" : "another instance";
            if (where == "another instance") others++;
            output.WriteLine($"presence.changed caused on {instance.BaseAddress.Authority} ({where}; browser's hub on {hubInstance}) arrived after {clock.ElapsedMilliseconds} ms");
        }
        others.ShouldBe(2);
    }

    [Fact]
    public async Task A_job_enqueued_on_all_three_instances_at_once_runs_exactly_once()
    {
        var batch = $"scale-{Guid.NewGuid():N}";
        var keys = Enumerable.Range(1, 50).Select(n => $"{batch}-{n}").ToList();

        // Every key enqueued by each of the three instances, concurrently: one job per key, and one run per job.
        var enqueued = await Task.WhenAll(keys.SelectMany(key => host.Instances.Select(async instance =>
        {
            await using var scope = instance.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<JobQueue>().EnqueueNowAsync(ThreeInstancesHost.CountingHandler.JobKind, new ThreeInstancesHost.CountingHandler.Payload(key), null, key);
        })));
        await Eventually.Until(() => host.CountAsync($"select count(*) from jobs where idempotency_key like '{batch}-%' and completed_at is not null"),
            completed => completed == 50, ThreeInstancesHost.Deadline, "all 50 jobs to complete");

        enqueued.Count(e => e).ShouldBe(50);
        (await host.CountAsync($"select count(*) from jobs where idempotency_key like '{batch}-%'")).ShouldBe(50);
        (await host.CountAsync($"select count(*) from jobs where idempotency_key like '{batch}-%' and attempts <> 1")).ShouldBe(0);
        var runs = host.Runs.Where(r => r.Key.StartsWith(batch, StringComparison.Ordinal)).ToList();
        foreach (var key in keys) runs.Count(r => r.Key == key).ShouldBe(1, $"runs of {key}");
        output.WriteLine("runs per instance: " + string.Join(", ", runs.GroupBy(r => r.Instance).OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}")));
    }

    [Fact]
    public async Task One_users_requests_spread_over_three_instances_are_limited_per_instance()
    {
        const int burst = 10;
        const int perSecond = 1;
        var tenant = await host.CreateTenantAsync("scale-rl");
        using (var root = await host.SuperadminAsync())
            (await root.PatchAsJsonAsync($"/api/v1/tenants/{tenant.Id}/rate-limits", new { userPerSecond = perSecond, userBurst = burst })).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var nginx = await host.ThroughNginxAsync(tenant.Email("agent"));
        var marker = $"/api/v1/leads/{Guid.NewGuid()}"; // a path of its own, to find these requests in nginx's log

        var clock = Stopwatch.StartNew();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 90; i++) statuses.Add((await nginx.GetAsync(marker)).StatusCode);
        var seconds = Math.Ceiling(clock.Elapsed.TotalSeconds);

        var served = statuses.Count(s => s != HttpStatusCode.TooManyRequests);
        var refused = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        var perInstance = host.Nginx.AccessLog().Where(l => l.Contains(marker, StringComparison.Ordinal)).GroupBy(l => l.Split(' ')[^1]).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"90 requests in {clock.ElapsedMilliseconds} ms: {served} served, {refused} refused (429); per instance: {string.Join(", ", perInstance.Select(p => $"{p.Key}={p.Value}"))}");

        perInstance.Count.ShouldBe(3); // nginx spread them over all three
        refused.ShouldBeGreaterThan(0);
        // Each instance has its own full bucket: together more than one bucket (a shared limit would stop near burst)...
        served.ShouldBeGreaterThanOrEqualTo(3 * burst);
        // ...and at most N times the documented limit: N × (burst + rate × elapsed seconds).
        served.ShouldBeLessThanOrEqualTo(3 * (burst + perSecond * ((int)seconds + 1)));
    }

    [Fact]
    public void The_shipped_nginx_config_accepts_the_apps_largest_upload()
    {
        var config = File.ReadAllText(TestNginx.ShippedConfigPath);
        var size = Regex.Match(config, @"client_max_body_size (\d+)m;");

        size.Success.ShouldBeTrue();
        (long.Parse(size.Groups[1].Value, CultureInfo.InvariantCulture) * 1024 * 1024).ShouldBe(ImportFiles.MaxBytes + 1024 * 1024);
    }

    private static async Task SetPresenceAsync(Uri instance, string token, string state)
    {
        using var direct = new HttpClient { BaseAddress = instance };
        direct.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await direct.PutAsJsonAsync("/api/v1/presence/me", new { state })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static bool IsPresence(FloorEvent e, Guid userId, string state) =>
        e.Type == "presence.changed" && e.Data.GetProperty("userId").GetGuid() == userId && e.Data.GetProperty("state").GetString() == state;
}
