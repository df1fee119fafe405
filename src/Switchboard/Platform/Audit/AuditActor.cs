namespace Switchboard.Platform.Audit;

/// <summary>Who is acting and from where, for audit rows written in this scope (request, job or command).</summary>
[Scoped]
public sealed class AuditActor
{
    public string ActorType { get; set; } = AuditActorTypes.System;
    public Guid? ActorId { get; set; }
    public string? ActorName { get; set; }
    public string? Ip { get; set; }
    public string? UserAgent { get; set; }

    public void SignedIn(Guid userId, string? name)
    {
        ActorType = AuditActorTypes.User;
        ActorId = userId;
        ActorName = name;
    }

    /// <summary>An API key acting (ADR 0043): rows name the key, not the administrator it acts for.</summary>
    public void KeyUsed(Guid keyId, string name)
    {
        ActorType = AuditActorTypes.ApiKey;
        ActorId = keyId;
        ActorName = name;
    }

    /// <summary>A system actor acting in a tenant, recorded by its name (e.g. "provider:twilio").</summary>
    public void System(string name)
    {
        ActorType = AuditActorTypes.System;
        ActorId = null;
        ActorName = name;
    }
}
