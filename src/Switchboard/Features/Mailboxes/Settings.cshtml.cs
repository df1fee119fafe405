namespace Switchboard.Features.Mailboxes;

public sealed class MailboxForm
{
    public string Kind { get; set; } = MailboxKinds.Personal;
    public string? Name { get; set; }
    public string? Address { get; set; }
    public string? ImapHost { get; set; }
    public int? ImapPort { get; set; } = 993;
    public string ImapSecurity { get; set; } = MailSecurity.Tls;
    public string? ImapUsername { get; set; }
    public string? SmtpHost { get; set; }
    public int? SmtpPort { get; set; } = 587;
    public string SmtpSecurity { get; set; } = MailSecurity.StartTls;
    public string? Password { get; set; }
    public string Visibility { get; set; } = MailboxVisibility.Full;
}

/// <summary>/settings/mailboxes: the caller's mailboxes (administrators: all) with their sync status, and the connect form.</summary>
public sealed class MailboxSettingsModel(MailboxService mailboxes, TenantContext ctx) : AppPageModel
{
    [BindProperty] public MailboxForm Form { get; set; } = new();
    public IReadOnlyList<MailboxDto> Mailboxes { get; private set; } = [];
    public TenantSettings? Tenant => ctx.Tenant;
    public bool IsAdmin => MailboxAccess.IsAdmin(ctx);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await PageAsync(ct);

    public async Task<IActionResult> OnPostConnectAsync(CancellationToken ct)
    {
        var outcome = await mailboxes.CreateAsync(new MailboxWrite
        {
            Kind = Optional.Text(Form.Kind), Name = Optional.Text(Form.Name), Address = Optional.Text(Form.Address),
            ImapHost = Optional.Text(Form.ImapHost), ImapPort = Optional.Of(Form.ImapPort), ImapSecurity = Optional.Text(Form.ImapSecurity),
            ImapUsername = Optional.Text(Form.ImapUsername ?? Form.Address), SmtpHost = Optional.Text(Form.SmtpHost), SmtpPort = Optional.Of(Form.SmtpPort),
            SmtpSecurity = Optional.Text(Form.SmtpSecurity), Password = Optional.Of(Form.Password), Visibility = Optional.Text(Form.Visibility),
        }, ct);
        if (outcome is Outcome<MailboxDto>.Ok ok)
        {
            Flash($"Connected {ok.Value.Address}. New mail appears on your records within a minute.");
            return LocalRedirect("/settings/mailboxes");
        }
        Form.Password = null;
        if (!ShowProblem(outcome)) return NotFound();
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct) =>
        AfterDelete(await mailboxes.DeleteAsync(id, ct), "The mailbox is disconnected.", "/settings/mailboxes");

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        Mailboxes = await mailboxes.ListAsync(ct);
        return Page();
    }
}
