using System.Net;
using System.Net.Sockets;

namespace Switchboard.Platform.Web;

/// <summary>
/// Keeps the server's own requests to addresses a tenant chose (a provider's API base URL, later outbound webhooks)
/// away from the server's neighbourhood: cloud metadata, loopback, private and link-local networks. A URL is checked
/// when it is saved (<see cref="ProblemAsync"/>: https only, and every address its host resolves to must be public)
/// and again on every connection (<see cref="ConnectAsync"/>, the HTTP client's connect callback), which connects only
/// to an address it has just checked, so a DNS answer that changes after the save (rebinding) cannot get through.
/// </summary>
/// <remarks>
/// <c>Security:AllowPrivateNetworkUrls</c> (configuration only, off by default) lets plain http and loopback/private
/// targets through, for tests and local development. Link-local addresses (cloud metadata at 169.254.169.254,
/// fd00:ec2::254 is unique-local and falls under the private rule) and addresses that are never a real destination
/// (unspecified, multicast, broadcast, reserved) are refused whatever the setting.
/// </remarks>
[Singleton]
public sealed class PrivateNetworkGuard(IOptions<SecurityOptions> options)
{
    private bool AllowPrivate => options.Value.AllowPrivateNetworkUrls;

    /// <summary>What kind of destination an address is.</summary>
    public enum Reach
    {
        Public,
        /// <summary>Loopback, RFC 1918, carrier-grade NAT, IPv6 unique-local: allowed only with AllowPrivateNetworkUrls.</summary>
        Private,
        /// <summary>Link-local (cloud metadata), unspecified, multicast, broadcast, reserved, documentation: never.</summary>
        Forbidden,
    }

    private static readonly IPNetwork[] PrivateNetworks =
    [
        IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"),
    ];

    private static readonly IPNetwork[] ForbiddenNetworks =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("ff00::/8"), IPNetwork.Parse("2001:db8::/32"),
    ];

    /// <summary>NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits, as IPv4-mapped addresses do.</summary>
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    public static Reach Classify(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) return Classify(address.MapToIPv4());
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && Nat64.Contains(address))
            return Classify(new IPAddress(address.GetAddressBytes()[12..]));
        if (ForbiddenNetworks.Any(n => n.Contains(address))) return Reach.Forbidden;
        return PrivateNetworks.Any(n => n.Contains(address)) ? Reach.Private : Reach.Public;
    }

    /// <summary>Whether the server may connect to this address under the current setting.</summary>
    public bool MayConnect(IPAddress address) => Classify(address) switch
    {
        Reach.Public => true,
        Reach.Private => AllowPrivate,
        _ => false,
    };

    /// <summary>
    /// Why the server must not send requests to <paramref name="url"/>, or null when it may: the message a settings
    /// form shows under the field. Resolves the host; a host that does not resolve is refused too.
    /// </summary>
    public async Task<string?> ProblemAsync(string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            return $"'{url}' is not an absolute http(s) URL.";
        if (uri.Scheme == "http" && !AllowPrivate) return "Use an https:// URL.";
        if (uri.UserInfo.Length > 0) return "Leave the user name and password out of the URL.";
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(uri.IdnHost, ct);
        }
        catch (SocketException)
        {
            return $"The host '{uri.Host}' could not be found.";
        }
        if (addresses.Length == 0) return $"The host '{uri.Host}' could not be found.";
        return addresses.FirstOrDefault(a => !MayConnect(a)) is { } refused ? Refusal(uri.Host, refused) : null;
    }

    /// <summary>
    /// The HTTP client's connect callback: resolves the host, refuses the connection when any of its addresses may
    /// not be reached, and connects to the checked addresses only.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = await ResolveAsync(host, ct);
        if (addresses.FirstOrDefault(a => !MayConnect(a)) is { } refused) throw new RefusedAddressException(Refusal(host, refused));
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        var literal = host.Trim('[', ']');
        return IPAddress.TryParse(literal, out var address) ? [address] : await Dns.GetHostAddressesAsync(host, ct);
    }

    private string Refusal(string host, IPAddress address) =>
        Classify(address) == Reach.Private
            ? $"'{host}' is on a private or loopback network ({address}); the server does not send requests there."
            : $"'{host}' resolves to {address}, an address the server never sends requests to (link-local, metadata or reserved).";
}

/// <summary>A connection the <see cref="PrivateNetworkGuard"/> refused; its message says which address and why.</summary>
public sealed class RefusedAddressException(string message) : IOException(message);

public static class PrivateNetworkGuardRegistration
{
    /// <summary>Every connection this client opens goes through the guard's connect callback.</summary>
    public static IHttpClientBuilder WithPrivateNetworkGuard(this IHttpClientBuilder builder) =>
        builder.ConfigurePrimaryHttpMessageHandler(services => new SocketsHttpHandler
        {
            ConnectCallback = services.GetRequiredService<PrivateNetworkGuard>().ConnectAsync,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        });
}
