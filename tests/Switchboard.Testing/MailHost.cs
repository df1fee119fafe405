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
        var link = await Smtp.LinkAsync(address, path, match);
        return link[(link.IndexOf("?token=", StringComparison.Ordinal) + "?token=".Length)..];
    }
}
