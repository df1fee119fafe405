using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.AspNetCore.DataProtection;

namespace Switchboard.Features.Mailboxes;

/// <summary>Where and how to reach a mailbox's IMAP or SMTP server.</summary>
public sealed record MailEndpoint(string Host, int Port, string Security, string Username);

/// <summary>
/// Opens authenticated MailKit clients to a mailbox's servers. A tenant-chosen host is a tenant-chosen address: the host
/// is resolved here, every address is checked by <see cref="PrivateNetworkGuard"/>, and the client is handed a socket
/// connected to a checked address, so a DNS answer cannot change between the check and the connection.
/// </summary>
[Singleton]
public sealed class MailServers(PrivateNetworkGuard guard, IDataProtectionProvider protection)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly IDataProtector _protector = protection.CreateProtector("Switchboard.Mailboxes.Secrets.v1");

    public string Protect(string password) => _protector.Protect(password);

    public string Unprotect(string secret) => _protector.Unprotect(secret);

    public static MailEndpoint Imap(Mailbox m) => new(m.ImapHost, m.ImapPort, m.ImapSecurity, m.ImapUsername);

    public static MailEndpoint Smtp(Mailbox m) => new(m.SmtpHost, m.SmtpPort, m.SmtpSecurity, m.SmtpUsername);

    public Task<ImapClient> OpenImapAsync(Mailbox mailbox, CancellationToken ct) => OpenImapAsync(Imap(mailbox), Unprotect(mailbox.Secret), ct);

    public async Task<ImapClient> OpenImapAsync(MailEndpoint endpoint, string password, CancellationToken ct)
    {
        var client = new ImapClient { Timeout = (int)Timeout.TotalMilliseconds };
        try
        {
            var socket = await ConnectAsync(endpoint, ct);
            await client.ConnectAsync(socket, endpoint.Host, endpoint.Port, Options(endpoint.Security), ct);
            await client.AuthenticateAsync(endpoint.Username, password, ct);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public Task<SmtpClient> OpenSmtpAsync(Mailbox mailbox, CancellationToken ct) => OpenSmtpAsync(Smtp(mailbox), Unprotect(mailbox.Secret), ct);

    public async Task<SmtpClient> OpenSmtpAsync(MailEndpoint endpoint, string password, CancellationToken ct)
    {
        var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        try
        {
            var socket = await ConnectAsync(endpoint, ct);
            await client.ConnectAsync(socket, endpoint.Host, endpoint.Port, Options(endpoint.Security), ct);
            if (client.Capabilities.HasFlag(SmtpCapabilities.Authentication)) await client.AuthenticateAsync(endpoint.Username, password, ct);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>The folder the server marks \Sent (RFC 6154 SPECIAL-USE), or one named Sent; null when there is none.</summary>
    public static async Task<IMailFolder?> SentFolderAsync(ImapClient client, CancellationToken ct)
    {
        if (client.Capabilities.HasFlag(ImapCapabilities.SpecialUse) && client.GetFolder(SpecialFolder.Sent) is { } special) return special;
        var personal = client.GetFolder(client.PersonalNamespaces[0]);
        var folders = await personal.GetSubfoldersAsync(StatusItems.None, false, ct);
        return folders.FirstOrDefault(f => f.Attributes.HasFlag(FolderAttributes.Sent))
            ?? folders.FirstOrDefault(f => f.Name.Equals("Sent", StringComparison.OrdinalIgnoreCase));
    }

    private static SecureSocketOptions Options(string security) => security switch
    {
        MailSecurity.Tls => SecureSocketOptions.SslOnConnect,
        MailSecurity.StartTls => SecureSocketOptions.StartTls,
        _ => SecureSocketOptions.None,
    };

    private async Task<Socket> ConnectAsync(MailEndpoint endpoint, CancellationToken ct)
    {
        var literal = endpoint.Host.Trim('[', ']');
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(literal, out var address) ? [address] : await Dns.GetHostAddressesAsync(endpoint.Host, ct);
        }
        catch (SocketException)
        {
            throw new MailServerRefusedException($"The host '{endpoint.Host}' could not be found.");
        }
        if (addresses.Length == 0) throw new MailServerRefusedException($"The host '{endpoint.Host}' could not be found.");
        if (addresses.FirstOrDefault(a => !guard.MayConnect(a)) is { } refused)
            throw new MailServerRefusedException(PrivateNetworkGuard.Classify(refused) == PrivateNetworkGuard.Reach.Private
                ? $"'{endpoint.Host}' is on a private or loopback network ({refused}); the server does not connect there."
                : $"'{endpoint.Host}' resolves to {refused}, an address the server never connects to (link-local, metadata or reserved).");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Timeout);
            await socket.ConnectAsync(addresses, endpoint.Port, timeout.Token);
            return socket;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new MailServerRefusedException($"Could not connect to {endpoint.Host}:{endpoint.Port}: {e.Message}");
        }
    }
}

/// <summary>A mail server could not be reached, or may not be: the message says why, for the person who set it up.</summary>
public sealed class MailServerRefusedException(string message) : IOException(message);
