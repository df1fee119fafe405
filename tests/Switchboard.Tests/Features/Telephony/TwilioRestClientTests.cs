using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Features.Telephony;
using Switchboard.Features.Telephony.Providers.Twilio;

namespace Switchboard.Tests.Features.Telephony;

public sealed class TwilioRestClientTests : IAsyncLifetime
{
    private FakeTwilioServer server = null!;
    private ServiceProvider services = null!;
    private TwilioRestClient client = null!;

    public async Task InitializeAsync()
    {
        server = await FakeTwilioServer.StartAsync();
        services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        // Generous per-attempt timeout: a cold server on a busy test machine must not look like a stall.
        client = ClientWithAttemptTimeout(TimeSpan.FromSeconds(30));
    }

    private TwilioRestClient ClientWithAttemptTimeout(TimeSpan attemptTimeout) =>
        new(services.GetRequiredService<IHttpClientFactory>(), attemptTimeout, retryDelay: TimeSpan.FromMilliseconds(10));

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await server.DisposeAsync();
    }

    private TelephonyApiCredentials Credentials(string? token = null) =>
        TelephonyApiCredentials.Twilio(FakeTwilioServer.AccountSid, token ?? FakeTwilioServer.AuthToken, server.BaseUrl);

    private static OutboundCall Call(string to = "+14155550100") => new(
        to, "+15005550006",
        new Uri("https://crm.example.com/hooks/twilio/answer?call=42"),
        new Uri("https://crm.example.com/hooks/twilio/status"),
        new Uri("https://crm.example.com/hooks/twilio/recording"));

    [Fact]
    public async Task Creating_a_call_posts_the_exact_form_fields_with_basic_auth()
    {
        var created = await client.CreateCallAsync(Credentials(), Call(), CancellationToken.None);

        created.Sid.ShouldStartWith("CA");
        created.Status.ShouldBe("queued");
        var request = server.Received.ShouldHaveSingleItem();
        request.Method.ShouldBe("POST");
        request.Path.ShouldBe($"/2010-04-01/Accounts/{FakeTwilioServer.AccountSid}/Calls.json");
        request.ContentType.ShouldStartWith("application/x-www-form-urlencoded");
        request.Authorization.ShouldBe("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FakeTwilioServer.AccountSid}:{FakeTwilioServer.AuthToken}")));
        request.Form.ShouldBe(
        [
            new("To", "+14155550100"),
            new("From", "+15005550006"),
            new("Url", "https://crm.example.com/hooks/twilio/answer?call=42"),
            new("StatusCallback", "https://crm.example.com/hooks/twilio/status"),
            new("StatusCallbackMethod", "POST"),
            new("StatusCallbackEvent", "initiated"),
            new("StatusCallbackEvent", "ringing"),
            new("StatusCallbackEvent", "answered"),
            new("StatusCallbackEvent", "completed"),
            new("RecordingStatusCallback", "https://crm.example.com/hooks/twilio/recording"),
            new("Record", "true"),
        ]);
    }

    [Fact]
    public async Task Machine_detection_and_ring_timeout_are_sent_only_when_asked()
    {
        await client.CreateCallAsync(Credentials(), Call() with { MachineDetection = AnsweringMachineDetection.DetectMessageEnd, RingTimeoutSeconds = 25 }, CancellationToken.None);

        var request = server.Received.ShouldHaveSingleItem();
        request.Values("MachineDetection").ShouldBe(["DetectMessageEnd"]);
        request.Values("Timeout").ShouldBe(["25"]);
    }

    [Fact]
    public async Task An_invalid_to_number_becomes_a_readable_rejection_carrying_twilios_code()
    {
        var error = await Should.ThrowAsync<TelephonyApiException>(() => client.CreateCallAsync(Credentials(), Call(to: "555-CALL-NOW"), CancellationToken.None));

        error.Failure.ShouldBe(TelephonyFailure.Rejected);
        error.HttpStatus.ShouldBe(400);
        error.ProviderCode.ShouldBe(21211);
        error.MoreInfo.ShouldBe("https://www.twilio.com/docs/errors/21211");
        error.Message.ShouldBe("Twilio answered HTTP 400, error 21211: The 'To' number 555-CALL-NOW is not a valid phone number. See https://www.twilio.com/docs/errors/21211");
        server.Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Wrong_credentials_fail_as_authentication_without_revealing_the_token()
    {
        const string wrongToken = "wrong-token-that-must-not-leak";
        var error = await Should.ThrowAsync<TelephonyApiException>(() => client.CreateCallAsync(Credentials(wrongToken), Call(), CancellationToken.None));

        error.Failure.ShouldBe(TelephonyFailure.AuthenticationFailed);
        error.ProviderCode.ShouldBe(20003);
        error.ToString().ShouldNotContain(wrongToken);
        Credentials(wrongToken).ToString().ShouldNotContain(wrongToken);
    }

    [Fact]
    public async Task Hanging_up_posts_status_completed_to_the_call()
    {
        server.SeedCall("CA0123456789abcdef0123456789abcdef", "in-progress");

        var call = await client.HangUpAsync(Credentials(), "CA0123456789abcdef0123456789abcdef", CancellationToken.None);

        call.Status.ShouldBe("completed");
        var request = server.Received.ShouldHaveSingleItem();
        request.Method.ShouldBe("POST");
        request.Path.ShouldBe($"/2010-04-01/Accounts/{FakeTwilioServer.AccountSid}/Calls/CA0123456789abcdef0123456789abcdef.json");
        request.Form.ShouldBe([new("Status", "completed")]);
    }

    [Fact]
    public async Task Hanging_up_is_retried_after_a_server_error()
    {
        server.SeedCall("CAretry", "in-progress");
        server.Enqueue(new FakeTwilioServer.Status(503, 20503, "Service Unavailable"));

        var call = await client.HangUpAsync(Credentials(), "CAretry", CancellationToken.None);

        call.Status.ShouldBe("completed");
        server.Received.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Hanging_up_is_retried_after_a_dropped_connection()
    {
        server.SeedCall("CAdrop", "in-progress");
        server.Enqueue(new FakeTwilioServer.DropConnection());

        (await client.HangUpAsync(Credentials(), "CAdrop", CancellationToken.None)).Status.ShouldBe("completed");
        server.Received.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Reading_a_call_is_retried_after_a_server_error()
    {
        server.SeedCall("CAread", "ringing");
        server.Enqueue(new FakeTwilioServer.Status(500, 20500, "Internal Server Error"));

        (await client.GetCallAsync(Credentials(), "CAread", CancellationToken.None)).Status.ShouldBe("ringing");
        server.Received.Select(r => r.Method).ShouldBe(["GET", "GET"]);
    }

    [Fact]
    public async Task Hanging_up_gives_up_after_three_retries()
    {
        server.SeedCall("CAdown", "in-progress");
        for (var i = 0; i < 4; i++) server.Enqueue(new FakeTwilioServer.Status(503, 20503, "Service Unavailable"));

        var error = await Should.ThrowAsync<TelephonyApiException>(() => client.HangUpAsync(Credentials(), "CAdown", CancellationToken.None));

        error.Failure.ShouldBe(TelephonyFailure.ProviderError);
        server.Received.Count.ShouldBe(4);
    }

    [Fact]
    public async Task Creating_a_call_is_not_retried_after_a_server_error_because_the_call_may_exist()
    {
        server.Enqueue(new FakeTwilioServer.Status(503, 20503, "Service Unavailable"));

        var error = await Should.ThrowAsync<TelephonyApiException>(() => client.CreateCallAsync(Credentials(), Call(), CancellationToken.None));

        error.Failure.ShouldBe(TelephonyFailure.OutcomeUnknown);
        server.Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Creating_a_call_is_not_retried_when_the_connection_drops_after_sending()
    {
        server.Enqueue(new FakeTwilioServer.DropConnection());

        var error = await Should.ThrowAsync<TelephonyApiException>(() => client.CreateCallAsync(Credentials(), Call(), CancellationToken.None));

        error.Failure.ShouldBe(TelephonyFailure.OutcomeUnknown);
        server.Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Creating_a_call_is_not_retried_after_a_timeout()
    {
        server.Enqueue(new FakeTwilioServer.Stall());
        var impatient = ClientWithAttemptTimeout(TimeSpan.FromSeconds(1));

        var error = await Should.ThrowAsync<TelephonyApiException>(() => impatient.CreateCallAsync(Credentials(), Call(), CancellationToken.None));

        error.Failure.ShouldBe(TelephonyFailure.OutcomeUnknown);
        error.Message.ShouldContain("may or may not have been placed");
        // On a loaded machine the server may record the request a moment after the client gave up on it.
        await server.WaitForRequestsAsync(1);
        server.Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Creating_a_call_is_retried_after_429_because_twilio_did_not_accept_it()
    {
        server.Enqueue(new FakeTwilioServer.Status(429, 20429, "Too Many Requests"));

        (await client.CreateCallAsync(Credentials(), Call(), CancellationToken.None)).Status.ShouldBe("queued");
        server.Received.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_provider_that_refuses_connections_is_reported_unreachable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var nowhere = TelephonyApiCredentials.Twilio(FakeTwilioServer.AccountSid, FakeTwilioServer.AuthToken, new Uri($"http://127.0.0.1:{closedPort}"));

        var error = await Should.ThrowAsync<TelephonyApiException>(() => client.CreateCallAsync(nowhere, Call(), CancellationToken.None));

        error.Failure.ShouldBe(TelephonyFailure.Unreachable);
    }

    [Fact]
    public async Task The_same_client_speaks_signalwires_laml_paths()
    {
        var signalWireLike = new TelephonyApiCredentials(new Uri(server.BaseUrl, "api/laml"), FakeTwilioServer.AccountSid, FakeTwilioServer.AuthToken);

        (await client.CreateCallAsync(signalWireLike, Call(), CancellationToken.None)).Sid.ShouldStartWith("CA");
        server.Received.ShouldHaveSingleItem().Path.ShouldBe($"/api/laml/2010-04-01/Accounts/{FakeTwilioServer.AccountSid}/Calls.json");
    }

    [Fact]
    public async Task Deleting_a_recording_sends_delete_to_the_accounts_recording_and_a_recording_already_gone_counts_as_deleted()
    {
        var url = server.SeedRecording("RE0123456789abcdef0123456789abcdef");

        await client.DeleteRecordingAsync(Credentials(), TwilioRestClient.RecordingSid(url), CancellationToken.None);

        server.HasRecording("RE0123456789abcdef0123456789abcdef").ShouldBeFalse();
        var request = server.Received.ShouldHaveSingleItem();
        request.Method.ShouldBe("DELETE");
        request.Path.ShouldBe($"/2010-04-01/Accounts/{FakeTwilioServer.AccountSid}/Recordings/RE0123456789abcdef0123456789abcdef.json");
        request.Authorization.ShouldStartWith("Basic ");
        // Twilio answers 404 once it is gone: a repeated delete (a retried job) is done, not failed.
        await client.DeleteRecordingAsync(Credentials(), "RE0123456789abcdef0123456789abcdef", CancellationToken.None);
        server.Received.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Deleting_a_recording_is_retried_after_a_server_error_and_a_refusal_is_reported_with_twilios_code()
    {
        server.SeedRecording("REretry");
        server.Enqueue(new FakeTwilioServer.Status(503, 20503, "Service Unavailable"));
        await client.DeleteRecordingAsync(Credentials(), "REretry", CancellationToken.None);
        server.HasRecording("REretry").ShouldBeFalse();
        server.Received.Count.ShouldBe(2);

        var refused = await Should.ThrowAsync<TelephonyApiException>(() => client.DeleteRecordingAsync(Credentials(token: "wrong-token"), "REother", CancellationToken.None));
        refused.Failure.ShouldBe(TelephonyFailure.AuthenticationFailed);
        refused.ProviderCode.ShouldBe(20003);
        refused.Message.ShouldNotContain("wrong-token");
    }

    [Theory]
    [InlineData("https://api.twilio.com/2010-04-01/Accounts/AC123/Recordings/RE0123456789abcdef0123456789abcdef", "RE0123456789abcdef0123456789abcdef")]
    [InlineData("https://api.twilio.com/2010-04-01/Accounts/AC123/Recordings/RE0123456789abcdef0123456789abcdef.mp3", "RE0123456789abcdef0123456789abcdef")]
    [InlineData("https://acme.signalwire.com/api/laml/2010-04-01/Accounts/8d2b9f3e-6b1c-4a61-9c8e-2f1a3b4c5d6e/Recordings/0f9e8d7c-6b5a-4c3d-8e2f-1a2b3c4d5e6f",
        "0f9e8d7c-6b5a-4c3d-8e2f-1a2b3c4d5e6f")]
    public void The_recording_sid_is_read_from_the_recording_url_a_callback_reported(string url, string sid) =>
        TwilioRestClient.RecordingSid(url).ShouldBe(sid);

    [Theory]
    [InlineData("https://recordings.example/0f9e8d7c")]
    [InlineData("https://api.twilio.com/2010-04-01/Accounts/AC123/Recordings/")]
    [InlineData("https://api.twilio.com/2010-04-01/Accounts/AC123/Recordings/RE1%2F..%2FCalls")]
    [InlineData("not a url")]
    public void A_url_that_is_not_a_recording_of_a_twilio_compatible_api_is_refused_before_any_request(string url)
    {
        var refused = Should.Throw<TelephonyApiException>(() => TwilioRestClient.RecordingSid(url));
        refused.Failure.ShouldBe(TelephonyFailure.Rejected);
        server.Received.ShouldBeEmpty();
    }

    [Fact]
    public void SignalWire_credentials_point_at_the_space_laml_endpoint()
    {
        var credentials = TelephonyApiCredentials.SignalWire("acme", "project-id", "api-token");

        credentials.BaseUrl.ShouldBe(new Uri("https://acme.signalwire.com/api/laml"));
        credentials.Username.ShouldBe("project-id");
        credentials.ToString().ShouldNotContain("api-token");
    }
}
