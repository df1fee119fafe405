using MailKit.Security;
using MimeKit;

namespace Switchboard.Platform.Email;

/// <summary>
/// How the platform sends email (section <c>Smtp</c>, environment <c>Smtp__Host</c> …). With no host, mail is kept in
/// the dev mailbox when <see cref="DevMailbox"/> is on (<c>run</c> on the embedded database turns it on), and
/// otherwise fails with a status that says SMTP is not configured.
/// </summary>
public sealed record SmtpOptions : IValidatedOptions
{
    public const string Section = "Smtp";
    public static readonly string[] SecurityModes = ["none", "starttls", "tls"];

    public string? Host { get; set; }

    /// <summary>Unset: 465 for <c>tls</c>, 25 for <c>none</c>, 587 for <c>starttls</c>.</summary>
    public int? Port { get; set; }

    /// <summary><c>starttls</c> (default: upgrade and require it), <c>tls</c> (TLS from the first byte), <c>none</c> (plain, for a relay on the same host).</summary>
    public string Security { get; set; } = "starttls";

    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>The sender, <c>Name &lt;address&gt;</c> or a bare address.</summary>
    public string? From { get; set; }

    /// <summary>Keep mail in the local dev mailbox (superadmins' Outgoing mail page) when no host is configured.</summary>
    public bool DevMailbox { get; set; }

    /// <summary>How long one delivery attempt may take, connection included.</summary>
    public int TimeoutSeconds { get; set; } = 60;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    public int EffectivePort => Port ?? Security switch { "tls" => 465, "none" => 25, _ => 587 };

    public SecureSocketOptions SocketOptions => Security switch
    {
        "tls" => SecureSocketOptions.SslOnConnect,
        "none" => SecureSocketOptions.None,
        _ => SecureSocketOptions.StartTls,
    };

    public MailboxAddress Sender => MailboxAddress.Parse(From ?? throw new InvalidOperationException("Smtp:From is not set."));

    /// <summary>"smtp.example.com:587 (STARTTLS)": where mail goes, for pages and the command line (never the credentials).</summary>
    public string Describe() => IsConfigured ? $"{Host}:{EffectivePort} ({Security.ToUpperInvariant()})" : "not configured";

    public IEnumerable<string> Problems()
    {
        if (!SecurityModes.Contains(Security)) yield return $"Smtp:Security must be one of {string.Join(", ", SecurityModes)}; got '{Security}'.";
        if (Port is < 1 or > 65535) yield return $"Smtp:Port must be between 1 and 65535; got {Port}.";
        if (TimeoutSeconds is < 1 or > 600) yield return $"Smtp:TimeoutSeconds must be between 1 and 600; got {TimeoutSeconds}.";
        if (!IsConfigured) yield break;
        if (string.IsNullOrWhiteSpace(From)) yield return "Smtp:From must be set when Smtp:Host is (e.g. \"Switchboard <crm@example.com>\").";
        else if (!MailboxAddress.TryParse(From, out _)) yield return $"Smtp:From must be an email address, optionally with a name (\"Switchboard <crm@example.com>\"); got '{From}'.";
        if (!string.IsNullOrEmpty(Username) && string.IsNullOrEmpty(Password)) yield return "Smtp:Password must be set when Smtp:Username is.";
    }
}
