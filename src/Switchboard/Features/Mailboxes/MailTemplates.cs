using System.Text.Encodings.Web;

namespace Switchboard.Features.Mailboxes;

/// <summary>
/// A tenant's email templates (managers and administrators write them; everyone who sends reads them). Merge fields
/// are Liquid: <c>{{ recipient.first_name }}</c>, <c>recipient.last_name</c>, <c>recipient.name</c>, <c>recipient.email</c>,
/// <c>recipient.company</c>, <c>sender.name</c>, <c>sender.first_name</c>, <c>sender.email</c>. A template that does not
/// parse is refused when saved.
/// </summary>
[Scoped]
public sealed class MailTemplates(SwitchboardDbContext db, TenantContext ctx)
{
    public async Task<IReadOnlyList<EmailTemplateDto>> ListAsync(CancellationToken ct) =>
        await db.Set<MailTemplate>().AsNoTracking().OrderBy(t => t.Name)
            .Select(t => new EmailTemplateDto(t.Id, t.Name, t.Subject, t.TextBody, t.HtmlBody, t.UpdatedAt)).ToListAsync(ct);

    public async Task<Outcome<EmailTemplateDto>> CreateAsync(EmailTemplateWrite body, CancellationToken ct)
    {
        if (!CanWrite()) return new Outcome<EmailTemplateDto>.Forbidden("Only managers and administrators can write email templates.");
        var errors = body.BindingErrors();
        errors.Required("name", body.Name.Value, "Name", 100);
        errors.Required("subject", body.Subject.Value, "Subject", 500);
        errors.Required("text", body.Text.Value, "Text", 100_000);
        errors.MaxLength("html", body.Html.Value, "HTML", 200_000);
        await CheckParsesAsync(body, errors);
        if (!errors.IsValid) return new Outcome<EmailTemplateDto>.Invalid(errors.ToDictionary());
        var template = new MailTemplate
        {
            TenantId = ctx.RequiredTenantId, Id = Guid.CreateVersion7(), Name = body.Name.Value!.Trim(), Subject = body.Subject.Value!,
            TextBody = body.Text.Value!, HtmlBody = body.Html.Value,
        };
        db.Add(template);
        await db.SaveChangesAsync(ct);
        return new EmailTemplateDto(template.Id, template.Name, template.Subject, template.TextBody, template.HtmlBody, template.UpdatedAt);
    }

    public async Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken ct)
    {
        if (!CanWrite()) return new Outcome<bool>.Forbidden("Only managers and administrators can delete email templates.");
        if (await db.Set<MailTemplate>().SingleOrDefaultAsync(t => t.Id == id, ct) is not { } template) return new Outcome<bool>.NotFound();
        db.Remove(template);
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static async Task CheckParsesAsync(EmailTemplateWrite body, ValidationErrors errors)
    {
        var values = new Dictionary<string, object?> { ["recipient"] = new Dictionary<string, object?>(), ["sender"] = new Dictionary<string, object?>() };
        foreach (var (field, source) in new[] { ("subject", body.Subject.Value), ("text", body.Text.Value), ("html", body.Html.Value) })
            if (source is not null) await EmailComposer.RenderAsync(source, values, HtmlEncoder.Default, field, errors);
    }

    private bool CanWrite() => ctx.Role is TenantRole.Manager or TenantRole.Admin or TenantRole.Superadmin;
}
