using Switchboard.Features.Telephony;

namespace Switchboard.Features.Calls;

public sealed record HangUpPayload(Guid CallId);

/// <summary>
/// Ends a live call at the provider. The provider then reports both legs completed through the usual
/// signed callbacks, which is what moves the call to its end state — so a hang-up and a lead putting
/// the phone down look the same in the CRM. Hanging up an already ended call is a no-op.
/// </summary>
public sealed class HangUpCallHandler(SwitchboardDbContext db, ProviderSettingsService settings, TelephonyProviders providers) : IJobHandler
{
    public string Kind => CallService.HangUpJob;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var payload = job.Read<HangUpPayload>();
        var call = await db.Calls.SingleOrDefaultAsync(c => c.Id == payload.CallId, ct);
        if (call?.ProviderCallId is null || CallStatuses.IsTerminal(call.Status)) return;
        var credentials = await settings.ConfiguredAsync(call.Provider, ct) ?? throw new InvalidOperationException($"The {call.Provider} provider is not configured.");
        await providers.Get(call.Provider).HangUpAsync(call, credentials, ct);
    }
}
