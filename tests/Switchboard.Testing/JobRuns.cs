using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Platform.Audit;
using Switchboard.Platform.Database;
using Switchboard.Platform.Jobs;
using Switchboard.Platform.Tenancy;

namespace Switchboard.Testing;

/// <summary>Runs a job's handler the way the job worker does, for tests that decide themselves when a job is due.</summary>
public static class JobRuns
{
    /// <summary>
    /// A fresh scope, the system actor "job:{kind}", and — when the job has a tenant, or <paramref name="tenantId"/> names
    /// one — inside that tenant with the worker's role; then the handler.
    /// </summary>
    public static async Task RunAsync<THandler>(IServiceProvider root, Job job, Guid? tenantId = null) where THandler : IJobHandler
    {
        await using var scope = root.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var actor = services.GetRequiredService<AuditActor>();
        actor.ActorType = AuditActorTypes.System;
        actor.ActorName = $"job:{job.Kind}";
        if ((tenantId ?? job.TenantId) is { } id)
        {
            var tenant = await services.GetRequiredService<SwitchboardDbContext>().Tenants.AsNoTracking().SingleAsync(t => t.Id == id);
            await services.GetRequiredService<TenantContext>().EnterTenantAsync(TenantMessages.Settings(tenant), TenantRole.Superadmin);
        }
        await services.GetRequiredService<THandler>().HandleAsync(job, CancellationToken.None);
    }
}
