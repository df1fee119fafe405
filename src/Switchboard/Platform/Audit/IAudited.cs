namespace Switchboard.Platform.Audit;

/// <summary>An entity whose creates, updates and deletes are written to the audit log in the same transaction.</summary>
public interface IAudited
{
    string AuditEntityType { get; }
    string AuditEntityId { get; }
}

/// <summary>
/// A secret (even encrypted) never goes into an audit row: its change is recorded without the values, as "(set)" when
/// it is set, "(changed)" when replaced, and "(set)" → null when removed.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AuditSecretAttribute : Attribute;
