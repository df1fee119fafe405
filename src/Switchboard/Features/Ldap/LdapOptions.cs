namespace Switchboard.Features.Ldap;

/// <summary>Platform settings of LDAP sign-in (section <c>Ldap</c>), for the operator only (ADR 0048).</summary>
public sealed class LdapOptions : IValidatedOptions
{
    public const string Section = "Ldap";

    /// <summary>
    /// Whether tenants may point LDAP at loopback and private addresses (RFC 1918, unique-local). On by default: a
    /// directory is normally on the company's own network. An operator of a shared installation whose private network
    /// tenants must not reach turns it off. Link-local and metadata addresses are refused whatever this says.
    /// </summary>
    public bool AllowPrivateHosts { get; set; } = true;

    /// <summary>How long one directory operation may take before sign-in gives up (seconds).</summary>
    public int TimeoutSeconds { get; set; } = 10;

    public IEnumerable<string> Problems()
    {
        if (TimeoutSeconds is < 1 or > 120) yield return "Ldap:TimeoutSeconds must be between 1 and 120.";
    }

    internal static void Register(IServiceCollection services) => services.AddValidatedOptions<LdapOptions>(Section);
}
