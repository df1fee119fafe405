namespace Switchboard.Platform.Email;

/// <summary>The test message of <c>switchboard mail test</c> and the Outgoing mail page: rendered, recorded, delivered at once.</summary>
public static class TestMessages
{
    /// <summary>
    /// Sends one test message now, without the job worker, so that the caller sees the outcome (one attempt: a
    /// connection problem fails it at once rather than waiting for retries). Recorded on the Outgoing mail page like any other.
    /// </summary>
    public static async Task<(OutboundEmail Message, SmtpOptions Smtp)> SendNowAsync(IServiceProvider services, string to, string sentBy, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var smtp = scope.ServiceProvider.GetRequiredService<IOptions<SmtpOptions>>().Value;
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<EmailOutbox>();
        var message = await outbox.RenderAsync(new TestEmail(sentBy, smtp.IsConfigured ? smtp.Describe() : "the dev mailbox"), new EmailRecipient(to, null), null, ct);
        await db.SaveChangesAsync(ct);
        var (delivered, _) = await scope.ServiceProvider.GetRequiredService<EmailDelivery>().DeliverAsync(message.Id, lastAttempt: true, ct);
        return (delivered!, smtp);
    }
}
