using Switchboard.Platform.Email;

namespace Switchboard.Features.Webhooks;

/// <summary>Emails the tenant's administrators that the dispatcher disabled one of its webhooks (EmailOutbox, template webhook-disabled).</summary>
[Singleton]
internal sealed class WebhookAdminNotice(IServiceScopeFactory scopes, AppLinks links, TimeProvider clock)
{
    public async Task SendAsync(Guid tenantId, string url, string reason, CancellationToken ct)
    {
        await using var scope = await scopes.EnterTenantAsync(tenantId, "webhook-dispatcher", ct);
        if (scope is null) return;
        var services = scope.Value.ServiceProvider;
        var db = services.GetRequiredService<SwitchboardDbContext>();
        var actor = services.GetRequiredService<AuditActor>();
        actor.ActorType = AuditActorTypes.System;
        actor.ActorName = "webhook-dispatcher";
        var admins = await db.Memberships.AsNoTracking()
            .Where(m => m.Role == "admin" && m.IsActive)
            .Select(m => new { m.User!.Email, Name = m.User.FirstName + " " + m.User.LastName })
            .ToListAsync(ct);
        var outbox = services.GetRequiredService<EmailOutbox>();
        var email = new WebhookDisabledEmail(url, reason, clock.GetUtcNow().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture), links.To("/settings/webhooks"));
        foreach (var admin in admins.Where(a => a.Email is not null))
            await outbox.QueueAsync(email, new EmailRecipient(admin.Email!, admin.Name.Trim()), tenantId, ct);
        await db.SaveChangesAsync(ct);
    }
}
