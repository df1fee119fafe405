using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform.ScaleOut;

/// <summary>
/// Debian's real nginx in front of app instances, running the shipped deploy/nginx/switchboard.conf with only the
/// addresses changed: the test's loopback ports for HTTP and HTTPS, the instances' ports in the upstreams, and a
/// self-signed certificate made here. It runs in its own -p prefix directory, in the foreground (daemon off), with an
/// access log that names the instance each request went to. The switchboard script installs nginx (ensure_nginx).
/// </summary>
public sealed class TestNginx : IAsyncDisposable
{
    private const string Nginx = "/usr/sbin/nginx";
    private static readonly string[] ShippedPorts = ["127.0.0.1:5001", "127.0.0.1:5002", "127.0.0.1:5003"];

    private readonly string _directory;
    private readonly Process _process;

    private TestNginx(string directory, Process process, int httpPort, int httpsPort, X509Certificate2 certificate)
    {
        _directory = directory;
        _process = process;
        HttpPort = httpPort;
        HttpsPort = httpsPort;
        Certificate = certificate;
    }

    public int HttpPort { get; }
    public int HttpsPort { get; }
    public Uri Https => new($"https://127.0.0.1:{HttpsPort}");
    public Uri Http => new($"http://127.0.0.1:{HttpPort}");
    public string Origin => $"https://127.0.0.1:{HttpsPort}";

    /// <summary>The server certificate nginx presents; clients accept it and no other.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The shipped configuration, from the repository the tests were built from.</summary>
    public static string ShippedConfigPath => Path.Combine(RepositoryRoot(), "deploy", "nginx", "switchboard.conf");

    public static async Task<TestNginx> StartAsync(IReadOnlyList<int> instancePorts)
    {
        if (!File.Exists(Nginx)) throw new InvalidOperationException("nginx is not installed: ./switchboard test installs it (apt-get install nginx).");
        if (instancePorts.Count != ShippedPorts.Length) throw new ArgumentException($"The shipped config lists {ShippedPorts.Length} instances.", nameof(instancePorts));
        var directory = Directory.CreateTempSubdirectory("switchboard-nginx-").FullName;
        Directory.CreateDirectory(Path.Combine(directory, "logs"));
        Directory.CreateDirectory(Path.Combine(directory, "tmp"));
        var (httpPort, httpsPort) = (Loopback.FreePort(), Loopback.FreePort());
        var certificate = SelfSigned();
        await File.WriteAllTextAsync(Path.Combine(directory, "cert.pem"), certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(directory, "key.pem"), certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());

        var site = await File.ReadAllTextAsync(ShippedConfigPath);
        for (var i = 0; i < ShippedPorts.Length; i++) site = Replace(site, ShippedPorts[i], $"127.0.0.1:{instancePorts[i]}");
        site = Replace(site, "    listen [::]:80;\n", "");
        site = Replace(site, "    listen [::]:443 ssl http2;\n", "");
        site = Replace(site, "listen 80;", $"listen 127.0.0.1:{httpPort};");
        site = Replace(site, "listen 443 ssl http2;", $"listen 127.0.0.1:{httpsPort} ssl http2;");
        site = Replace(site, "return 301 https://$host$request_uri;", $"return 301 https://$host:{httpsPort}$request_uri;");
        site = Replace(site, "/etc/ssl/switchboard/fullchain.pem", Path.Combine(directory, "cert.pem"));
        site = Replace(site, "/etc/ssl/switchboard/privkey.pem", Path.Combine(directory, "key.pem"));
        await File.WriteAllTextAsync(Path.Combine(directory, "switchboard.conf"), site);

        // The master may run as root (this machine's test runner); its workers then run as root too, in a directory
        // only the test uses.
        var user = Environment.UserName == "root" ? "user root root;" : "";
        await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"), $$"""
            {{user}}
            daemon off;
            worker_processes 2;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/logs/error.log warn;
            events { worker_connections 1024; }
            http {
                log_format upstreams '$request_method $uri $status $upstream_addr';
                access_log {{directory}}/logs/access.log upstreams;
                client_body_temp_path {{directory}}/tmp/body;
                proxy_temp_path {{directory}}/tmp/proxy;
                fastcgi_temp_path {{directory}}/tmp/fastcgi;
                uwsgi_temp_path {{directory}}/tmp/uwsgi;
                scgi_temp_path {{directory}}/tmp/scgi;
                include {{directory}}/switchboard.conf;
            }
            """);

        var start = new ProcessStartInfo(Nginx)
        {
            ArgumentList = { "-p", directory, "-c", Path.Combine(directory, "nginx.conf") },
            UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true,
        };
        var process = Process.Start(start)!;
        var nginx = new TestNginx(directory, process, httpPort, httpsPort, certificate);
        await Eventually.Until(() => Task.FromResult(process.HasExited || (Loopback.Listening(httpsPort) && Loopback.Listening(httpPort))), up => up,
            TimeSpan.FromSeconds(30), "nginx to listen");
        if (process.HasExited) throw new InvalidOperationException($"nginx stopped: {await process.StandardError.ReadToEndAsync()}\n{nginx.ErrorLog()}");
        return nginx;
    }

    /// <summary>A client of nginx's HTTPS port that trusts the test's certificate and nothing else.</summary>
    public HttpClient CreateClient(bool followRedirects = false, Uri? baseAddress = null) =>
        new(new HttpClientHandler
        {
            AllowAutoRedirect = followRedirects, UseCookies = false,
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == Certificate.Thumbprint,
        }) { BaseAddress = baseAddress ?? Https };

    /// <summary>Access log lines "METHOD /path STATUS upstream" (upstream is the instance's host:port).</summary>
    public IReadOnlyList<string> AccessLog()
    {
        var path = Path.Combine(_directory, "logs", "access.log");
        if (!File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public string ErrorLog()
    {
        var path = Path.Combine(_directory, "logs", "error.log");
        if (!File.Exists(path)) return "";
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Certificate.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean from /tmp.
        }
    }

    private static string Replace(string text, string shipped, string replacement)
    {
        if (!text.Contains(shipped, StringComparison.Ordinal))
            throw new InvalidOperationException($"deploy/nginx/switchboard.conf no longer contains '{shipped.Trim()}': update the test's rendering (TestNginx).");
        return text.Replace(shipped, replacement, StringComparison.Ordinal);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Switchboard.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"No Switchboard.slnx above {AppContext.BaseDirectory}.");
    }
}
