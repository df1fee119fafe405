using Microsoft.AspNetCore.Http;
using Switchboard.Features.Telephony;
using Switchboard.Features.Telephony.Providers.SignalWire;
using Switchboard.Features.Telephony.Providers.Twilio;

namespace Switchboard.Tests.Features.Telephony;

/// <summary>
/// Vectors published by SignalWire: signalwire/signalwire-python signalwire/tests/test_request_validator.py
/// (captured compatibility-API callbacks signed with a real Signing Key, and a RELAY JSON callback); the RELAY
/// vector also appears in signalwire/signalwire-js packages/web-api/src/validateRequest.test.ts and
/// signalwire/signalwire-ruby spec/signalwire/webhook/validate_request_spec.rb.
/// </summary>
public sealed class SignalWireSignatureTests
{
    private const string CompatKey = "PSK_V3bF8oyeRNpJWGoRWHNYQMUU";

    private static KeyValuePair<string, string>[] HttpsNoAnswerCallback() =>
    [
        new("CallSid", "a97d4e8a-6047-4e2b-be48-fb96b33b5642"),
        new("AccountSid", "6bfbbe86-a901-4197-8759-2a0de1fa319d"),
        new("ApiVersion", "2010-04-01"),
        new("Direction", "outbound-api"),
        new("From", "sip:+17063958228@sip.swire.io"),
        new("To", "sip:jpsantos@joaosantos-2a0de1fa319d.sip.swire.io"),
        new("Timestamp", "Thu, 09 Nov 2023 14:40:55 +0000"),
        new("CallStatus", "no-answer"),
        new("CallbackSource", "call-progress-events"),
        new("HangupDirection", "outbound"),
        new("HangupBy", "sip:+17063958228@sip.swire.io"),
        new("SipResultCode", "487"),
    ];

    private static KeyValuePair<string, string>[] HttpBusyCallback() =>
    [
        new("AccountSid", "6bfbbe86-a901-4197-8759-2a0de1fa319d"),
        new("ApiVersion", "2010-04-01"),
        new("CallbackSource", "call-progress-events"),
        new("CallSid", "0703574f-b151-465d-aedb-28972eb513c7"),
        new("CallStatus", "busy"),
        new("Direction", "outbound-api"),
        new("From", "sip:+17063958228@sip.swire.io"),
        new("HangupBy", "sip:jpsantos@joaosantos-2a0de1fa319d.sip.swire.io"),
        new("HangupDirection", "inbound"),
        new("Timestamp", "Thu, 09 Nov 2023 17:05:04 +0000"),
        new("To", "sip:jpsantos@joaosantos-2a0de1fa319d.sip.swire.io"),
        new("SipResultCode", "486"),
    ];

    [Fact]
    public void A_captured_https_compatibility_callback_is_valid() =>
        SignalWireSignature.IsValidForm(CompatKey, "https://675d-189-71-169-171.ngrok-free.app/voice", HttpsNoAnswerCallback(), "muUMpldcBHlzuXGZ5gbw1ETZCYA=")
            .ShouldBeTrue();

    [Fact]
    public void A_captured_http_compatibility_callback_is_valid() =>
        SignalWireSignature.IsValidForm(CompatKey, "http://0aac-189-71-169-171.ngrok-free.app/voice", HttpBusyCallback(), "lf3nWPmUr2y6jSeeoMW4mg58vgI=")
            .ShouldBeTrue();

    [Fact]
    public void Twilios_published_vector_also_passes_the_compatibility_check() => // same file, test_should_validate_with_compatibity
        SignalWireSignature.IsValidForm("12345", "https://mycompany.com/myapp.php?foo=1&bar=2",
            [new("CallSid", "CA1234567890ABCDE"), new("Caller", "+14158675309"), new("Digits", "1234"), new("From", "+14158675309"), new("To", "+18005551212")],
            "RSOYDt4T1cUTdK1PDd93/VVr8B8=").ShouldBeTrue();

    [Fact]
    public void A_compatibility_callback_with_a_changed_status_is_rejected()
    {
        var forged = HttpsNoAnswerCallback().Select(p => p.Key == "CallStatus" ? new KeyValuePair<string, string>("CallStatus", "completed") : p);
        SignalWireSignature.IsValidForm(CompatKey, "https://675d-189-71-169-171.ngrok-free.app/voice", forged, "muUMpldcBHlzuXGZ5gbw1ETZCYA=").ShouldBeFalse();
    }

    [Fact]
    public void A_compatibility_callback_checked_with_another_projects_key_is_rejected() =>
        SignalWireSignature.IsValidForm("PSK_someoneelse", "https://675d-189-71-169-171.ngrok-free.app/voice", HttpsNoAnswerCallback(), "muUMpldcBHlzuXGZ5gbw1ETZCYA=")
            .ShouldBeFalse();

    private const string RelayKey = "PSK_7TruNcSNTxp4zNrykMj4EPzF";
    private const string RelayUrl = "https://81f2-2-45-18-191.ngrok-free.app/";
    private const string RelaySignature = "b18500437ebb010220ddd770cbe6fd531ea0ba0d";
    private const string RelayBody =
        """{"call":{"call_id":"b5d63b2e-f75b-4dc8-b6d4-269b635f96c0","node_id":"fa3570ae-f8bd-42c2-83f4-9950d906c91b@us-west","segment_id":"b5d63b2e-f75b-4dc8-b6d4-269b635f96c0","call_state":"created","direction":"inbound","type":"phone","from":"+12135877632","to":"+12089806814","from_number":"+12135877632","to_number":"+12089806814","project_id":"4b7ae78a-d02e-4889-a63b-08b156d5916e","space_id":"62615f44-2a34-4235-b38b-76b5a1de6ef8"},"vars":{}}""";

    [Fact]
    public void Relay_raw_body_signature_reproduces_the_published_value() =>
        SignalWireSignature.ComputeForRawBody(RelayKey, RelayUrl, RelayBody).ShouldBe(RelaySignature);

    [Fact]
    public void Relay_raw_body_with_the_published_signature_is_valid() =>
        SignalWireSignature.IsValidRawBody(RelayKey, RelayUrl, RelayBody, RelaySignature).ShouldBeTrue();

    [Fact]
    public void Relay_raw_body_is_valid_with_the_default_port_written_out() =>
        SignalWireSignature.IsValidRawBody(RelayKey, "https://81f2-2-45-18-191.ngrok-free.app:443/", RelayBody, RelaySignature).ShouldBeTrue();

    [Theory]
    [InlineData("PSK_foo", RelayUrl, RelayBody, RelaySignature)] // wrong key
    [InlineData(RelayKey, RelayUrl, """{"foo":"bar"}""", RelaySignature)] // other body
    [InlineData(RelayKey, RelayUrl + "bar?q=hello", RelayBody, RelaySignature)] // other url
    [InlineData(RelayKey, RelayUrl, RelayBody, "touched!")]
    [InlineData(RelayKey, RelayUrl, RelayBody, "")]
    public void Relay_raw_body_mismatches_are_rejected(string key, string url, string body, string signature) =>
        SignalWireSignature.IsValidRawBody(key, url, body, signature).ShouldBeFalse();

    [Fact]
    public void The_signalwire_header_is_preferred_over_the_twilio_compatible_one()
    {
        var headers = new HeaderDictionary { ["X-SignalWire-Signature"] = "own", ["X-Twilio-Signature"] = "compat" };
        SignalWireSignature.ReadSignature(headers).ShouldBe("own");
    }

    [Fact]
    public void The_twilio_compatible_header_is_used_when_it_is_the_only_one() =>
        SignalWireSignature.ReadSignature(new HeaderDictionary { ["X-Twilio-Signature"] = "compat" }).ShouldBe("compat");

    [Fact]
    public void No_signature_header_reads_as_null() =>
        SignalWireSignature.ReadSignature(new HeaderDictionary()).ShouldBeNull();
}
