namespace Switchboard.Platform.Audit;

/// <summary>Explicit audit events written by the code that makes the change (sign-ins, tenant admin, security events).</summary>
[Scoped]
public sealed class AuditLog(SwitchboardDbContext db, AuditActor actor, TimeProvider clock, Observability.SwitchboardInstruments instruments)
{
    /// <summary>Adds the row to the unit of work; it is written with the caller's next SaveChanges.</summary>
    public void Add(AuditAction action, Guid? tenantId, string? entityType = null, string? entityId = null, object? details = null)
    {
        var changes = details is null ? null : JsonSerializer.SerializeToDocument(details, JsonSerializerOptions.Web);
        // Every path that refuses a sign-in (password, passkey, SSO) writes this row: counted once, here (ADR 0063).
        if (action.Name == AuditActions.UserSignInFailed.Name) instruments.SignInFailed(changes);
        db.AuditLog.Add(new AuditEntry
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            OccurredAt = clock.GetUtcNow(),
            ActorType = actor.ActorType,
            ActorId = actor.ActorId,
            ActorName = actor.ActorName,
            Action = action.Name,
            EntityType = entityType,
            EntityId = entityId,
            Changes = changes,
            Ip = actor.Ip,
            UserAgent = actor.UserAgent,
        });
    }

    /// <summary>Writes the row now, on its own, for events that are not part of a larger change.</summary>
    public async Task WriteAsync(AuditAction action, Guid? tenantId, string? entityType = null, string? entityId = null, object? details = null, CancellationToken ct = default)
    {
        Add(action, tenantId, entityType, entityId, details);
        await db.SaveChangesAsync(ct);
    }
}
