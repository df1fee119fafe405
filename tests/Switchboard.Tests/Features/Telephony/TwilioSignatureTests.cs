using Switchboard.Features.Telephony;
using Switchboard.Features.Telephony.Providers.Twilio;

namespace Switchboard.Tests.Features.Telephony;

/// <summary>
/// Vectors published in Twilio's official SDK test suites (token "12345"):
///   twilio/twilio-python  tests/unit/test_request_validator.py
///   twilio/twilio-csharp  test/Twilio.Test/Security/RequestValidatorTest.cs
///   twilio/twilio-php     tests/Twilio/Unit/RequestValidatorTest.php (same values; repeated-value case)
/// Each expected signature below is copied from those files, never computed by our own code.
/// </summary>
public sealed class TwilioSignatureTests
{
    private const string Token = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string Signature = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    private const string Body = "{\"property\": \"value\", \"boolean\": true}";
    private const string BodyHash = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
    private const string BodySignature = "a9nBmqA0ju/hNViExpshrM61xv4=";

    // Deliberately not in key order, as in twilio-csharp's fixture.
    private static readonly KeyValuePair<string, string>[] Params =
    [
        new("CallSid", "CA1234567890ABCDE"),
        new("From", "+14158675309"),
        new("Digits", "1234"),
        new("To", "+18005551212"),
        new("Caller", "+14158675309"),
    ];

    [Fact]
    public void Compute_reproduces_the_published_signature() =>
        TwilioSignature.Compute(Token, Url, Params).ShouldBe(Signature);

    [Fact]
    public void The_published_signature_is_valid() =>
        TwilioSignature.IsValid(Token, Url, Params, Signature).ShouldBeTrue();

    [Fact]
    public void Repeated_keys_sign_each_distinct_value_in_order()
    {
        // twilio-python test_compute_signature_duplicate_multi_dict; twilio-php adds a duplicate "1234" for the same signature.
        KeyValuePair<string, string>[] repeated = [new("Sid", "CA123"), new("SidAccount", "AC123"), new("Digits", "5678"), new("Digits", "1234"), new("Digits", "1234")];
        TwilioSignature.Compute(Token, Url, repeated).ShouldBe("IK+Dwps556ElfBT0I3Rgjkr1wJU=");
    }

    [Fact]
    public void A_tampered_parameter_is_rejected()
    {
        var tampered = Params.Select(p => p.Key == "To" ? new KeyValuePair<string, string>("To", "+18005550000") : p);
        TwilioSignature.IsValid(Token, Url, tampered, Signature).ShouldBeFalse();
    }

    [Fact]
    public void An_added_parameter_is_rejected() =>
        TwilioSignature.IsValid(Token, Url, [.. Params, new("CallStatus", "completed")], Signature).ShouldBeFalse();

    [Fact]
    public void A_wrong_token_is_rejected() =>
        TwilioSignature.IsValid("54321", Url, Params, Signature).ShouldBeFalse();

    [Fact]
    public void A_changed_query_string_is_rejected() =>
        TwilioSignature.IsValid(Token, Url.Replace("foo=1", "foo=2"), Params, Signature).ShouldBeFalse();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("NOTRSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    public void A_missing_or_wrong_signature_is_rejected(string? header) =>
        TwilioSignature.IsValid(Token, Url, Params, header).ShouldBeFalse();

    [Fact]
    public void An_empty_token_is_a_configuration_error_not_a_pass() =>
        Should.Throw<ArgumentException>(() => TwilioSignature.IsValid("", Url, Params, Signature));

    // Port handling, vectors from twilio-csharp RequestValidatorTest / twilio-python test_request_validator.py.
    [Theory]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w=")] // signed with :443 added
    [InlineData("http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=")] // signed with :80 added
    [InlineData("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")] // signed without the port
    [InlineData("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "CYn1h0gLBdNxDGkKJg6hYohgeD8=")] // signed with :1234
    [InlineData("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=")] // signed with :1234
    [InlineData("https://MyCompany.com/myapp.php?foo=1&bar=2", "g9IN/x4Cft2g517EjYvEvM/W7LU=")] // host casing kept
    [InlineData("https://MyCompany.com:1234/myapp.php?foo=1&bar=2", "PCqOZm8cnu/L6+u5i5fuEd+Iac4=")]
    [InlineData("http://MyCompany.com/myapp.php?foo=1&bar=2", "XY7AlKOKL6im4yWyX84gldUrtis=")]
    [InlineData("http://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "PJ08CxXr7KLPjEQCTc8LkUSMwSM=")] // credentials kept
    [InlineData("HTTP://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "hy/l8pca+LFms4cvRdv8uiP6NGc=")] // scheme casing kept
    [InlineData("http://Username:Password@MyCompany.com/myapp.php?foo=1&bar=2", "SkTSKyDJH9kUlhItI0slbgZ1UsI=")]
    public void Published_port_and_casing_vectors_are_valid(string url, string signature) =>
        TwilioSignature.IsValid(Token, url, Params, signature).ShouldBeTrue();

    [Theory]
    [InlineData("https://MyCompany.com/myapp.php?foo=1&bar=2")]
    [InlineData("https://MyCompany.com:1234/myapp.php?foo=1&bar=2")]
    [InlineData("http://MyCompany.com/myapp.php?foo=1&bar=2")]
    public void Published_vectors_reject_the_lower_case_signature_for_a_mixed_case_host(string url) =>
        TwilioSignature.IsValid(Token, url, Params, Signature).ShouldBeFalse();

    [Theory]
    [InlineData("https://mycompany.com:443/myapp.php?foo=1&bar=2")] // default port present, signature made without it
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2")]
    public void Https_default_port_is_optional_either_way(string url) =>
        TwilioSignature.IsValid(Token, url, Params, Signature).ShouldBeTrue();

    [Fact]
    public void Http_default_port_is_optional_either_way()
    {
        var signedWithoutPort = TwilioSignature.Compute(Token, "http://mycompany.com/myapp.php?foo=1&bar=2", Params);
        TwilioSignature.IsValid(Token, "http://mycompany.com:80/myapp.php?foo=1&bar=2", Params, signedWithoutPort).ShouldBeTrue();
        TwilioSignature.IsValid(Token, "http://mycompany.com/myapp.php?foo=1&bar=2", Params, "0ZXoZLH/DfblKGATFgpif+LLRf4=").ShouldBeTrue();
    }

    [Theory]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2")]
    [InlineData("https://mycompany.com:443/myapp.php?foo=1&bar=2")]
    [InlineData("https://mycompany.com:4321/myapp.php?foo=1&bar=2")]
    [InlineData("http://mycompany.com:1234/myapp.php?foo=1&bar=2")]
    public void A_signature_over_a_non_default_port_matches_only_that_port(string url) =>
        TwilioSignature.IsValid(Token, url, Params, "CYn1h0gLBdNxDGkKJg6hYohgeD8=").ShouldBeFalse(); // https :1234

    [Fact]
    public void Percent_encoding_in_the_url_is_signed_as_received_not_decoded()
    {
        const string encoded = "https://example.com/hook?name=O%27Brien%20%26%20Co";
        var signature = TwilioSignature.Compute(Token, encoded, Params);
        TwilioSignature.IsValid(Token, encoded, Params, signature).ShouldBeTrue();
        TwilioSignature.IsValid(Token, "https://example.com/hook?name=O'Brien & Co", Params, signature).ShouldBeFalse();
    }

    [Fact]
    public void Ipv6_hosts_keep_their_brackets_when_the_port_is_removed()
    {
        var signature = TwilioSignature.Compute(Token, "https://[2001:db8::1]/hook", Params);
        TwilioSignature.IsValid(Token, "https://[2001:db8::1]:443/hook", Params, signature).ShouldBeTrue();
    }

    [Fact]
    public void Json_body_hash_matches_the_published_value() =>
        TwilioSignature.ComputeBodyHash(System.Text.Encoding.UTF8.GetBytes(Body)).ShouldBe(BodyHash);

    [Fact]
    public void Json_body_with_the_published_signature_is_valid() =>
        TwilioSignature.IsValidJson(Token, Url + "&bodySHA256=" + BodyHash, Body, BodySignature).ShouldBeTrue();

    [Fact]
    public void Json_body_with_only_the_hash_in_the_query_is_valid() => // twilio-csharp TestValidateWithOnlyHash
        TwilioSignature.IsValidJson(Token, "https://mycompany.com/myapp.php?bodySHA256=" + BodyHash, Body, "y77kIzt2vzLz71DgmJGsen2scGs=").ShouldBeTrue();

    [Fact]
    public void A_tampered_json_body_is_rejected_even_with_a_valid_url_signature() =>
        TwilioSignature.IsValidJson(Token, Url + "&bodySHA256=" + BodyHash, Body.Replace("true", "false"), BodySignature).ShouldBeFalse();

    [Fact]
    public void A_json_body_whose_hash_in_the_url_was_changed_is_rejected()
    {
        var otherHash = TwilioSignature.ComputeBodyHash("{}"u8);
        TwilioSignature.IsValidJson(Token, Url + "&bodySHA256=" + otherHash, "{}", BodySignature).ShouldBeFalse();
    }

    [Theory]
    [InlineData("not-hex")]
    [InlineData("")]
    public void A_malformed_body_hash_is_rejected(string hash) =>
        TwilioSignature.IsValidJson(Token, Url + "&bodySHA256=" + hash, Body, BodySignature).ShouldBeFalse();

    [Fact]
    public void A_json_body_without_a_hash_in_the_url_is_rejected() => // twilio-csharp TestValidateWithBodyWithoutSignature
        TwilioSignature.IsValidJson(Token, Url, Body, Signature).ShouldBeFalse();

    [Fact]
    public void A_json_body_with_a_missing_signature_is_rejected() =>
        TwilioSignature.IsValidJson(Token, Url + "&bodySHA256=" + BodyHash, Body, null).ShouldBeFalse();
}
