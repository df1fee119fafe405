using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Features.Telephony;
using Switchboard.Features.Telephony.Providers.Twilio;
using Switchboard.Platform.Web;
using Switchboard.Testing;
using Switchboard.Tests.Features.Telephony;

namespace Switchboard.Tests.Platform;

/// <summary>
/// The private-network guard (issue 12 §0.1): a tenant admin cannot point the server's authenticated requests at cloud
/// metadata or the server's own network, neither when saving a provider URL nor when a saved URL is used later.
/// </summary>
public sealed class PrivateNetworkGuardTests(PrivateNetworkGuardTests.StrictHost host) : IClassFixture<PrivateNetworkGuardTests.StrictHost>
{
    /// <summary>The production default: Security:AllowPrivateNetworkUrls off.</summary>
    public sealed class StrictHost : SwitchboardHostWithTenant
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Security:AllowPrivateNetworkUrls"] = "false" };
    }

    [Theory]
    [InlineData("8.8.8.8", PrivateNetworkGuard.Reach.Public)]
    [InlineData("2606:4700:4700::1111", PrivateNetworkGuard.Reach.Public)]
    [InlineData("169.254.169.254", PrivateNetworkGuard.Reach.Forbidden)] // AWS, GCP, Azure metadata
    [InlineData("::ffff:169.254.169.254", PrivateNetworkGuard.Reach.Forbidden)] // the same, IPv4-mapped
    [InlineData("64:ff9b::a9fe:a9fe", PrivateNetworkGuard.Reach.Forbidden)] // the same, through NAT64
    [InlineData("fe80::1", PrivateNetworkGuard.Reach.Forbidden)]
    [InlineData("0.0.0.0", PrivateNetworkGuard.Reach.Forbidden)]
    [InlineData("::", PrivateNetworkGuard.Reach.Forbidden)]
    [InlineData("224.0.0.1", PrivateNetworkGuard.Reach.Forbidden)]
    [InlineData("255.255.255.255", PrivateNetworkGuard.Reach.Forbidden)]
    [InlineData("127.0.0.1", PrivateNetworkGuard.Reach.Private)]
    [InlineData("::1", PrivateNetworkGuard.Reach.Private)]
    [InlineData("10.0.0.1", PrivateNetworkGuard.Reach.Private)]
    [InlineData("172.31.255.1", PrivateNetworkGuard.Reach.Private)]
    [InlineData("192.168.1.1", PrivateNetworkGuard.Reach.Private)]
    [InlineData("100.100.100.200", PrivateNetworkGuard.Reach.Private)] // Alibaba metadata, carrier-grade NAT
    [InlineData("fd00:ec2::254", PrivateNetworkGuard.Reach.Private)] // AWS metadata over IPv6, unique-local
    [InlineData("::ffff:10.0.0.1", PrivateNetworkGuard.Reach.Private)]
    public void Addresses_are_classified_by_the_network_they_belong_to(string address, PrivateNetworkGuard.Reach reach) =>
        PrivateNetworkGuard.Classify(IPAddress.Parse(address)).ShouldBe(reach);

    [Theory]
    [InlineData("http://169.254.169.254", "Use an https:// URL.")]
    [InlineData("http://10.0.0.1", "Use an https:// URL.")]
    [InlineData("https://169.254.169.254/latest/meta-data", "'169.254.169.254' resolves to 169.254.169.254, an address the server never sends requests to (link-local, metadata or reserved).")]
    [InlineData("https://10.0.0.1", "'10.0.0.1' is on a private or loopback network (10.0.0.1); the server does not send requests there.")]
    [InlineData("https://[::ffff:127.0.0.1]:5432", "'[::ffff:127.0.0.1]' is on a private or loopback network (::ffff:127.0.0.1); the server does not send requests there.")]
    [InlineData("https://user:secret@api.example.com", "Leave the user name and password out of the URL.")]
    public async Task A_twilio_api_base_url_on_the_servers_own_network_is_refused_when_saved(string url, string message)
    {
        var admin = await host.As("admin");

        var response = await admin.PutAsJsonAsync("/api/v1/telephony/providers/twilio", new { accountSid = "AC-guard", apiBaseUrl = url });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.GetProperty("apiBaseUrl")[0].GetString().ShouldBe(message);
        var stored = await admin.GetFromJsonAsync<JsonElement>("/api/v1/telephony/providers/twilio");
        stored.GetProperty("settings").GetRawText().ShouldNotContain("AC-guard"); // nothing of the refused body was saved
    }

    [Fact]
    public async Task A_host_name_that_resolves_to_loopback_is_refused_for_signalwire_too()
    {
        var admin = await host.As("admin");

        var response = await admin.PutAsJsonAsync("/api/v1/telephony/providers/signalwire", new { spaceUrl = "https://localhost:5432" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("spaceUrl")[0].GetString();
        message.ShouldStartWith("'localhost' is on a private or loopback network");
    }

    [Fact]
    public async Task A_public_https_address_is_accepted()
    {
        var admin = await host.As("admin");

        var response = await admin.PutAsJsonAsync("/api/v1/telephony/providers/signalwire", new { spaceUrl = "https://8.8.8.8" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_saved_url_that_now_points_at_the_servers_network_is_refused_when_the_call_is_placed_and_nothing_is_sent()
    {
        // As if DNS changed after the save: the REST client gets a loopback URL, and the connection is what refuses it.
        await using var twilio = await FakeTwilioServer.StartAsync();
        await using var strict = Client(allowPrivate: false);

        var error = await Should.ThrowAsync<TelephonyApiException>(() => strict.Client.CreateCallAsync(Credentials(twilio), Call(), CancellationToken.None));

        error.Failure.ShouldBe(TelephonyFailure.Rejected);
        error.Message.ShouldStartWith("Twilio was not called: '127.0.0.1' is on a private or loopback network");
        twilio.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task With_private_urls_allowed_loopback_is_reached_but_metadata_never()
    {
        await using var twilio = await FakeTwilioServer.StartAsync();
        await using var lenient = Client(allowPrivate: true);

        (await lenient.Client.CreateCallAsync(Credentials(twilio), Call(), CancellationToken.None)).Status.ShouldBe("queued");
        var metadata = TelephonyApiCredentials.Twilio(FakeTwilioServer.AccountSid, FakeTwilioServer.AuthToken, new Uri("http://169.254.169.254"));
        var error = await Should.ThrowAsync<TelephonyApiException>(() => lenient.Client.CreateCallAsync(metadata, Call(), CancellationToken.None));
        error.Message.ShouldContain("link-local, metadata or reserved");
    }

    private sealed record GuardedClient(ServiceProvider Services, TwilioRestClient Client) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Services.DisposeAsync();
    }

    /// <summary>The REST client as the app registers it (<see cref="TwilioRestClient.Register"/>), with the guard's setting given.</summary>
    private static GuardedClient Client(bool allowPrivate)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(new SecurityOptions { AllowPrivateNetworkUrls = allowPrivate }));
        services.AddSingleton<PrivateNetworkGuard>();
        TwilioRestClient.Register(services);
        var provider = services.BuildServiceProvider();
        return new GuardedClient(provider, provider.GetRequiredService<TwilioRestClient>());
    }

    private static TelephonyApiCredentials Credentials(FakeTwilioServer twilio) =>
        TelephonyApiCredentials.Twilio(FakeTwilioServer.AccountSid, FakeTwilioServer.AuthToken, twilio.BaseUrl);

    private static OutboundCall Call() => new(
        "+14155550100", "+15005550006", new Uri("https://crm.example.com/answer"), new Uri("https://crm.example.com/status"), new Uri("https://crm.example.com/recording"));
}
