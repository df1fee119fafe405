namespace Switchboard.Platform.Tenancy;

/// <summary>How background workers do a tenant's work: in a new DI scope that has entered the tenant as a named system actor, under its RLS policies.</summary>
public static class SystemScopes
{
    /// <summary>A new scope inside the tenant as <paramref name="actor"/>; null when the tenant no longer exists. The caller disposes it.</summary>
    public static async Task<AsyncServiceScope?> EnterTenantAsync(this IServiceScopeFactory scopes, Guid tenantId, string actor, CancellationToken ct)
    {
        var scope = scopes.CreateAsyncScope();
        try
        {
            var services = scope.ServiceProvider;
            var tenant = await services.GetRequiredService<SwitchboardDbContext>().Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId, ct);
            if (tenant is null)
            {
                await scope.DisposeAsync();
                return null;
            }
            await services.GetRequiredService<TenantContext>().EnterTenantAsSystemAsync(TenantMessages.Settings(tenant), actor);
            return scope;
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }
}
