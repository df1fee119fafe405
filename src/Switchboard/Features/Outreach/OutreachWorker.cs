using Npgsql;

namespace Switchboard.Features.Outreach;

/// <summary>
/// The sender worker (ADR 0059), on every instance: every ScanSeconds (and at once after a busy round) it asks
/// outreach_due_tenants which tenants have due email, enters each as the system actor "outreach-sender" and sends with
/// Concurrency loops of <see cref="OutreachSender.SendNextAsync"/> until nothing is due there.
/// </summary>
internal sealed class OutreachWorker(
    IServiceScopeFactory scopes, DatabaseConnections connections, IOptions<OutreachOptions> options, TimeProvider clock, ILogger<OutreachWorker> logger)
    : BackgroundService
{
    private readonly string _workerId = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var settings = options.Value;
        if (!settings.Enabled) return;
        while (!stopping.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                foreach (var tenant in await DueTenantsAsync(stopping))
                {
                    var loops = Enumerable.Range(0, settings.Concurrency).Select(_ => DrainAsync(tenant, stopping));
                    busy |= (await Task.WhenAll(loops)).Any(b => b);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Outreach sender {WorkerId} could not look for due email; trying again", _workerId);
            }
            if (busy) continue;
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(settings.ScanSeconds), clock, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<List<Guid>> DueTenantsAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connections.Runtime);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("select tenant_id from outreach_due_tenants(@now)", connection);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        await using var reader = await command.ExecuteReaderAsync(ct);
        var tenants = new List<Guid>();
        while (await reader.ReadAsync(ct)) tenants.Add(reader.GetGuid(0));
        return tenants;
    }

    /// <summary>Sends the tenant's due email until none is left for this loop; true when it did anything.</summary>
    private async Task<bool> DrainAsync(Guid tenantId, CancellationToken ct)
    {
        await Task.Yield();
        var did = false;
        for (var i = 0; i < 1000 && !ct.IsCancellationRequested; i++)
        {
            SendStep step;
            try
            {
                step = await OutreachScope.RunAsync(scopes, tenantId, async services =>
                {
                    var sender = services.GetRequiredService<OutreachSender>();
                    sender.WorkerId = _workerId;
                    return await sender.SendNextAsync(ct);
                }, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogWarning(e, "Outreach sender {WorkerId}: an email of tenant {TenantId} could not be sent; it stays queued", _workerId, tenantId);
                return did;
            }
            if (step is SendStep.Idle) return did;
            did = true;
        }
        return did;
    }
}

/// <summary>Runs work in a new scope that has entered the tenant as the system actor <c>outreach-sender</c>.</summary>
public static class OutreachScope
{
    public const string Actor = "outreach-sender";

    public static async Task<T> RunAsync<T>(IServiceScopeFactory scopes, Guid tenantId, Func<IServiceProvider, Task<T>> work, CancellationToken ct)
    {
        await using var scope = await scopes.EnterTenantAsync(tenantId, Actor, ct) ?? throw new InvalidOperationException($"Tenant {tenantId} does not exist.");
        var services = scope.ServiceProvider;
        var actor = services.GetRequiredService<AuditActor>();
        actor.ActorType = AuditActorTypes.System;
        actor.ActorName = Actor;
        return await work(services);
    }
}
