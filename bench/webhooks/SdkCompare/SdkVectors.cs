using System.Collections.Specialized;
using SdkRequestValidator = Twilio.Security.RequestValidator;

namespace Switchboard.Bench;

/// <summary>
/// <c>--vectors</c>: the Twilio SDK's RequestValidator against the published vectors our TwilioSignatureTests pin
/// (tests/Switchboard.Tests/Features/Telephony/TwilioSignatureTests.cs). Prints each check and whether the SDK agrees.
/// </summary>
public static class SdkVectors
{
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string Signature = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    private const string Body = "{\"property\": \"value\", \"boolean\": true}";
    private const string BodyHash = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";

    private static readonly Dictionary<string, string> Params = new()
    {
        ["CallSid"] = "CA1234567890ABCDE", ["From"] = "+14158675309", ["Digits"] = "1234", ["To"] = "+18005551212", ["Caller"] = "+14158675309",
    };

    public static int Run()
    {
        var sdk = new SdkRequestValidator("12345");
        var failures = 0;
        void Check(string name, Func<bool> expected)
        {
            bool ok;
            try { ok = expected(); }
            catch (Exception e) { Console.WriteLine($"FAIL  {name}: threw {e.GetType().Name}"); failures++; return; }
            Console.WriteLine($"{(ok ? "ok   " : "FAIL ")} {name}");
            if (!ok) failures++;
        }

        Check("published signature is valid", () => sdk.Validate(Url, Params, Signature));
        var repeated = new NameValueCollection { { "Sid", "CA123" }, { "SidAccount", "AC123" }, { "Digits", "5678" }, { "Digits", "1234" }, { "Digits", "1234" } };
        Check("repeated keys sign each distinct value in order (twilio-python/php vector)", () => sdk.Validate(Url, repeated, "IK+Dwps556ElfBT0I3Rgjkr1wJU="));
        foreach (var (url, signature) in new[]
                 {
                     ("https://mycompany.com/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w="),
                     ("http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4="),
                     ("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
                     ("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "CYn1h0gLBdNxDGkKJg6hYohgeD8="),
                     ("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="),
                     ("https://MyCompany.com/myapp.php?foo=1&bar=2", "g9IN/x4Cft2g517EjYvEvM/W7LU="),
                     ("https://MyCompany.com:1234/myapp.php?foo=1&bar=2", "PCqOZm8cnu/L6+u5i5fuEd+Iac4="),
                     ("http://MyCompany.com/myapp.php?foo=1&bar=2", "XY7AlKOKL6im4yWyX84gldUrtis="),
                     ("http://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "PJ08CxXr7KLPjEQCTc8LkUSMwSM="),
                     ("HTTP://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "hy/l8pca+LFms4cvRdv8uiP6NGc="),
                     ("http://Username:Password@MyCompany.com/myapp.php?foo=1&bar=2", "SkTSKyDJH9kUlhItI0slbgZ1UsI="),
                 })
            Check($"port/casing vector {url} {signature}", () => sdk.Validate(url, Params, signature));
        foreach (var url in new[] { "https://mycompany.com/myapp.php?foo=1&bar=2", "https://mycompany.com:443/myapp.php?foo=1&bar=2", "https://mycompany.com:4321/myapp.php?foo=1&bar=2", "http://mycompany.com:1234/myapp.php?foo=1&bar=2" })
            Check($"a :1234 signature does not match {url}", () => !sdk.Validate(url, Params, "CYn1h0gLBdNxDGkKJg6hYohgeD8="));
        Check("https default port is optional (:443 present, signed without)", () => sdk.Validate("https://mycompany.com:443/myapp.php?foo=1&bar=2", Params, Signature));
        Check("a missing signature is rejected, not an exception", () => !sdk.Validate(Url, Params, null));
        Check("JSON body with the published signature is valid", () => sdk.Validate(Url + "&bodySHA256=" + BodyHash, Body, "a9nBmqA0ju/hNViExpshrM61xv4="));
        Check("tampered JSON body is rejected", () => !sdk.Validate(Url + "&bodySHA256=" + BodyHash, Body.Replace("true", "false"), "a9nBmqA0ju/hNViExpshrM61xv4="));
        Check("an empty auth token is a configuration error, not a pass", () =>
        {
            try { return !new SdkRequestValidator("").Validate(Url, Params, Signature); }
            catch (ArgumentException) { return true; }
        });
        Check("TwiML: a control character from a bad import does not break the answer", () =>
            new Twilio.TwiML.VoiceResponse().Say("Caller \u0001 name").ToString().Contains("Caller"));
        Check("TwiML (ours, for comparison): the same answer is written", () =>
            Switchboard.Features.Telephony.Providers.Twilio.TwiML.Response().Say("Caller \u0001 name").ToXml().Contains("Caller  name"));
        Console.WriteLine($"{failures} of the checks failed with the SDK.");
        return failures;
    }
}
