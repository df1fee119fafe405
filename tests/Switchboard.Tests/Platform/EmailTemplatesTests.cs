using Switchboard.Platform.Email;

namespace Switchboard.Tests.Platform;

/// <summary>Every shipped email template renders, in both bodies, with its brand, and nothing a template is given can become markup.</summary>
public sealed class EmailTemplatesTests
{
    private static readonly EmailTemplates Templates = new();

    /// <summary>One example of every email; a template shipped without one here fails <see cref="Every_shipped_template_has_an_example_here"/>.</summary>
    public static readonly IReadOnlyList<EmailTemplate> Examples =
    [
        new InvitationEmail("Grace Hopper", "Acme", "agent", "https://crm.test/invitations/accept?token=t1", "Dec 10, 2026 5:00 PM", HasAccount: false),
        new InvitationEmail("Grace Hopper", "Acme", "agent", "https://crm.test/invitations/accept?token=t2", "Dec 10, 2026 5:00 PM", HasAccount: true),
        new PasswordResetEmail("https://crm.test/reset-password?token=t3", 60),
        new PasswordChangedEmail("Dec 3, 2026 9:00 AM", "https://crm.test/signin"),
        new PasswordChangedEmail("Dec 3, 2026 9:00 AM", "https://crm.test/signin", OtherSessionsEnded: true),
        new EmailChangeEmail("ada@new.test", "https://crm.test/confirm-email?token=t4", 24),
        new EmailChangedEmail("ada@new.test", "Dec 3, 2026 9:00 AM"),
        new AccountLockedEmail(5, "Dec 3, 2026 9:00 AM", "203.0.113.9", "Dec 3, 2026 9:15 AM", "https://crm.test/forgot-password"),
        new AccountUnlockedEmail("Grace Hopper", "Acme", "Dec 3, 2026 9:05 AM", "https://crm.test/signin"),
        new NewSignInEmail("Dec 3, 2026 9:00 AM", "Firefox on Linux", "203.0.113.9", "https://crm.test/profile/sessions"),
        new SecondFactorChangedEmail("Two-factor sign-in with an authenticator app was turned on.", "Dec 3, 2026 9:00 AM", "https://crm.test/profile/security"),
        new ApiKeyCreatedEmail("Zapier", "Grace Hopper", "leads: read", "Dec 3, 2026 9:00 AM", "https://crm.test/settings/api-keys"),
        new ExportReadyEmail("Leads", "https://crm.test/exports/1", "Dec 10, 2026"),
        new TestEmail("root@switchboard.test", "smtp.test:587 (STARTTLS)"),
        new WebhookDisabledEmail("https://hooks.example.com/crm", "The endpoint answered 410 Gone.", "Dec 3, 2026 9:00 AM", "https://crm.test/settings/webhooks"),
        new Switchboard.Features.Outreach.OutreachPausedEmail("sales@acme.example", "11 of the last 200 emails hard-bounced (more than 5%).", "Dec 3, 2026 9:00 AM",
            "https://crm.test/settings/outreach"),
    ];

    public static TheoryData<int> ExampleIndexes => [.. Enumerable.Range(0, Examples.Count)];

    [Fact]
    public void Every_shipped_template_has_an_example_here() =>
        Templates.Names.ShouldBe(Examples.Select(e => e.Name).Distinct().Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(ExampleIndexes))]
    public async Task Each_template_renders_a_one_line_subject_and_both_bodies_with_every_link(int index)
    {
        var email = Examples[index];

        var rendered = await Templates.RenderAsync(email, new EmailBranding("Acme Sales", "https://cdn.acme.test/logo.png"), "Ada Lovelace");

        rendered.Subject.ShouldNotBeNullOrWhiteSpace();
        rendered.Subject.ShouldNotContain("\n");
        rendered.Text.ShouldStartWith("Acme Sales\n");
        rendered.Html.ShouldContain("<img src=\"https://cdn.acme.test/logo.png\" alt=\"Acme Sales\"");
        rendered.Html.ShouldContain("<!DOCTYPE html>");
        foreach (var url in email.Values().Values.OfType<string>().Where(v => v.StartsWith("https://")))
        {
            rendered.Text.ShouldContain(url);
            rendered.Html.ShouldContain($"href=\"{url}\"");
        }
    }

    [Fact]
    public async Task Values_are_html_encoded_in_the_html_body_and_left_as_they_are_in_the_text()
    {
        var email = new InvitationEmail("<script>alert(1)</script>", "Tom & Jerry's \"CRM\"", "agent", "https://crm.test/a?x=1&y=2", "soon", HasAccount: false);

        var rendered = await Templates.RenderAsync(email, new EmailBranding("<b>Brand</b>", null), "<i>Ada</i>");

        rendered.Html.ShouldNotContain("<script>");
        rendered.Html.ShouldNotContain("<b>Brand</b>");
        rendered.Html.ShouldNotContain("<i>Ada</i>");
        rendered.Html.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt;");
        rendered.Html.ShouldContain("href=\"https://crm.test/a?x=1&amp;y=2\"");
        rendered.Text.ShouldContain("<script>alert(1)</script> invited you to join Tom & Jerry's \"CRM\"");
        rendered.Subject.ShouldBe("<script>alert(1)</script> invited you to Tom & Jerry's \"CRM\" on Switchboard");
    }

    [Fact]
    public async Task Without_a_logo_the_brand_name_heads_the_message()
    {
        var rendered = await Templates.RenderAsync(new TestEmail("x", "y"), EmailBranding.Platform, null);

        rendered.Html.ShouldNotContain("<img");
        rendered.Html.ShouldContain(">Switchboard</span>");
        rendered.Text.ShouldContain("This is a test message from Switchboard");
    }

    [Fact]
    public async Task A_culture_without_its_own_templates_falls_back_to_english()
    {
        var rendered = await Templates.RenderAsync(new PasswordResetEmail("https://crm.test/r", 60), EmailBranding.Platform, null, culture: "pt-BR");

        rendered.Subject.ShouldBe("Reset your Switchboard password");
    }

    [Theory]
    [InlineData("smtp.test", "tls", null, "Smtp:From must be set when Smtp:Host is (e.g. \"Switchboard <crm@example.com>\").")]
    [InlineData("smtp.test", "ssl", "a@b.test", "Smtp:Security must be one of none, starttls, tls; got 'ssl'.")]
    [InlineData("smtp.test", "starttls", "not an address", "Smtp:From must be an email address, optionally with a name (\"Switchboard <crm@example.com>\"); got 'not an address'.")]
    public void Smtp_settings_that_cannot_work_are_refused_at_startup(string host, string security, string? from, string problem) =>
        new SmtpOptions { Host = host, Security = security, From = from }.Problems().ShouldContain(problem);

    [Theory]
    [InlineData("tls", 465)]
    [InlineData("starttls", 587)]
    [InlineData("none", 25)]
    public void The_port_follows_the_security_mode_unless_set(string security, int port) =>
        new SmtpOptions { Host = "smtp.test", Security = security, From = "a@b.test" }.EffectivePort.ShouldBe(port);
}
