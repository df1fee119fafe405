using Microsoft.AspNetCore.WebUtilities;
using Switchboard.Platform.Email;

namespace Switchboard.Features.Mail;

/// <summary>
/// Outgoing mail (superadmins): what the platform sent, is sending or gave up on, and — with no SMTP server configured
/// under <c>run</c> — the dev mailbox where messages wait to be read. A test message can be sent from here.
/// </summary>
public sealed class IndexModel(OutgoingMail mail, EmailOutbox outbox, SwitchboardDbContext db, TenantContext ctx, IOptions<SmtpOptions> smtp) : AppPageModel
{
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty] public string? To { get; set; }

    public PagedList<OutgoingMailRow> Results { get; private set; } = new([], 0, 1, OutgoingMail.PageSize);
    public SmtpOptions Smtp => smtp.Value;
    public TenantSettings? Tenant => ctx.Tenant;
    public int PageCount => Math.Max(1, (Results.Total + OutgoingMail.PageSize - 1) / OutgoingMail.PageSize);

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return Forbid();
        if (Status is { Length: > 0 } && !OutgoingMail.Statuses.Contains(Status)) Status = null;
        Results = await mail.ListAsync(Status is { Length: > 0 } ? Status : null, Math.Max(1, pageNumber ?? 1), ct);
        return Page();
    }

    public async Task<IActionResult> OnPostTestAsync(CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return Forbid();
        var to = To?.Trim();
        if (string.IsNullOrEmpty(to)) AddError("to", "Enter the address to send the test message to.");
        else if (to.Length > 254 || !MimeKit.MailboxAddress.TryParse(to, out var address) || !address.Address.Contains('@')) AddError("to", "Enter an email address, like name@example.com.");
        if (HasErrors) return await OnGetAsync(null, ct);

        var me = await db.Users.AsNoTracking().Where(u => u.Id == ctx.UserId).Select(u => u.Email).SingleAsync(ct);
        await outbox.QueueAsync(new TestEmail(me ?? "a superadmin", Smtp.IsConfigured ? Smtp.Describe() : "the dev mailbox"), new EmailRecipient(to!, null), null, ct);
        await db.SaveChangesAsync(ct);
        Flash($"A test message to {to} is on its way; its status shows below.");
        return LocalRedirect("/platform/mail");
    }

    public string Link(int page) => QueryHelpers.AddQueryString("/platform/mail",
        new Dictionary<string, string?> { ["status"] = Status, ["page"] = page > 1 ? page.ToString() : null }.Where(kv => kv.Value is not null));

    public static string StatusLabel(string status) => status switch
    {
        EmailStatus.Queued => "Queued",
        EmailStatus.Sent => "Sent",
        EmailStatus.Failed => "Failed",
        EmailStatus.Kept => "In dev mailbox",
        _ => status,
    };

    public static string StatusBadge(string status) => status switch
    {
        EmailStatus.Sent => "badge-success",
        EmailStatus.Failed => "badge-danger",
        EmailStatus.Kept => "badge-accent",
        _ => "badge-muted",
    };
}
