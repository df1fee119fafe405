namespace Switchboard.Platform.Audit;

/// <summary>An entity whose creates, updates and deletes are written to the audit log in the same transaction.</summary>
public interface IAudited
{
    string AuditEntityType { get; }
    string AuditEntityId { get; }
}
