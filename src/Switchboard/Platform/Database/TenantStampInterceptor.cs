namespace Switchboard.Platform.Database;

/// <summary>Stamps the current tenant on new tenant-owned rows and refuses to save a row of another tenant.</summary>
[Singleton]
public sealed class TenantStampInterceptor : SavingChangesInterceptor
{
    protected override void BeforeSave(DbContext? context)
    {
        if (context is not SwitchboardDbContext { Tenant: var tenant }) return;
        foreach (var entry in context.ChangeTracker.Entries<ITenantOwned>())
        {
            if (entry.State == EntityState.Unchanged || entry.State == EntityState.Detached) continue;
            if (entry.State == EntityState.Added && entry.Entity.TenantId == Guid.Empty)
                entry.Entity.TenantId = tenant.RequiredTenantId;
            if (entry.Entity.TenantId != tenant.TenantId)
                throw new InvalidOperationException(
                    $"Refusing to save a {entry.Metadata.ClrType.Name} of tenant {entry.Entity.TenantId} while acting in tenant {tenant.TenantId}.");
        }
    }
}
