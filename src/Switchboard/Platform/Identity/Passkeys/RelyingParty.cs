using System.Net;
using Fido2NetLib;

namespace Switchboard.Platform.Identity.Passkeys;

/// <summary>
/// Passkeys (ADR 0050): the WebAuthn relying party. <see cref="RpId"/> is the domain passkeys are bound to and
/// <see cref="Origins"/> the pages allowed to use them. Both default to App:PublicUrl (its host, its origin); without
/// it, to the request's own host and origin (enough for <c>run</c> on one machine and for the tests on localhost).
/// </summary>
public sealed class PasskeyOptions : IValidatedOptions
{
    public const string Section = "Passkeys";

    /// <summary>The RP ID: a registrable domain, equal to or a parent of every origin's host (e.g. crm.example.com). Never an IP address.</summary>
    public string? RpId { get; set; }

    /// <summary>The origins (scheme://host[:port]) whose pages may create and use passkeys.</summary>
    public string[] Origins { get; set; } = [];

    /// <summary>The name authenticators show beside the passkey.</summary>
    public string RpName { get; set; } = "Switchboard";

    public IEnumerable<string> Problems()
    {
        if (RpId is { Length: > 0 } rpId && (rpId.Contains("://") || rpId.Contains('/') || rpId.Contains(':') || IPAddress.TryParse(rpId, out _)))
            yield return $"Passkeys:RpId must be a domain name without scheme, port or path (e.g. crm.example.com), never an IP address; got '{rpId}'.";
        foreach (var origin in Origins)
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.PathAndQuery != "/")
                yield return $"Passkeys:Origins must hold origins like https://crm.example.com (scheme, host and port only); got '{origin}'.";
        if (string.IsNullOrWhiteSpace(RpName) || RpName.Length > 64) yield return "Passkeys:RpName must be 1 to 64 characters.";
    }

    internal static void Register(IServiceCollection services)
    {
        services.AddValidatedOptions<PasskeyOptions>(Section);
        services.AddHttpContextAccessor();
    }
}

/// <summary>The library's verifier configured for this request's relying party (<see cref="PasskeyOptions"/>).</summary>
[Scoped]
public sealed class RelyingParty(IOptions<PasskeyOptions> options, IOptions<AppOptions> app, IHttpContextAccessor http)
{
    /// <summary>How long the browser may take, and the ceremony stays valid (five minutes, like an mfaToken).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public Fido2Configuration Configuration()
    {
        var publicUrl = app.Value.PublicUrl is { Length: > 0 } configured ? new Uri(configured) : null;
        var request = http.HttpContext?.Request;
        var requestOrigin = request is null ? null : $"{request.Scheme}://{request.Host.Value}";
        var origins = options.Value.Origins is { Length: > 0 } listed ? listed.Select(o => o.TrimEnd('/')).ToHashSet()
            : publicUrl is not null ? [publicUrl.GetLeftPart(UriPartial.Authority)]
            : requestOrigin is not null ? [requestOrigin] : [];
        return new Fido2Configuration
        {
            RPID = options.Value.RpId is { Length: > 0 } rpId ? rpId : publicUrl?.Host ?? request?.Host.Host ?? "localhost",
            RPName = options.Value.RpName,
            Origins = origins,
            ChallengeSize = 32,
            Timeout = (uint)Timeout.TotalMilliseconds,
        };
    }

    public Fido2 Verifier() => new(Configuration());
}
