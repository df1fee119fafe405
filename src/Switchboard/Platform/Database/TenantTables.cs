using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Platform.Database;

/// <summary>A row of a tenant table with an id of its own; the primary key is (tenant_id, id), as in every tenant table.</summary>
public abstract class TenantRow : ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid Id { get; set; }
}

/// <summary>
/// A tenant row that users edit: created/updated stamps and a version that <see cref="VersionStampInterceptor"/> keeps,
/// and an audit trail under <see cref="AuditEntityType"/>.
/// </summary>
public abstract class AuditedRow : TenantRow, IAudited, IVersioned
{
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;

    /// <summary>The entity name audit rows carry ("lead", "saved-view").</summary>
    public abstract string AuditEntityType { get; }
    public string AuditEntityId => Id.ToString();
}

/// <summary>Maps a <see cref="TenantRow"/> to its table with the (tenant_id, id) key; <see cref="Map"/> adds what is the entity's own.</summary>
internal abstract class TenantTableConfiguration<T>(string table) : IEntityTypeConfiguration<T> where T : TenantRow
{
    public void Configure(EntityTypeBuilder<T> e)
    {
        e.ToTable(table);
        e.HasKey(r => new { r.TenantId, r.Id });
        Map(e);
    }

    protected virtual void Map(EntityTypeBuilder<T> e)
    {
    }
}
