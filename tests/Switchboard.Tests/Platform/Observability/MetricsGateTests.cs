using System.Net;
using System.Net.Http.Headers;
using Switchboard.Platform.Observability;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform.Observability;

/// <summary>
/// /metrics answers a scraper on this machine, or one with the configured bearer token; a request a proxy forwarded
/// from elsewhere gets 404 when no token is configured (the endpoint does not exist for it), else 401 without the
/// right token. The test host listens on loopback, so "elsewhere" is an X-Forwarded-For header from a trusted
/// (loopback) proxy, as nginx in front of Switchboard sends it.
/// </summary>
public sealed class MetricsGateTests
{
    private const string Token = "metrics-token-0123456789abcdef";
    private static readonly IPAddress Remote = IPAddress.Parse("203.0.113.9");

    [Fact]
    public void A_local_request_that_no_proxy_forwarded_is_allowed_without_a_token() =>
        MetricsGate.Judge(IPAddress.Loopback, forwarded: false, authorization: null, token: null).ShouldBe(MetricsGate.Verdict.Allowed);

    [Fact]
    public void A_local_connection_carrying_a_forwarded_request_is_not_taken_for_a_local_one() =>
        MetricsGate.Judge(IPAddress.IPv6Loopback, forwarded: true, authorization: null, token: null).ShouldBe(MetricsGate.Verdict.NotFound);

    [Fact]
    public void A_remote_request_is_not_found_when_no_token_is_configured() =>
        MetricsGate.Judge(Remote, forwarded: false, authorization: "Bearer anything", token: null).ShouldBe(MetricsGate.Verdict.NotFound);

    [Fact]
    public void A_remote_request_needs_the_configured_token_exactly()
    {
        MetricsGate.Judge(Remote, false, null, Token).ShouldBe(MetricsGate.Verdict.Unauthorized);
        MetricsGate.Judge(Remote, false, "Bearer " + Token[..^1], Token).ShouldBe(MetricsGate.Verdict.Unauthorized);
        MetricsGate.Judge(Remote, false, "Bearer " + Token + "x", Token).ShouldBe(MetricsGate.Verdict.Unauthorized);
        MetricsGate.Judge(Remote, false, "Basic " + Token, Token).ShouldBe(MetricsGate.Verdict.Unauthorized);
        MetricsGate.Judge(Remote, false, "Bearer " + Token, Token).ShouldBe(MetricsGate.Verdict.Allowed);
        MetricsGate.Judge(Remote, false, "bearer " + Token, Token).ShouldBe(MetricsGate.Verdict.Allowed);
    }

    [Collection(MetricsCollection.Name)]
    public sealed class WithoutToken(SwitchboardHost host) : IClassFixture<SwitchboardHost>
    {
        [Fact]
        public async Task The_app_serves_metrics_to_a_local_scraper_and_hides_them_from_a_forwarded_request()
        {
            using var client = host.CreateClient();
            (await client.GetAsync("/health")).EnsureSuccessStatusCode(); // a request for the HTTP series to count
            var local = await client.GetAsync("/metrics");
            local.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await local.Content.ReadAsStringAsync()).ShouldContain("http_server_request_duration_seconds");

            using var forwarded = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            forwarded.Headers.Add("X-Forwarded-For", "203.0.113.9");
            var response = await client.SendAsync(forwarded);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await response.Content.ReadAsStringAsync()).ShouldNotContain("http_server_request_duration_seconds");
        }
    }

    [Collection(MetricsCollection.Name)]
    public sealed class WithToken(WithToken.Host host) : IClassFixture<WithToken.Host>
    {
        public sealed class Host : SwitchboardHost
        {
            protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Observability:MetricsToken"] = Token };
        }

        [Fact]
        public async Task A_forwarded_request_reads_metrics_with_the_token_and_gets_401_without_it()
        {
            using var client = host.CreateClient();
            (await client.GetAsync("/health")).EnsureSuccessStatusCode();
            (await SendAsync(client, null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await SendAsync(client, "wrong-token-0123456789abcdef")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            var allowed = await SendAsync(client, Token);
            allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await allowed.Content.ReadAsStringAsync()).ShouldContain("http_server_request_duration_seconds");
        }

        private static Task<HttpResponseMessage> SendAsync(HttpClient client, string? token)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.Add("X-Forwarded-For", "203.0.113.9");
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client.SendAsync(request);
        }
    }
}
