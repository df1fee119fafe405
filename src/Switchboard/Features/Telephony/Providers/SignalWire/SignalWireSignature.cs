using Microsoft.AspNetCore.Http;
using Switchboard.Features.Telephony.Providers.Twilio;

namespace Switchboard.Features.Telephony.Providers.SignalWire;

/// <summary>
/// SignalWire webhook signatures, keyed by the project's Signing Key (not the API token).
/// Compatibility (LaML/cXML) callbacks are form posts signed exactly like Twilio's, so they go through
/// <see cref="TwilioSignature"/>. RELAY/SWML callbacks post raw JSON signed as lower-hex
/// HMAC-SHA1(key, url + raw body), with the same with/without-port tolerance. Both schemes are what
/// signalwire-python's RequestValidator implements (signalwire/request_validator.py).
/// </summary>
public static class SignalWireSignature
{
    public const string HeaderName = "X-SignalWire-Signature";

    /// <summary>Compatibility API callbacks also carry the Twilio header, so Twilio-style middleware keeps working.</summary>
    public const string CompatibilityHeaderName = TwilioSignature.HeaderName;

    /// <summary>Validates a compatibility-API form callback (status callbacks, recording callbacks, TwiML fetches).</summary>
    public static bool IsValidForm(string signingKey, string url, IEnumerable<KeyValuePair<string, string>> formParams, string? signature) =>
        TwilioSignature.IsValid(signingKey, url, formParams, signature);

    /// <summary>The RELAY/SWML signature for a raw (JSON) body.</summary>
    public static string ComputeForRawBody(string signingKey, string url, string rawBody)
    {
        ArgumentException.ThrowIfNullOrEmpty(signingKey);
        return Convert.ToHexStringLower(TwilioSignature.HmacSha1(signingKey, url + rawBody));
    }

    /// <summary>Validates a RELAY/SWML raw-body callback. The body must be the exact text received, before any parsing.</summary>
    public static bool IsValidRawBody(string signingKey, string url, string rawBody, string? signature)
    {
        ArgumentException.ThrowIfNullOrEmpty(signingKey);
        if (string.IsNullOrEmpty(signature)) return false;
        return TwilioSignature.MatchesAnyPortVariant(url, signature, candidate => ComputeForRawBody(signingKey, candidate, rawBody));
    }

    /// <summary>
    /// The signature SignalWire sent: its own header first, the Twilio-compatible one as fallback
    /// (SignalWire's SDKs accept either). Null when neither is present, which callers must reject.
    /// </summary>
    public static string? ReadSignature(IHeaderDictionary headers)
    {
        var own = headers[HeaderName].ToString();
        if (own.Length > 0) return own;
        var compatible = headers[CompatibilityHeaderName].ToString();
        return compatible.Length > 0 ? compatible : null;
    }

    /// <summary>Convenience for a body held as bytes: SignalWire signs the UTF-8 text of the body.</summary>
    public static bool IsValidRawBody(string signingKey, string url, ReadOnlySpan<byte> rawBody, string? signature) =>
        IsValidRawBody(signingKey, url, Encoding.UTF8.GetString(rawBody), signature);
}
