namespace Switchboard.Records;

/// <summary>The members every <see cref="IOwnedRecord"/> entity has beyond its own fields: the owner and the custom field values.</summary>
public abstract class OwnedRecord : AuditedRow, IOwnedRecord
{
    public Guid? OwnerId { get; set; }

    /// <summary>Custom field values by key (see custom_fields); validated by CustomFieldValidator on every write.</summary>
    public JsonDocument Custom { get; set; } = JsonDocument.Parse("{}");
}
