using Switchboard.Platform.Email;

namespace Switchboard.Features.Mail;

/// <summary>One outgoing message (superadmins): headers, status, and its bodies while they are kept.</summary>
public sealed class MessageModel(OutgoingMail mail, TenantContext ctx) : AppPageModel
{
    /// <summary>
    /// The HTML body is shown in a frame of its own, served with its own policy: no scripts, no forms, nothing
    /// loaded but images over https and its inline styles, and framed only by this site.
    /// </summary>
    private const string PreviewPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; sandbox; frame-ancestors 'self'";

    public OutgoingMailRow Row { get; private set; } = null!;
    public string? Text { get; private set; }
    public bool HasHtml { get; private set; }
    public TenantSettings? Tenant => ctx.Tenant;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return Forbid();
        if (await mail.FindAsync(id, ct) is not { } found) return NotFound();
        (Row, Text, var html) = found;
        HasHtml = html is not null;
        return Page();
    }

    public async Task<IActionResult> OnGetHtmlAsync(Guid id, CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return Forbid();
        if (await mail.FindAsync(id, ct) is not { Html: { } html }) return NotFound();
        Response.Headers.ContentSecurityPolicy = PreviewPolicy;
        Response.Headers.XFrameOptions = "SAMEORIGIN";
        return Content(html, "text/html; charset=utf-8");
    }
}
