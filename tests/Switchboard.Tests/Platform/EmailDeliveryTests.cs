using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using Switchboard.Platform.Cli;
using Switchboard.Platform.Database;
using Switchboard.Platform.Email;
using Switchboard.Platform.Tenancy;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

/// <summary>
/// Email delivery (issue 12 §1) against a real SMTP server on loopback: the outbox is written with the change that
/// causes it, the worker delivers it, and each message's status says what happened.
/// </summary>
public sealed class EmailDeliveryTests(MailHost host) : IClassFixture<MailHost>
{
    [Fact]
    public async Task A_queued_message_is_delivered_by_the_worker_with_text_and_html_and_its_status_says_sent()
    {
        var to = $"ada-{Guid.NewGuid():N}@example.test";
        var id = await QueueAsync(new PasswordResetEmail("https://crm.example.test/reset?token=abc", 60), to, "Ada Lovelace", host.Tenant.Id);

        var received = await host.Smtp.WaitForAsync(to);
        var stored = await Eventually.Until(() => LoadAsync(id), e => e.Status == EmailStatus.Sent, Eventually.DefaultTimeout, "the status to say sent");

        received.Subject.ShouldBe("Reset your Switchboard password");
        received.From.Mailboxes.Single().Address.ShouldBe("crm@switchboard.test");
        received.To.Mailboxes.Single().Name.ShouldBe("Ada Lovelace");
        received.MessageId.ShouldBe(stored.MessageId);
        received.Headers["Auto-Submitted"].ShouldBe("auto-generated");
        received.TextBody!.ShouldContain("https://crm.example.test/reset?token=abc");
        received.TextBody!.ShouldContain("Hello Ada Lovelace,");
        received.HtmlBody!.ShouldContain("href=\"https://crm.example.test/reset?token=abc\"");
        received.HtmlBody!.ShouldContain($"Tenant {host.Tenant.Slug}"); // the tenant's brand heads the message
        stored.Attempts.ShouldBe(1);
        stored.SentAt.ShouldNotBeNull();
        stored.TextBody.ShouldBeNull(); // the single-use link is not kept once delivered
        stored.HtmlBody.ShouldBeNull();
    }

    [Fact]
    public async Task Nothing_is_queued_or_sent_when_the_change_that_causes_the_email_rolls_back()
    {
        var to = $"rolled-back-{Guid.NewGuid():N}@example.test";
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync();
            await scope.ServiceProvider.GetRequiredService<EmailOutbox>().QueueAsync(new TestEmail("a test", "here"), new EmailRecipient(to, null), null, default);
            await db.SaveChangesAsync();
            await tx.RollbackAsync();
        }
        // A message queued afterwards is delivered; by then the rolled-back one would have been too.
        var after = $"after-{Guid.NewGuid():N}@example.test";
        await QueueAsync(new TestEmail("a test", "here"), after, null, null);
        await host.Smtp.WaitForAsync(after);

        host.Smtp.Received.ShouldNotContain(m => m.To.Mailboxes.Any(b => b.Address == to));
        await using var check = host.Services.CreateAsyncScope();
        var count = await PlatformCountAsync(check, to);
        count.ShouldBe(0);
    }

    [Fact]
    public async Task A_recipient_the_server_refuses_for_good_fails_at_once_with_the_servers_reason()
    {
        var id = await QueueAsync(new TestEmail("a test", "here"), "nobody@refused.test", null, host.Tenant.Id);

        var stored = await Eventually.Until(() => LoadAsync(id), e => e.Status != EmailStatus.Queued, Eventually.DefaultTimeout, "the delivery to end");

        stored.Status.ShouldBe(EmailStatus.Failed);
        stored.Attempts.ShouldBe(1);
        stored.LastError.ShouldStartWith("The SMTP server refused the recipient: 5");
        stored.TextBody.ShouldBeNull();
    }

    [Fact]
    public async Task A_message_turned_away_for_now_is_retried_and_then_sent_with_the_same_message_id()
    {
        var to = $"deferred-{Guid.NewGuid():N}@example.test";
        var id = await QueueAsync(new TestEmail("a test", "here"), to, null, host.Tenant.Id, deliverInBackground: false);
        var delivery = () => DeliverAsync(id, lastAttempt: false);

        Interlocked.Exchange(ref host.Smtp.DeferNext, 1);
        var (first, retry) = await delivery();
        first!.Status.ShouldBe(EmailStatus.Queued);
        first.LastError.ShouldStartWith("The SMTP server answered 451");
        retry.ShouldNotBeNull();

        var (second, again) = await delivery();
        second!.Status.ShouldBe(EmailStatus.Sent);
        second.Attempts.ShouldBe(2);
        again.ShouldBeNull();
        (await host.Smtp.WaitForAsync(to)).MessageId.ShouldBe(second.MessageId);
    }

    [Fact]
    public async Task The_last_attempt_that_is_turned_away_gives_the_message_up()
    {
        var id = await QueueAsync(new TestEmail("a test", "here"), $"last-{Guid.NewGuid():N}@example.test", null, null, deliverInBackground: false);

        Interlocked.Exchange(ref host.Smtp.DeferNext, 1);
        var (message, retry) = await DeliverAsync(id, lastAttempt: true);

        retry.ShouldBeNull();
        message!.Status.ShouldBe(EmailStatus.Failed);
        message.LastError.ShouldStartWith("The SMTP server answered 451");
    }

    [Fact]
    public async Task Mail_test_on_the_command_line_sends_through_the_configured_server()
    {
        var to = $"cli-{Guid.NewGuid():N}@example.test";
        var args = new List<string> { "mail", "test", "--to", to, $"--{DatabaseConnections.RuntimeKey}={host.Database.RuntimeConnectionString}", $"--{DatabaseConnections.OwnerKey}={host.Database.OwnerConnectionString}" };
        args.AddRange(host.Smtp.Settings().Where(kv => kv.Value is not null).Select(kv => $"--{kv.Key}={kv.Value}"));
        var errors = new StringWriter();

        var code = await SwitchboardCli.RunAsync([.. args], errors);

        code.ShouldBe(0, errors.ToString());
        var received = await host.Smtp.WaitForAsync(to);
        received.Subject.ShouldBe("Switchboard test message");
        received.TextBody!.ShouldContain($"through 127.0.0.1:{host.Smtp.Port} (NONE)");
    }

    [Fact]
    public async Task Mail_test_refuses_an_address_that_is_not_one()
    {
        var errors = new StringWriter();

        var code = await SwitchboardCli.RunAsync(["mail", "test", "--to", "not an address"], errors);

        code.ShouldBe(1);
        errors.ToString().ShouldBe($"switchboard: 'not an address' is not an email address.{Environment.NewLine}");
    }

    [Fact]
    public async Task Superadmins_see_outgoing_mail_and_send_a_test_message_from_the_page()
    {
        var to = $"page-{Guid.NewGuid():N}@example.test";
        var id = await QueueAsync(new TestEmail("<b>someone</b>", "here"), to, null, host.Tenant.Id);
        await host.Smtp.WaitForAsync(to);
        using var browser = await PageClient.SignInAsync(host, SwitchboardHost.SuperadminEmail);

        var list = await browser.GetStringAsync("/platform/mail");
        list.ShouldContain(to);
        list.ShouldContain("Switchboard test message");
        list.ShouldContain($"Mail goes through <strong>127.0.0.1:{host.Smtp.Port} (NONE)</strong>");

        var sent = await browser.PostFormAsync("/platform/mail?handler=Test", new() { ["to"] = $"button-{to}" });
        sent.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await host.Smtp.WaitForAsync($"button-{to}")).TextBody!.ShouldContain("sent by root@switchboard.test");

        var invalid = await browser.PostFormAsync("/platform/mail?handler=Test", new() { ["to"] = "not-an-address" });
        (await invalid.Content.ReadAsStringAsync()).ShouldContain("Enter an email address, like name@example.com.");
    }

    [Fact]
    public async Task The_html_preview_is_served_sandboxed_and_only_to_superadmins()
    {
        var id = await QueueAsync(new TestEmail("<img src=x onerror=alert(1)>", "here"), $"preview-{Guid.NewGuid():N}@example.test", null, host.Tenant.Id, deliverInBackground: false);
        using var root = await PageClient.SignInAsync(host, SwitchboardHost.SuperadminEmail);
        using var admin = await PageClient.SignInAsync(host, host.Tenant.Email("admin"));

        var preview = await root.GetAsync($"/platform/mail/{id}?handler=Html");
        var html = await preview.Content.ReadAsStringAsync();
        preview.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("sandbox");
        html.ShouldContain("&lt;img src=x onerror=alert(1)&gt;"); // what a template is given is escaped
        (await root.GetAsync($"/platform/mail/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        foreach (var page in new[] { "/platform/mail", $"/platform/mail/{id}", $"/platform/mail/{id}?handler=Html" })
        {
            var refused = await admin.GetAsync(page);
            refused.StatusCode.ShouldBe(HttpStatusCode.Redirect, page);
            refused.Headers.Location!.AbsolutePath.ShouldBe("/forbidden", page);
        }
        (await root.GetAsync($"/platform/mail/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Credentials_are_sent_when_the_server_asks_for_them_and_a_wrong_password_says_so()
    {
        await using var server = await TestSmtpServer.StartAsync(new TestSmtpOptions("mailer", "s3cret"));
        var to = $"auth-{Guid.NewGuid():N}@example.test";
        var right = await QueueAsync(new TestEmail("a test", "here"), to, null, null, deliverInBackground: false);
        var wrong = await QueueAsync(new TestEmail("a test", "here"), to, null, null, deliverInBackground: false);

        var (sent, _) = await DeliverWithAsync(right, Options(server));
        var (refused, retry) = await DeliverWithAsync(wrong, Options(server) with { Password = "wrong" }, lastAttempt: false);

        sent!.Status.ShouldBe(EmailStatus.Sent);
        (await server.WaitForAsync(to)).Subject.ShouldBe("Switchboard test message");
        refused!.Status.ShouldBe(EmailStatus.Queued); // the settings may be fixed before the next attempt
        retry.ShouldStartWith("The SMTP server did not accept the credentials (Smtp:Username, Smtp:Password)");
    }

    [Fact]
    public async Task Starttls_is_required_and_a_certificate_this_machine_does_not_trust_is_refused()
    {
        await using var server = await TestSmtpServer.StartAsync(new TestSmtpOptions(Certificate: TestSmtpServer.SelfSignedCertificate()));
        var id = await QueueAsync(new TestEmail("a test", "here"), $"tls-{Guid.NewGuid():N}@example.test", null, null, deliverInBackground: false);

        var (message, _) = await DeliverWithAsync(id, Options(server) with { Security = "starttls" });

        message!.Status.ShouldBe(EmailStatus.Failed);
        message.LastError.ShouldStartWith("TLS with the SMTP server failed");
        server.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task Without_a_server_mail_waits_in_the_dev_mailbox_when_it_is_on_and_fails_saying_why_when_it_is_off()
    {
        var kept = await QueueAsync(new TestEmail("a test", "here"), $"dev-{Guid.NewGuid():N}@example.test", null, null, deliverInBackground: false);
        var failed = await QueueAsync(new TestEmail("a test", "here"), $"dev-{Guid.NewGuid():N}@example.test", null, null, deliverInBackground: false);

        var (inMailbox, _) = await DeliverWithAsync(kept, new SmtpOptions { DevMailbox = true });
        var (notSent, _) = await DeliverWithAsync(failed, new SmtpOptions());

        inMailbox!.Status.ShouldBe(EmailStatus.Kept);
        inMailbox.TextBody.ShouldNotBeNull(); // the dev mailbox is where it is read
        notSent!.Status.ShouldBe(EmailStatus.Failed);
        notSent.LastError.ShouldBe("SMTP is not configured (Smtp:Host is not set), so the message was not sent.");
    }

    private static SmtpOptions Options(TestSmtpServer server) => new()
    {
        Host = "127.0.0.1", Port = server.Port, Security = "none", From = "crm@switchboard.test",
        Username = server.Options.Username, Password = server.Options.Password, TimeoutSeconds = 10,
    };

    private async Task<(OutboundEmail? Message, string? Retry)> DeliverWithAsync(Guid id, SmtpOptions smtp, bool lastAttempt = true)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var delivery = new EmailDelivery(services.GetRequiredService<SwitchboardDbContext>(), services.GetRequiredService<TenantContext>(),
            Microsoft.Extensions.Options.Options.Create(smtp), TimeProvider.System, NullLogger<EmailDelivery>.Instance);
        return await delivery.DeliverAsync(id, lastAttempt, default);
    }

    private async Task<Guid> QueueAsync(EmailTemplate email, string to, string? name, Guid? tenantId, bool deliverInBackground = true)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<EmailOutbox>();
        if (tenantId is { } id) await scope.ServiceProvider.GetRequiredService<TenantContext>().EnterTenantAsync(await TenantSettingsAsync(scope, id), TenantRole.Admin);
        var recipient = new EmailRecipient(to, name);
        var message = deliverInBackground
            ? await outbox.QueueAsync(email, recipient, tenantId, default)
            : await outbox.RenderAsync(email, recipient, tenantId, default);
        await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().SaveChangesAsync();
        return message.Id;
    }

    private async Task<(OutboundEmail? Message, string? Retry)> DeliverAsync(Guid id, bool lastAttempt)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<EmailDelivery>().DeliverAsync(id, lastAttempt, default);
    }

    private async Task<OutboundEmail> LoadAsync(Guid id)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TenantContext>().EnterPlatformAsync();
        return await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().OutboundEmails.AsNoTracking().SingleAsync(e => e.Id == id);
    }

    private static async Task<int> PlatformCountAsync(AsyncServiceScope scope, string to)
    {
        await scope.ServiceProvider.GetRequiredService<TenantContext>().EnterPlatformAsync();
        return await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().OutboundEmails.CountAsync(e => e.ToAddress == to);
    }

    private static async Task<TenantSettings> TenantSettingsAsync(AsyncServiceScope scope, Guid id) =>
        TenantMessages.Settings(await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().Tenants.AsNoTracking().SingleAsync(t => t.Id == id));
}
