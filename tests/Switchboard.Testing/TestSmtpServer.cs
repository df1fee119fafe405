using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Switchboard.Testing;

/// <summary>
/// A real SMTP server on loopback (the SmtpServer package: ESMTP, STARTTLS, AUTH), started by a test. It keeps what it
/// receives as parsed MIME messages, and can require credentials, refuse recipients for good (550), turn messages
/// away for a while (451), or offer STARTTLS with a self-signed certificate.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private readonly Store _store;

    private TestSmtpServer(int port, TestSmtpOptions options)
    {
        Port = port;
        Options = options;
        _store = new Store(this);
        var endpoint = new EndpointDefinitionBuilder()
            .Endpoint(new IPEndPoint(IPAddress.Loopback, port))
            .AllowUnsecureAuthentication(options.Certificate is null)
            .AuthenticationRequired(options.Username is not null);
        if (options.Certificate is not null) endpoint.Certificate(options.Certificate);
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_store);
        services.Add(new Filter(this));
        services.Add(new Authenticator(options));
        var server = new SmtpServer.SmtpServer(new SmtpServerOptionsBuilder().ServerName("smtp.test").Endpoint(endpoint.Build()).Build(), services);
        _running = server.StartAsync(_stop.Token);
    }

    public int Port { get; }
    public TestSmtpOptions Options { get; }

    /// <summary>Every message accepted, in order.</summary>
    public ConcurrentQueue<MimeMessage> Received { get; } = new();

    /// <summary>How many more messages to turn away with 451 (try again later) before accepting.</summary>
    public int DeferNext;

    public static Task<TestSmtpServer> StartAsync(TestSmtpOptions? options = null)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return Task.FromResult(new TestSmtpServer(port, options ?? new TestSmtpOptions()));
    }

    /// <summary>The app's Smtp:* settings for this server.</summary>
    public IDictionary<string, string?> Settings(string security = "none") => new Dictionary<string, string?>
    {
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = Port.ToString(),
        ["Smtp:Security"] = security,
        ["Smtp:From"] = "Switchboard <crm@switchboard.test>",
        ["Smtp:Username"] = Options.Username,
        ["Smtp:Password"] = Options.Password,
        ["Smtp:TimeoutSeconds"] = "10",
    };

    /// <summary>Waits for a message to <paramref name="address"/> that matches, and returns the newest such.</summary>
    public async Task<MimeMessage> WaitForAsync(string address, Func<MimeMessage, bool>? match = null, TimeSpan? timeout = null) =>
        (await Eventually.Until<MimeMessage?>(
            () => Received.LastOrDefault(m => m.To.Mailboxes.Any(b => b.Address.Equals(address, StringComparison.OrdinalIgnoreCase)) && (match?.Invoke(m) ?? true)),
            m => m is not null, timeout ?? Eventually.DefaultTimeout, $"an email to {address}"))!;

    /// <summary>The link to <paramref name="path"/> ("/reset-password") in the newest matching email to <paramref name="address"/>, as its reader would click it.</summary>
    public async Task<string> LinkAsync(string address, string path, Func<MimeMessage, bool>? match = null)
    {
        var message = await WaitForAsync(address, m => (m.TextBody ?? "").Contains(path + "?") && (match?.Invoke(m) ?? true));
        var text = message.TextBody!;
        var at = text.IndexOf(path + "?", StringComparison.Ordinal);
        var start = text.LastIndexOf("http", at, StringComparison.Ordinal);
        var end = at;
        while (end < text.Length && !char.IsWhiteSpace(text[end])) end++;
        return text[start..end];
    }

    /// <summary>A self-signed certificate for "localhost", for STARTTLS that a client does not trust.</summary>
    public static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private sealed class Store(TestSmtpServer server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken ct)
        {
            if (Interlocked.Decrement(ref server.DeferNext) >= 0) return new SmtpResponse((SmtpReplyCode)451, "Try again later");
            await using var stream = new MemoryStream(buffer.ToArray());
            server.Received.Enqueue(await MimeMessage.LoadAsync(stream, ct));
            return SmtpResponse.Ok;
        }
    }

    private sealed class Filter(TestSmtpServer server) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken ct) => Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken ct) =>
            Task.FromResult(!server.Options.RefusedRecipients.Contains(to.AsAddress(), StringComparer.OrdinalIgnoreCase));
    }

    private sealed class Authenticator(TestSmtpOptions options) : IUserAuthenticator
    {
        public Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken ct) =>
            Task.FromResult(user == options.Username && password == options.Password);
    }
}

public sealed record TestSmtpOptions(string? Username = null, string? Password = null, X509Certificate2? Certificate = null)
{
    /// <summary>Recipients the server refuses for good (550).</summary>
    public IReadOnlyList<string> RefusedRecipients { get; init; } = [];
}
