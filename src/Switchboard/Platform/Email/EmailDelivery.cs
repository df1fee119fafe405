using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Switchboard.Platform.Email;

/// <summary>
/// Delivers queued messages through the configured SMTP server (MailKit), one job ('email.send') per message, and
/// records the outcome on the message: sent; failed for good (the server refused the recipient or the message with a
/// 5xx reply, or the last attempt failed); or retried by the job worker with backoff (connection, TLS,
/// authentication or 4xx trouble). With no server configured, the message is kept in the dev mailbox when
/// <see cref="SmtpOptions.DevMailbox"/> is on, and otherwise fails saying so. Delivery is at least once: a worker
/// that dies between the server's acceptance and the status write sends again, with the same Message-ID.
/// </summary>
public sealed class EmailDelivery(SwitchboardDbContext db, TenantContext ctx, IOptions<SmtpOptions> options, TimeProvider clock, ILogger<EmailDelivery> log)
    : IJobHandler
{
    public const string JobKind = "email.send";
    private const int MaxErrorLength = 1000;

    public sealed record Payload(Guid EmailId);

    public string Kind => JobKind;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var (_, retry) = await DeliverAsync(job.Read<Payload>().EmailId, lastAttempt: job.Attempts >= job.MaxAttempts, ct);
        if (retry is not null) throw new EmailNotDeliveredException(retry);
    }

    /// <summary>
    /// Delivers one queued message and records the outcome on it. Returns the message (null if it does not exist) and,
    /// when a later attempt may succeed and <paramref name="lastAttempt"/> is false, why this one did not.
    /// A message that is no longer queued is left as it is.
    /// </summary>
    public async Task<(OutboundEmail? Message, string? Retry)> DeliverAsync(Guid emailId, bool lastAttempt, CancellationToken ct)
    {
        // A platform message (no tenant) is visible on the platform path only; the worker is already inside a tenant's.
        await ctx.EnterPlatformAsync();
        var message = await db.OutboundEmails.SingleOrDefaultAsync(e => e.Id == emailId, ct);
        if (message is not { Status: EmailStatus.Queued }) return (message, null);

        var smtp = options.Value;
        if (!smtp.IsConfigured)
        {
            if (smtp.DevMailbox) message.Status = EmailStatus.Kept;
            else GiveUp(message, "SMTP is not configured (Smtp:Host is not set), so the message was not sent.");
            await db.SaveChangesAsync(ct);
            return (message, null);
        }

        message.Attempts++;
        string? retry = null;
        try
        {
            await SendAsync(smtp, ToMime(message, smtp.Sender), ct);
            message.Status = EmailStatus.Sent;
            message.SentAt = clock.GetUtcNow();
            message.LastError = null;
            ClearBodies(message);
        }
        catch (Exception e) when (Refused(e) is { } reason)
        {
            log.LogWarning("Email {EmailId} ({Template}) to {Address} was refused by the SMTP server: {Reason}", message.Id, message.Template, message.ToAddress, reason);
            GiveUp(message, reason);
        }
        catch (Exception e) when (Transient(e) is { } reason && !ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Email {EmailId} ({Template}) attempt {Attempt} failed: {Reason}", message.Id, message.Template, message.Attempts, reason);
            if (lastAttempt) GiveUp(message, reason);
            else
            {
                message.LastError = Truncate(reason);
                retry = reason;
            }
        }
        await db.SaveChangesAsync(CancellationToken.None);
        return (message, retry);
    }

    /// <summary>Connects, authenticates when credentials are set, sends and says goodbye; the whole attempt under one timeout.</summary>
    private static async Task SendAsync(SmtpOptions smtp, MimeMessage mime, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(smtp.TimeoutSeconds));
        using var client = new SmtpClient { Timeout = smtp.TimeoutSeconds * 1000 };
        await client.ConnectAsync(smtp.Host!, smtp.EffectivePort, smtp.SocketOptions, timeout.Token);
        if (!string.IsNullOrEmpty(smtp.Username)) await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", timeout.Token);
        await client.SendAsync(mime, timeout.Token);
        await client.DisconnectAsync(quit: true, timeout.Token);
    }

    internal static MimeMessage ToMime(OutboundEmail message, MailboxAddress sender)
    {
        var mime = new MimeMessage { Subject = message.Subject, MessageId = message.MessageId, Date = message.CreatedAt };
        mime.From.Add(sender);
        mime.To.Add(new MailboxAddress(message.ToName ?? "", message.ToAddress));
        // Automatic mail: auto-responders and vacation replies should stay quiet (RFC 3834).
        mime.Headers.Add("Auto-Submitted", "auto-generated");
        mime.Headers.Add("X-Switchboard-Template", message.Template);
        mime.Body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody }.ToMessageBody();
        return mime;
    }

    /// <summary>A refusal no retry will change: the server answered the recipient or the message with a permanent (5xx) reply.</summary>
    private static string? Refused(Exception e) => e switch
    {
        SmtpCommandException { StatusCode: var code } command when (int)code >= 500 && command.ErrorCode is not SmtpErrorCode.UnexpectedStatusCode
            => $"The SMTP server refused the {(command.ErrorCode == SmtpErrorCode.RecipientNotAccepted ? "recipient" : command.ErrorCode == SmtpErrorCode.SenderNotAccepted ? "sender" : "message")}: {(int)code} {command.Message}",
        _ => null,
    };

    /// <summary>Trouble a later attempt may not have: the connection, TLS, credentials, a busy server.</summary>
    private static string? Transient(Exception e) => e switch
    {
        AuthenticationException => $"The SMTP server did not accept the credentials (Smtp:Username, Smtp:Password): {e.Message}",
        SslHandshakeException => $"TLS with the SMTP server failed (is its certificate trusted by this machine, and Smtp:Security right?): {e.Message}",
        SocketException or IOException or ServiceNotConnectedException or SmtpProtocolException => $"Could not talk to the SMTP server: {e.Message}",
        SmtpCommandException command => $"The SMTP server answered {(int)command.StatusCode}: {command.Message}",
        NotSupportedException => $"The SMTP server does not offer what Smtp:Security asks for: {e.Message}",
        OperationCanceledException => "The SMTP server did not answer in time (Smtp:TimeoutSeconds).",
        _ => null,
    };

    private void GiveUp(OutboundEmail message, string reason)
    {
        message.Status = EmailStatus.Failed;
        message.LastError = Truncate(reason);
        ClearBodies(message);
    }

    private static void ClearBodies(OutboundEmail message)
    {
        message.TextBody = null;
        message.HtmlBody = null;
    }

    private static string Truncate(string value) => value.Length <= MaxErrorLength ? value : value[..MaxErrorLength];
}

public sealed class EmailNotDeliveredException(string reason) : Exception(reason);
