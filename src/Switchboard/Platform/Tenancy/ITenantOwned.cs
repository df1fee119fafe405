namespace Switchboard.Platform.Tenancy;

/// <summary>A row that belongs to one tenant: filtered by EF, stamped on insert, and held by PostgreSQL RLS.</summary>
public interface ITenantOwned
{
    Guid TenantId { get; set; }
}
