namespace Switchboard.Features.Telephony;

/// <summary>The recording a <see cref="RecordingDeletion"/> job deletes: the call it belonged to, its provider and the URL the provider reported.</summary>
public sealed record RecordingDeletionPayload(Guid CallId, string Provider, string RecordingUrl);

/// <summary>
/// Deletes one call recording at the telephony provider (job <c>recording.delete</c>, ADR 0071). Retention queues it in
/// the statement that clears the call's recording link or deletes the call (<c>RetentionClasses</c>), so a link the
/// CRM forgets is always a recording the provider is asked to delete. It uses the tenant's current credentials for
/// that provider; a refusal or an unreachable provider fails the attempt, and the job queue retries it with backoff
/// (<see cref="MaxAttempts"/> in all) before it fails for good, visible in <c>switchboard jobs list --status failed</c>
/// and retried from there with <c>switchboard jobs retry --id ID</c>.
/// </summary>
public sealed class RecordingDeletion(ProviderSettingsService settings, TelephonyProviders providers) : IJobHandler
{
    public const string JobKind = "recording.delete";

    /// <summary>
    /// Attempts before the job fails: with the queue's backoff at its defaults (2 s doubling, at most 5 minutes apart,
    /// <c>Jobs:RetryBaseSeconds</c> and <c>Jobs:RetryMaxSeconds</c>) they span about an hour of a provider's outage.
    /// </summary>
    public const int MaxAttempts = 20;

    public string Kind => JobKind;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var payload = job.Read<RecordingDeletionPayload>();
        if (!providers.TryGet(payload.Provider, out var provider))
            throw new InvalidOperationException($"No telephony provider is registered as '{payload.Provider}'; the recording of call {payload.CallId} was not deleted.");
        var credentials = await settings.ConfiguredAsync(payload.Provider, ct)
            ?? throw new InvalidOperationException($"The {payload.Provider} provider is no longer set up for this tenant; the recording of call {payload.CallId} was not deleted.");
        await provider.DeleteRecordingAsync(payload.RecordingUrl, credentials, ct);
    }
}
