using Switchboard.Features.Activities;
using Switchboard.Features.Leads;

namespace Switchboard.Features.Mailboxes;

public sealed class ComposeForm
{
    public Guid? MailboxId { get; set; }
    public string? To { get; set; }
    public string? Cc { get; set; }
    public string? Subject { get; set; }
    public string? Text { get; set; }
    public Guid? TemplateId { get; set; }
    public Guid? InReplyToId { get; set; }
}

/// <summary>/emails/compose?relatedType=lead&amp;relatedId=…: write (or answer) an email from a lead or contact, sent by <see cref="EmailComposer"/>.</summary>
public sealed class ComposeModel(EmailComposer composer, MailboxService mailboxes, MailTemplates templates, RelatedRecords related, SwitchboardDbContext db) : AppPageModel
{
    [BindProperty(SupportsGet = true)] public string? RelatedType { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? RelatedId { get; set; }
    [BindProperty] public ComposeForm Form { get; set; } = new();

    public IReadOnlyList<MailboxDto> Mailboxes { get; private set; } = [];
    public IReadOnlyList<EmailTemplateDto> Templates { get; private set; } = [];
    public string BackPath => RelatedType is "lead" or "contact" && RelatedId is { } id ? $"/{RelatedType}s/{id}" : "/";

    public async Task<IActionResult> OnGetAsync(Guid? replyTo, CancellationToken ct)
    {
        if (RelatedType is not ("lead" or "contact") || RelatedId is not { } id || !await related.IsVisibleAsync(RelatedType, id, ct)) return NotFound();
        Form.To = RelatedType == "lead"
            ? await db.Leads.AsNoTracking().Where(l => l.Id == id).Select(l => l.Email).SingleOrDefaultAsync(ct)
            : (await db.Set<Contacts.Contact>().AsNoTracking().Where(c => c.Id == id).Select(c => c.Emails).SingleOrDefaultAsync(ct))?.FirstOrDefault();
        Form.InReplyToId = replyTo;
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await composer.SendAsync(new EmailWrite
        {
            MailboxId = Optional.Of(Form.MailboxId),
            To = Optional.Of<List<string>?>(Split(Form.To)),
            Cc = Optional.Of<List<string>?>(Split(Form.Cc)),
            Subject = Optional.Text(Form.Subject),
            Text = Optional.Text(Form.Text),
            TemplateId = Optional.Of(Form.TemplateId),
            RelatedType = Optional.Text(RelatedType),
            RelatedId = Optional.Of(RelatedId),
            InReplyToId = Optional.Of(Form.InReplyToId),
        }, ct);
        if (outcome is Outcome<EmailDto>.Ok)
        {
            Flash("Email sent.");
            return LocalRedirect(BackPath);
        }
        if (!ShowProblem(outcome)) return NotFound();
        return await PageAsync(ct);
    }

    private static List<string> Split(string? text) =>
        (text ?? "").Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        Mailboxes = (await mailboxes.ListAsync(ct)).Where(m => m.Active).ToList();
        Templates = await templates.ListAsync(ct);
        return Page();
    }
}
