namespace Switchboard.Features.Mailboxes;

public static class MailboxesApi
{
    public static IEndpointRouteBuilder MapMailboxesApi(this IEndpointRouteBuilder app)
    {
        var mailboxes = app.MapTenantApi("/mailboxes", "Mailboxes and email");
        mailboxes.MapGet("/", async (MailboxService service, CancellationToken ct) => Results.Ok(new { items = await service.ListAsync(ct) }))
            .WithSummary("The mailboxes the caller may use (their own, shared inboxes they are a member of; administrators all), with sync status for owners and administrators.");
        mailboxes.MapGet("/{id:guid}", async (Guid id, MailboxService service, CancellationToken ct) => (await service.GetAsync(id, ct)).ToResult(v => Results.Ok(v)))
            .Produces<MailboxDto>().ProducesProblem(404)
            .WithSummary("One mailbox; the password is never returned.");
        mailboxes.MapPost("/", async ([FromBody] MailboxWrite body, MailboxService service, CancellationToken ct) =>
                (await service.CreateAsync(body, ct)).ToResult(v => Results.Created($"/api/v1/mailboxes/{v.Id}", v)))
            .Produces<MailboxDto>(201).ProducesValidationProblem()
            .WithSummary("Connect a mailbox (IMAP + SMTP). Both servers are tried first; a refusal answers 400 with the server's message under imap or smtp.");
        mailboxes.MapPatch("/{id:guid}", async (Guid id, [FromBody] MailboxWrite body, MailboxService service, CancellationToken ct) =>
                (await service.UpdateAsync(id, body, ct)).ToResult(v => Results.Ok(v)))
            .Produces<MailboxDto>().ProducesValidationProblem().ProducesProblem(404)
            .WithSummary("Change a mailbox's name, visibility, active, password (verified first) or a shared inbox's memberIds (administrators).");
        mailboxes.MapDelete("/{id:guid}", async (Guid id, MailboxService service, CancellationToken ct) =>
                (await service.DeleteAsync(id, ct)).ToResult(_ => Results.NoContent()))
            .Produces(204).ProducesProblem(404)
            .WithSummary("Disconnect a mailbox; its stored messages go with it.");
        mailboxes.MapPost("/{id:guid}/sync", async (Guid id, MailboxAccess access, MailboxSync sync, CancellationToken ct) =>
            {
                if (await access.Usable().AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct) is not { } mailbox || !access.CanManage(mailbox)) return Problems.NotFound();
                try
                {
                    return Results.Ok(await sync.SyncAsync(id, reconcile: false, ct));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    return Problems.Conflict($"The sync failed: {e.Message}");
                }
            })
            .Produces<SyncReport>().ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Sync a mailbox now (its owner or administrators) and report what it imported, found missed, moved and removed.");

        var emails = app.MapTenantApi("/emails", "Mailboxes and email").ForApiScope(ApiScopes.Activities);
        emails.MapPost("/", async ([FromBody] EmailWrite body, EmailComposer composer, CancellationToken ct) =>
                (await composer.SendAsync(body, ct)).ToResult(v => Results.Created($"/api/v1/emails/{v.Id}", v)))
            .Produces<EmailDto>(201).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Send an email through a mailbox's SMTP server (a template's merge fields filled from relatedType/relatedId), save it to the Sent folder and store it.");
        emails.MapGet("/{id:guid}", async (Guid id, EmailReader reader, CancellationToken ct) => (await reader.GetAsync(id, ct)).ToResult(v => Results.Ok(v)))
            .Produces<EmailDto>().ProducesProblem(404)
            .WithSummary("One stored email, as much of it as the mailbox's visibility lets the caller see.");

        var templates = app.MapTenantApi("/email-templates", "Mailboxes and email");
        templates.MapGet("/", async (MailTemplates service, CancellationToken ct) => Results.Ok(new { items = await service.ListAsync(ct) }))
            .WithSummary("The tenant's email templates.");
        templates.MapPost("/", async ([FromBody] EmailTemplateWrite body, MailTemplates service, CancellationToken ct) =>
                (await service.CreateAsync(body, ct)).ToResult(v => Results.Created($"/api/v1/email-templates/{v.Id}", v)))
            .Produces<EmailTemplateDto>(201).ProducesValidationProblem()
            .WithSummary("Add a template (managers, administrators): name, subject, text, html?; merge fields such as {{ recipient.first_name }}.");
        templates.MapDelete("/{id:guid}", async (Guid id, MailTemplates service, CancellationToken ct) =>
                (await service.DeleteAsync(id, ct)).ToResult(_ => Results.NoContent()))
            .Produces(204).ProducesProblem(404)
            .WithSummary("Delete a template (managers, administrators).");
        return app;
    }
}
