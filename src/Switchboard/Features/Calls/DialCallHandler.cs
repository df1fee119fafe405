using Microsoft.EntityFrameworkCore;
using Switchboard.Features.Telephony;
using Switchboard.Features.Telephony.Simulator;
using Switchboard.Platform.Database;
using Switchboard.Platform.Jobs;
using Switchboard.Platform.Realtime;

namespace Switchboard.Features.Calls;

/// <summary>
/// Places a queued call with the tenant's provider: the agent's phone first (click-to-call), whose answer
/// fetches the "connect" TwiML that dials the lead. Idempotent: a call that already has a provider id is left
/// alone. A provider refusal fails the call with the provider's reason; it is not retried, because retrying
/// a call whose outcome is unknown could ring the lead twice.
/// </summary>
public sealed class DialCallHandler(
    SwitchboardDbContext db, ProviderSettingsService providers, TwilioRestClient rest, CallSimulator simulator, PublicUrls urls,
    RealtimeEvents realtime, TimeProvider clock) : IJobHandler
{
    public string Kind => CallService.DialJob;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var payload = job.Read<DialPayload>();
        var call = await db.Calls.SingleOrDefaultAsync(c => c.Id == payload.CallId, ct);
        if (call is null || call.ProviderCallId is not null || call.Status != CallStatuses.Queued) return;
        var provider = await providers.ConfiguredAsync(call.Provider, ct);
        if (provider is null)
        {
            await FailAsync(call, $"The {call.Provider} provider is no longer configured.", ct);
            return;
        }

        if (call.Provider == ProviderNames.Simulator)
        {
            await simulator.StartOutboundAsync(call, provider, ct);
            return;
        }

        try
        {
            var credentials = Credentials(provider);
            var tenantId = call.TenantId;
            var resource = await rest.CreateCallAsync(credentials, new OutboundCall(
                payload.AgentPhone ?? throw new InvalidOperationException("The agent has no phone number."),
                call.FromNumber,
                urls.Webhook(call.Provider, tenantId, "connect", $"callId={call.Id}"),
                urls.Webhook(call.Provider, tenantId, "status"),
                urls.Webhook(call.Provider, tenantId, "recording")), ct);
            call.ProviderCallId = resource.Sid;
            call.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
        }
        catch (TelephonyApiException e)
        {
            await FailAsync(call, e.Message, ct);
        }
    }

    internal static TelephonyApiCredentials Credentials(ProviderCredentials provider) => provider.Provider switch
    {
        ProviderNames.Twilio => TelephonyApiCredentials.Twilio(
            provider.Setting("accountSid")!, provider.Secret("authToken")!,
            provider.Setting("apiBaseUrl") is { } baseUrl ? new Uri(baseUrl) : null),
        // SignalWire's Twilio-compatible API lives under the space's /api/laml.
        _ => new TelephonyApiCredentials(new Uri(provider.Setting("spaceUrl")!.TrimEnd('/') + "/api/laml"), provider.Setting("projectId")!, provider.Secret("apiToken")!)
        {
            DisplayName = "SignalWire",
        },
    };

    private async Task FailAsync(Call call, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        call.Status = CallStatuses.Failed;
        call.EndedAt = now;
        call.DurationSeconds = 0;
        call.Notes = $"Could not place the call: {reason}";
        call.UpdatedAt = now;
        call.Version++;
        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        await db.SaveChangesAsync(ct);
        await realtime.PublishAsync(call.TenantId, "call.status", CallLifecycle.CallSummary(call), ct);
        await tx.CommitAsync(ct);
    }
}
