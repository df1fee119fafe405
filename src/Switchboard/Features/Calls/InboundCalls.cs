using Switchboard.Features.Leads;
using Switchboard.Features.Telephony;

namespace Switchboard.Features.Calls;

/// <summary>
/// An incoming call: find the caller's lead by number (or create one, owned per the tenant's rule), log the
/// call, ring the available agents at once, or take a voicemail when no one is free.
/// </summary>
// Wide on purpose: database, tenant and clock are ambient; an inbound call then reads the calling settings, builds
// provider URLs, announces itself live and opens wrap-up.
[Scoped]
public sealed class InboundCalls(
    SwitchboardDbContext db, TenantContext ctx, CallingSettingsService settings, RealtimeEvents realtime, PublicUrls urls, WrapUpExpiry wrapUps,
    TimeProvider clock)
{
    /// <summary>
    /// Query parameter on each agent's leg's status callback URL: the agent whose phone it rings. The first
    /// agent to answer becomes the call's agent and goes on-call (see <see cref="CallStatusWriter"/>).
    /// </summary>
    public const string AgentLegParameter = "agent";

    private const string LogLockSql = "select pg_advisory_xact_lock(hashtextextended('inbound-call:' || app_current_tenant(), 0))";

    public async Task<CallAnswer> AnswerAsync(string provider, ProviderCallback form, JsonDocument payload, CancellationToken ct)
    {
        if (form.CallId is null) return CallAnswer.Create().Hangup();
        var tenantId = ctx.RequiredTenantId;
        var policy = await settings.PolicyAsync(ct);
        var agents = await AvailableAgentsAsync(ct);

        await LogCallAsync(provider, form, policy, agents, ct);

        if (agents.Count > 0)
            return CallAnswer.Create()
                .Dial(new DialOptions { CallerId = form.From, TimeoutSeconds = 25, RecordFromAnswer = true, RecordingStatusCallback = urls.Webhook(provider, tenantId, "recording") },
                    agents.Select(a => DialTarget.Number(a.Phone) with
                    {
                        StatusCallback = urls.Webhook(provider, tenantId, "status", $"{AgentLegParameter}={a.UserId}"),
                    }).ToArray());
        if (policy.InboundNoAgent == "voicemail")
            return CallAnswer.Create()
                .Say("Thanks for calling. Nobody can take your call right now; please leave a message after the tone.")
                .Record(new RecordOptions
                {
                    MaxLengthSeconds = 120, Transcribe = true,
                    TranscribeCallback = urls.Webhook(provider, tenantId, "transcription"),
                    RecordingStatusCallback = urls.Webhook(provider, tenantId, "recording"),
                    Action = urls.Webhook(provider, tenantId, "voicemail"),
                });
        return CallAnswer.Create().Say("Thanks for calling. Nobody can take your call right now; please call again later.").Hangup();
    }

    /// <summary>
    /// Logs the call once. A tenant's inbound calls are logged one at a time (a transaction-level advisory lock): a provider
    /// repeating the webhook while the first is in flight then finds the call the first logged and changes nothing, where
    /// both used to insert it and one failed on the unique key (a 500); and the round-robin owner moves on once per call.
    /// </summary>
    private async Task LogCallAsync(string provider, ProviderCallback form, CallingPolicy policy, IReadOnlyList<AvailableAgent> agents, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var parsed = PhoneNumbers.Normalize(form.From, ctx.Tenant?.DefaultCountry ?? "US");
        var caller = parsed.Success ? parsed.E164! : form.From ?? "unknown";
        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        await db.Database.ExecuteSqlRawAsync(LogLockSql, ct);
        if (await db.Calls.AnyAsync(c => c.Provider == provider && c.ProviderCallId == form.CallId, ct)) return;
        var lead = parsed.Success ? await db.Leads.OrderByDescending(l => l.UpdatedAt).FirstOrDefaultAsync(l => l.Phone == caller, ct) : null;
        var created = false;
        if (lead is null && parsed.Success)
        {
            lead = new Lead
            {
                Id = Guid.CreateVersion7(), FirstName = "Caller", LastName = PhoneDisplay.Format(caller, ctx.Tenant?.DefaultCountry ?? "US"),
                Phone = caller, Source = "inbound-call", OwnerId = await NextOwnerAsync(policy, agents, ct),
            };
            db.Leads.Add(lead);
            created = true;
            await db.SaveChangesAsync(ct); // the call below references it
        }
        var call = new Call
        {
            Id = Guid.CreateVersion7(), Direction = CallDirections.Inbound, FromNumber = caller, ToNumber = form.To ?? "", LeadId = lead?.Id,
            AgentId = lead?.OwnerId, Provider = provider, ProviderCallId = form.CallId, Status = CallStatuses.Ringing,
        };
        db.Calls.Add(call);
        if (lead is not null) lead.LastCalledAt = now;
        await wrapUps.ScheduleAsync(call, ctx.RequiredTenantId, ct);
        await db.SaveChangesAsync(ct);
        await realtime.PublishAsync(ctx.RequiredTenantId, "call.incoming", new
        {
            callId = call.Id, leadId = lead?.Id, leadName = lead is null ? caller : $"{lead.FirstName} {lead.LastName}".Trim(),
            from = caller, newLead = created, agentIds = agents.Select(a => a.UserId),
        }, ct);
        await realtime.PublishAsync(ctx.RequiredTenantId, "call.status", CallLifecycle.CallSummary(call), ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Round-robin over the available agents, continuing after the last one given a caller; or no owner.</summary>
    private async Task<Guid?> NextOwnerAsync(CallingPolicy policy, IReadOnlyList<AvailableAgent> agents, CancellationToken ct)
    {
        if (policy.InboundOwnerRule != "round-robin") return null;
        var candidates = agents.Count > 0 ? agents.Select(a => a.UserId).ToList() : await ActiveAgentIdsAsync(ct);
        if (candidates.Count == 0) return null;
        candidates.Sort();
        var stored = await db.CallingSettings.SingleOrDefaultAsync(ct);
        var last = stored?.LastInboundAgent;
        var next = candidates.FirstOrDefault(id => last is null || id.CompareTo(last.Value) > 0);
        if (next == Guid.Empty) next = candidates[0];
        if (stored is not null) stored.LastInboundAgent = next;
        return next;
    }

    private sealed record AvailableAgent(Guid UserId, string Phone);

    private async Task<IReadOnlyList<AvailableAgent>> AvailableAgentsAsync(CancellationToken ct) =>
        await (from p in db.AgentPresence
               join m in db.Memberships on p.UserId equals m.UserId
               where p.State == PresenceStates.Available && m.IsActive && m.Phone != null
               orderby p.Since
               select new AvailableAgent(m.UserId, m.Phone!)).ToListAsync(ct);

    private async Task<List<Guid>> ActiveAgentIdsAsync(CancellationToken ct) =>
        await db.Memberships.Where(m => m.IsActive && m.Role == "agent").Select(m => m.UserId).ToListAsync(ct);
}
