using Switchboard.Features.Telephony;

namespace Switchboard.Features.Calls;

/// <summary>
/// Places a queued call with the call's provider (for click-to-call: the agent's phone first, whose answer dials
/// the lead). Idempotent: a call that already has a provider id is left alone. A provider refusal fails the call
/// with the provider's reason; it is not retried, because retrying a call whose outcome is unknown could ring the
/// lead twice.
/// </summary>
public sealed class DialCallHandler(
    SwitchboardDbContext db, ProviderSettingsService settings, TelephonyProviders providers, RealtimeEvents realtime, TimeProvider clock) : IJobHandler
{
    public string Kind => CallService.DialJob;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var payload = job.Read<DialPayload>();
        var call = await db.Calls.SingleOrDefaultAsync(c => c.Id == payload.CallId, ct);
        if (call is null || call.ProviderCallId is not null || call.Status != CallStatuses.Queued) return;
        var credentials = await settings.ConfiguredAsync(call.Provider, ct);
        if (credentials is null || !providers.TryGet(call.Provider, out var provider))
        {
            await FailAsync(call, $"The {call.Provider} provider is no longer configured.", ct);
            return;
        }

        try
        {
            call.ProviderCallId = await provider.PlaceCallAsync(call, credentials, payload.AgentPhone, ct);
            await db.SaveChangesAsync(ct);
        }
        catch (TelephonyApiException e)
        {
            await FailAsync(call, e.Message, ct);
        }
    }

    private async Task FailAsync(Call call, string reason, CancellationToken ct)
    {
        call.Status = CallStatuses.Failed;
        call.EndedAt = clock.GetUtcNow();
        call.DurationSeconds = 0;
        call.Notes = $"Could not place the call: {reason}";
        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        await db.SaveChangesAsync(ct);
        await realtime.PublishAsync(call.TenantId, "call.status", CallLifecycle.CallSummary(call), ct);
        await tx.CommitAsync(ct);
    }
}
