using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Switchboard.Platform.Observability;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform.Observability;

/// <summary>
/// A request's trace carries its tenant, user and request ids; the product's console, JSON by default under `serve`,
/// writes one object per line whose scopes carry the same ids, and the level per category follows Logging:LogLevel.
/// </summary>
public sealed partial class TraceAndLogTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Fact]
    public async Task A_requests_trace_carries_its_tenant_user_and_request_ids()
    {
        var seen = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = seen.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var admin = await host.As("admin");

        var response = await admin.GetAsync("/api/v1/leads?pageSize=1");

        response.EnsureSuccessStatusCode();
        var adminId = host.Tenant.Users["admin"].ToString();
        var trace = await Eventually.Until(() => seen.FirstOrDefault(a => a.GetTagItem(RequestIdentity.UserTag) as string == adminId),
            a => a is not null, TimeSpan.FromSeconds(10), "the request's activity");
        trace!.GetTagItem(RequestIdentity.TenantTag).ShouldBe(host.Tenant.Id.ToString());
        (trace.GetTagItem(RequestIdentity.RequestTag) as string).ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task The_served_products_console_writes_one_json_object_per_line_with_the_callers_ids()
    {
        await using var product = ProductProcess.Start(host.Database, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore.Routing.EndpointMiddleware"] = "Information",
        });
        var address = await Eventually.Until(() => RunningAt().Match(product.Output), m => m.Success || product.HasExited,
            TimeSpan.FromSeconds(60), "the product to listen");
        address.Success.ShouldBeTrue(product.Output);
        using var anonymous = new HttpClient { BaseAddress = new Uri(address.Groups[1].Value) };
        var login = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = host.Tenant.Email("admin"), password = SwitchboardHost.Password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        using var admin = new HttpClient { BaseAddress = anonymous.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        (await admin.GetAsync("/api/v1/leads?pageSize=1")).EnsureSuccessStatusCode();

        var adminId = host.Tenant.Users["admin"].ToString();
        var line = await Eventually.Until(() => EndpointLines(product.Output).FirstOrDefault(l => Scopes(l).Any(s => Text(s, "UserId") == adminId)),
            l => l.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(10), "the endpoint's log line: " + product.Output);
        line.GetProperty("LogLevel").GetString().ShouldBe("Information");
        var scopes = Scopes(line).ToList();
        scopes.ShouldContain(s => Text(s, "TenantId") == host.Tenant.Id.ToString());
        scopes.ShouldContain(s => !string.IsNullOrEmpty(Text(s, "RequestId")));
        scopes.ShouldContain(s => !string.IsNullOrEmpty(Text(s, "TraceId")));
        // Logging:LogLevel per category: the Default of Warning kept every other Information line out.
        JsonLines(product.Output).ShouldAllBe(l => l.GetProperty("LogLevel").GetString() != "Information"
                                                   || l.GetProperty("Category").GetString() == "Microsoft.AspNetCore.Routing.EndpointMiddleware");
    }

    [GeneratedRegex(@"Switchboard is running at (http://127\.0\.0\.1:\d+)")]
    private static partial Regex RunningAt();

    private static IEnumerable<JsonElement> JsonLines(string output) =>
        output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('{')).Select(l =>
        {
            try { return JsonDocument.Parse(l).RootElement; }
            catch (JsonException) { throw new ShouldAssertException("A console line is not one JSON object: " + l); }
        });

    private static IEnumerable<JsonElement> EndpointLines(string output) =>
        JsonLines(output).Where(l => l.GetProperty("Category").GetString() == "Microsoft.AspNetCore.Routing.EndpointMiddleware");

    private static IEnumerable<JsonElement> Scopes(JsonElement line) =>
        line.TryGetProperty("Scopes", out var scopes) ? scopes.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object) : [];

    private static string? Text(JsonElement scope, string name) =>
        scope.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
