using System.Text;
using System.Text.Json;
using System.Security.Cryptography;
using Switchboard.Features.Webhooks;

namespace Switchboard.Tests.Features.Webhooks;

public sealed class WebhookSignatureTests
{
    /// <summary>The example of the Standard Webhooks specification (and its reference libraries' tests).</summary>
    [Fact]
    public void The_signature_matches_the_standard_webhooks_published_test_vector()
    {
        var signature = WebhookSignature.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
            Encoding.UTF8.GetBytes("""{"test": 2432232314}"""));

        signature.ShouldBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    [Fact]
    public void During_a_rotation_the_header_carries_one_signature_per_secret_space_separated()
    {
        var body = Encoding.UTF8.GetBytes("{}");
        var (current, previous) = (WebhookSignature.NewSecret(), WebhookSignature.NewSecret());

        var header = WebhookSignature.Header([current, previous], "evt", 1700000000, body);

        header.Split(' ').ShouldBe([WebhookSignature.Sign(current, "evt", 1700000000, body), WebhookSignature.Sign(previous, "evt", 1700000000, body)]);
    }

    [Fact]
    public void A_new_secret_is_a_whsec_prefixed_base64_key_of_32_bytes()
    {
        var secret = WebhookSignature.NewSecret();

        secret.ShouldStartWith("whsec_");
        Convert.FromBase64String(secret["whsec_".Length..]).Length.ShouldBe(32);
    }

    /// <summary>How a receiver checks a delivery, written from the specification rather than from the app's code.</summary>
    public static bool Verifies(string secret, WebhookReceiver.Received request)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{request.Id}.{request.Timestamp}.").Concat(request.Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        return request.Signature!.Split(' ').Contains(expected);
    }
}
