using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Switchboard.Platform.Web;

public sealed class AppOptions : IValidatedOptions
{
    public const string Section = "App";

    /// <summary>The address people reach Switchboard at (https://crm.example.com): the base of every link in an email.</summary>
    public string? PublicUrl { get; set; }

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(PublicUrl)) yield break;
        if (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Query.Length > 0 || url.Fragment.Length > 0)
            yield return $"App:PublicUrl must be an absolute http or https URL without query (e.g. https://crm.example.com); got '{PublicUrl}'.";
    }

    internal static void Register(IServiceCollection services) => services.AddValidatedOptions<AppOptions>(Section);
}

/// <summary>
/// Absolute links to the app for places outside a request (emails): App:PublicUrl, else the server's own first
/// address (enough for <c>run</c> on one machine).
/// </summary>
[Singleton]
public sealed class AppLinks(IOptions<AppOptions> options, IServer server)
{
    public Uri Base => new((options.Value.PublicUrl?.TrimEnd('/') is { Length: > 0 } url ? url : ServerAddress()) + "/");

    /// <summary>The absolute URL of <paramref name="pathAndQuery"/> ("/invitations/accept?token=…").</summary>
    public string To(string pathAndQuery) => new Uri(Base, pathAndQuery.TrimStart('/')).AbsoluteUri;

    private string ServerAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5080";
        return address.Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://127.0.0.1").Replace("://+", "://127.0.0.1").TrimEnd('/');
    }
}
