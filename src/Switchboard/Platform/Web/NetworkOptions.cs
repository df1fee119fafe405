using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Switchboard.Platform.Web;

/// <summary>
/// Behind a reverse proxy: client IP and scheme come from X-Forwarded-* sent by a trusted proxy only
/// (loopback by default; more with Network:KnownProxies, a comma-separated list of IP addresses).
/// </summary>
public sealed class NetworkOptions : IValidatedOptions
{
    public const string Section = "Network";

    public string? KnownProxies { get; set; }

    private IEnumerable<string> Entries => (KnownProxies ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IEnumerable<IPAddress> KnownProxyAddresses() => Entries.Select(IPAddress.Parse);

    public IEnumerable<string> Problems() =>
        Entries.Where(p => !IPAddress.TryParse(p, out _)).Select(p => $"Network:KnownProxies: '{p}' is not an IP address.");

    public static void Register(IServiceCollection services)
    {
        services.AddValidatedOptions<NetworkOptions>(Section);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<NetworkOptions>>((o, network) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in network.Value.KnownProxyAddresses()) o.KnownProxies.Add(proxy);
        });
    }
}
