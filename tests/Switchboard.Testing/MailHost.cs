namespace Switchboard.Testing;

/// <summary>The app with a tenant, sending its mail through a real SMTP server on loopback (<see cref="Smtp"/>).</summary>
public class MailHost : SwitchboardHostWithTenant
{
    public TestSmtpServer Smtp { get; private set; } = null!;

    protected override IDictionary<string, string?> ExtraSettings => Smtp.Settings();

    public override async Task InitializeAsync()
    {
        Smtp = await TestSmtpServer.StartAsync(new TestSmtpOptions { RefusedRecipients = ["nobody@refused.test"] });
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    /// <summary>The token in the link of the newest email to <paramref name="address"/> whose link contains <paramref name="path"/>.</summary>
    public async Task<string> LinkTokenAsync(string address, string path, Func<MimeKit.MimeMessage, bool>? match = null)
    {
        var message = await Smtp.WaitForAsync(address, m => (m.TextBody ?? "").Contains(path) && (match?.Invoke(m) ?? true));
        var text = message.TextBody!;
        var start = text.IndexOf(path + "?token=", StringComparison.Ordinal) + path.Length + "?token=".Length;
        var end = start;
        while (end < text.Length && !char.IsWhiteSpace(text[end])) end++;
        return text[start..end];
    }
}
