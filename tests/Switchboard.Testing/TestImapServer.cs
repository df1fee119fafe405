using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace Switchboard.Testing;

/// <summary>
/// Debian's real dovecot (IMAP4rev1 with IDLE, UIDPLUS, MOVE, SPECIAL-USE), started by a test class on a free loopback
/// port with its own configuration, run and state directories, a passwd-file of users and a Maildir per user under a
/// temporary directory; no system service is involved. Plain-text login is allowed (loopback only). dovecot refuses to
/// run its login process or mail processes as root: as root the login process runs as dovenull, internal processes as
/// dovecot, and mail is stored as the dovecot user (the package creates both); as anyone else everything runs as that
/// user. Mailboxes get INBOX, Sent (\Sent), Archive (\Archive) and Trash (\Trash). The switchboard script installs
/// dovecot-imapd (ensure_dovecot).
/// </summary>
public sealed class TestImapServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Process _process;
    private readonly SemaphoreSlim _usersLock = new(1, 1);

    public int Port { get; }

    private TestImapServer(string directory, Process process, int port)
    {
        _directory = directory;
        _process = process;
        Port = port;
    }

    public static async Task<TestImapServer> StartAsync()
    {
        const string dovecot = "/usr/sbin/dovecot";
        if (!File.Exists(dovecot)) throw new InvalidOperationException("dovecot is not installed: ./switchboard test installs it (apt-get install dovecot-imapd).");
        var directory = Directory.CreateTempSubdirectory("switchboard-dovecot-").FullName;
        // The login and mail processes run as other users, who must reach the directory.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var mail = Directory.CreateDirectory(Path.Combine(directory, "mail")).FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "users"), "");
        var root = Environment.UserName == "root";
        var me = Environment.UserName;
        if (root) await RunAsync("chown", "dovecot:dovecot", mail);
        var port = Loopback.FreePort();
        var mailUser = root ? "dovecot" : me;
        await File.WriteAllTextAsync(Path.Combine(directory, "dovecot.conf"), $$"""
            protocols = imap
            listen = 127.0.0.1
            base_dir = {{directory}}/run
            state_dir = {{directory}}/state
            instance_name = switchboard-test-{{port}}
            log_path = {{directory}}/dovecot.log
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            default_internal_user = {{(root ? "dovecot" : me)}}
            default_internal_group = {{(root ? "dovecot" : me)}}
            default_login_user = {{(root ? "dovenull" : me)}}
            mail_location = maildir:{{mail}}/%u
            first_valid_uid = 1
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{port}}
              }
              inet_listener imaps {
                port = 0
              }
              chroot =
            }
            service anvil {
              chroot =
            }
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{directory}}/users
            }
            userdb {
              driver = static
              args = uid={{mailUser}} gid={{mailUser}} home={{mail}}/%u
            }
            namespace inbox {
              inbox = yes
              mailbox Sent {
                special_use = \Sent
                auto = subscribe
              }
              mailbox Archive {
                special_use = \Archive
                auto = subscribe
              }
              mailbox Trash {
                special_use = \Trash
                auto = subscribe
              }
            }
            """);
        var process = Process.Start(new ProcessStartInfo(dovecot)
        {
            // -F keeps the master in the foreground, a child of the test run, stopped with its children on dispose.
            ArgumentList = { "-F", "-c", Path.Combine(directory, "dovecot.conf") },
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        })!;
        var server = new TestImapServer(directory, process, port);
        await Eventually.Until(() => Task.FromResult(process.HasExited || Loopback.Listening(port)), up => up, TimeSpan.FromSeconds(30), "dovecot to listen");
        if (process.HasExited) throw new InvalidOperationException($"dovecot stopped: {await process.StandardError.ReadToEndAsync()}\n{server.Log()}");
        return server;
    }

    /// <summary>The server's log, for a failing test's message.</summary>
    public string Log() => File.Exists(Path.Combine(_directory, "dovecot.log")) ? File.ReadAllText(Path.Combine(_directory, "dovecot.log")) : "";

    /// <summary>Adds a user (an address as the login name) with a password; dovecot re-reads the passwd-file when it changes.</summary>
    public async Task AddUserAsync(string user, string password)
    {
        await _usersLock.WaitAsync();
        try
        {
            await File.AppendAllTextAsync(Path.Combine(_directory, "users"), $"{user}:{{PLAIN}}{password}\n");
        }
        finally
        {
            _usersLock.Release();
        }
    }

    /// <summary>A client signed in as the user (the test's own hand on the mailbox, as another mail client would be).</summary>
    public async Task<ImapClient> OpenAsync(string user, string password)
    {
        var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(user, password);
        return client;
    }

    /// <summary>Delivers a message into a folder (INBOX by default) and returns its UID.</summary>
    public async Task<uint> AppendAsync(string user, string password, MimeMessage message, string folder = "INBOX")
    {
        using var client = await OpenAsync(user, password);
        var target = folder == "INBOX" ? client.Inbox : await client.GetFolderAsync(folder);
        var uid = await target.AppendAsync(message, MessageFlags.None);
        await client.DisconnectAsync(true);
        return uid?.Id ?? throw new InvalidOperationException("dovecot returned no APPENDUID.");
    }

    /// <summary>Moves the message with this Message-ID from <paramref name="from"/> to <paramref name="to"/> (IMAP MOVE).</summary>
    public async Task MoveAsync(string user, string password, string messageId, string from, string to)
    {
        using var client = await OpenAsync(user, password);
        var source = from == "INBOX" ? client.Inbox : await client.GetFolderAsync(from);
        await source.OpenAsync(FolderAccess.ReadWrite);
        var uids = await source.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId));
        if (uids.Count == 0) throw new InvalidOperationException($"No message {messageId} in {from}.");
        await source.MoveToAsync(uids, await client.GetFolderAsync(to));
        await client.DisconnectAsync(true);
    }

    /// <summary>Deletes the message with this Message-ID from a folder for good (\Deleted + EXPUNGE).</summary>
    public async Task DeleteAsync(string user, string password, string messageId, string folder = "INBOX")
    {
        using var client = await OpenAsync(user, password);
        var source = folder == "INBOX" ? client.Inbox : await client.GetFolderAsync(folder);
        await source.OpenAsync(FolderAccess.ReadWrite);
        var uids = await source.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId));
        await source.AddFlagsAsync(uids, MessageFlags.Deleted, true);
        await source.ExpungeAsync(uids);
        await client.DisconnectAsync(true);
    }

    /// <summary>The Message-IDs in a folder, as the server has them.</summary>
    public async Task<IReadOnlyList<string>> MessageIdsAsync(string user, string password, string folder)
    {
        using var client = await OpenAsync(user, password);
        var source = folder == "INBOX" ? client.Inbox : await client.GetFolderAsync(folder);
        await source.OpenAsync(FolderAccess.ReadOnly);
        var summaries = await source.FetchAsync(0, -1, MessageSummaryItems.Envelope);
        await client.DisconnectAsync(true);
        return summaries.Select(s => s.Envelope?.MessageId).OfType<string>().ToList();
    }

    /// <summary>
    /// Makes dovecot renumber the user's INBOX with a new UIDVALIDITY, as a server does after its index is rebuilt: the
    /// Maildir's UID list and index files are removed (no client may have the INBOX open meanwhile).
    /// </summary>
    public async Task<uint> ResetInboxUidValidityAsync(string user, string password)
    {
        var home = Path.Combine(_directory, "mail", user);
        foreach (var file in Directory.GetFiles(home, "dovecot*").Where(f => !Path.GetFileName(f).StartsWith("dovecot-uidvalidity", StringComparison.Ordinal)))
            File.Delete(file);
        using var client = await OpenAsync(user, password);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var validity = client.Inbox.UidValidity;
        await client.DisconnectAsync(true);
        return validity;
    }

    public static MimeMessage Message(string from, string to, string subject, string text, string? messageId = null, string? inReplyTo = null,
        IEnumerable<string>? references = null, string? cc = null)
    {
        var message = new MimeMessage { Subject = subject, Date = DateTimeOffset.UtcNow, MessageId = messageId ?? MimeKit.Utils.MimeUtils.GenerateMessageId("sender.test") };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        if (cc is not null) message.Cc.Add(MailboxAddress.Parse(cc));
        if (inReplyTo is not null) message.InReplyTo = inReplyTo;
        foreach (var reference in references ?? []) message.References.Add(reference);
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    private static async Task RunAsync(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} failed: {await process.StandardError.ReadToEndAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
