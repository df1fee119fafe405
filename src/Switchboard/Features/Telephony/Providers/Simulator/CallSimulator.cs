using Switchboard.Features.Calls;

namespace Switchboard.Features.Telephony.Providers.Simulator;

/// <summary>One callback the simulator will post, signed, to the tenant's public webhook at <see cref="DelaySeconds"/>.</summary>
public sealed record SimulatedCallback(string Url, Dictionary<string, string> Form, double DelaySeconds);

/// <summary>
/// A telephony provider for demos and load tests. It plans a realistic call — the agent's phone answers, the
/// lead's phone rings, then answer and talk, voicemail, busy, no answer or failure — and delivers each step as
/// a durable job that POSTs a Twilio-signed callback to the same public webhook a real provider uses. So the
/// signature check, idempotency, ordering and every side effect run exactly as in production.
/// </summary>
[Scoped]
public sealed class CallSimulator(SwitchboardDbContext db, JobQueue jobs, PublicUrls urls, TimeProvider clock)
{
    public const string CallbackJob = "simulator.callback";

    public async Task StartOutboundAsync(Call call, ProviderCredentials provider, CancellationToken ct)
    {
        var plan = SimulationPlan.From(provider, Random.Shared);
        var agentLeg = "CA" + Guid.NewGuid().ToString("N");
        var leadLeg = LeadLegOf(agentLeg);
        call.ProviderCallId = agentLeg;
        var status = urls.Webhook(SimulatorProvider.ProviderName, call.TenantId, "status").ToString();
        var callbacks = Plan(call, plan, agentLeg, leadLeg, status, urls.Webhook(SimulatorProvider.ProviderName, call.TenantId, "recording").ToString(),
            urls.Webhook(SimulatorProvider.ProviderName, call.TenantId, "transcription").ToString());
        var now = clock.GetUtcNow();
        var index = 0;
        foreach (var callback in callbacks)
            await jobs.EnqueueAsync(CallbackJob, callback, call.TenantId, $"sim:{agentLeg}:{index++}", now.AddSeconds(callback.DelaySeconds), ct: ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The simulated lead leg's id follows from the agent leg's, so a hang-up can end both.</summary>
    public static string LeadLegOf(string agentLeg) => agentLeg + "L";

    /// <summary>
    /// The caller hung up: both legs report their end now, as a provider does when the parent call ends — completed,
    /// except the lead's leg when the lead had not answered, which was canceled while it rang.
    /// </summary>
    public async Task HangUpAsync(Call call, CancellationToken ct)
    {
        if (call.ProviderCallId is not { } agentLeg) return;
        var status = urls.Webhook(SimulatorProvider.ProviderName, call.TenantId, "status").ToString();
        var now = clock.GetUtcNow();
        var seconds = call.AnsweredAt is { } answered ? ((int)(now - answered).TotalSeconds).ToString(CultureInfo.InvariantCulture) : "0";
        var leadEnd = call.AnsweredAt is null ? CallStatuses.Canceled : CallStatuses.Completed;
        var legs = new[] { (Sid: LeadLegOf(agentLeg), Parent: (string?)agentLeg, End: leadEnd), (Sid: agentLeg, Parent: (string?)null, End: CallStatuses.Completed) };
        foreach (var (sid, parent, end) in legs)
        {
            var form = new Dictionary<string, string>
            {
                ["CallSid"] = sid, ["AccountSid"] = "ACsimulator", ["CallStatus"] = end, ["CallDuration"] = seconds,
                ["SequenceNumber"] = "99", ["From"] = call.FromNumber, ["To"] = call.ToNumber,
            };
            if (parent is not null) form["ParentCallSid"] = parent;
            await jobs.EnqueueAsync(CallbackJob, new SimulatedCallback(status, form, 0), call.TenantId, $"sim:{sid}:hangup", now, ct: ct);
        }
        await db.SaveChangesAsync(ct);
    }

    private static List<SimulatedCallback> Plan(Call call, SimulationPlan plan, string agentLeg, string leadLeg, string status, string recording, string transcription)
    {
        var list = new List<SimulatedCallback>();
        var t = 0.0;
        var agentSequence = 0;
        var leadSequence = 0;
        Dictionary<string, string> Form(string sid, string? parent, string callStatus, ref int sequence, params (string, string)[] extra)
        {
            var form = new Dictionary<string, string>
            {
                ["CallSid"] = sid, ["AccountSid"] = "ACsimulator", ["CallStatus"] = callStatus, ["From"] = call.FromNumber,
                ["To"] = parent is null ? "agent" : call.ToNumber, ["Direction"] = parent is null ? "outbound-api" : "outbound-dial",
                ["SequenceNumber"] = (sequence++).ToString(CultureInfo.InvariantCulture), ["ApiVersion"] = "2010-04-01",
            };
            if (parent is not null) form["ParentCallSid"] = parent;
            foreach (var (key, value) in extra) form[key] = value;
            return form;
        }

        list.Add(new(status, Form(agentLeg, null, CallStatuses.Initiated, ref agentSequence), t));
        t += 0.3;
        list.Add(new(status, Form(leadLeg, agentLeg, CallStatuses.Initiated, ref leadSequence), t));
        list.Add(new(status, Form(leadLeg, agentLeg, CallStatuses.Ringing, ref leadSequence), t + 0.1));
        t += plan.RingSeconds;
        switch (plan.Outcome)
        {
            case SimulatedOutcome.Answered or SimulatedOutcome.Voicemail:
                var machine = plan.Outcome == SimulatedOutcome.Voicemail;
                list.Add(new(status, Form(leadLeg, agentLeg, CallStatuses.InProgress, ref leadSequence, ("AnsweredBy", machine ? "machine_start" : "human")), t));
                var talk = machine ? Math.Min(plan.TalkSeconds, 4) : plan.TalkSeconds;
                t += talk;
                var seconds = ((int)Math.Round(talk)).ToString(CultureInfo.InvariantCulture);
                list.Add(new(status, Form(leadLeg, agentLeg, CallStatuses.Completed, ref leadSequence, ("CallDuration", seconds)), t));
                list.Add(new(status, Form(agentLeg, null, CallStatuses.Completed, ref agentSequence, ("CallDuration", seconds)), t + 0.1));
                var recordingSid = "RE" + Guid.NewGuid().ToString("N");
                list.Add(new(recording, new Dictionary<string, string>
                {
                    ["CallSid"] = leadLeg, ["ParentCallSid"] = agentLeg, ["AccountSid"] = "ACsimulator", ["RecordingSid"] = recordingSid,
                    ["RecordingStatus"] = "completed", ["RecordingDuration"] = seconds, ["RecordingUrl"] = $"https://simulator.invalid/recordings/{recordingSid}",
                }, t + 0.5));
                if (plan.Transcripts && !machine)
                    list.Add(new(transcription, new Dictionary<string, string>
                    {
                        ["CallSid"] = leadLeg, ["ParentCallSid"] = agentLeg, ["AccountSid"] = "ACsimulator", ["TranscriptionSid"] = "TR" + Guid.NewGuid().ToString("N"),
                        ["TranscriptionStatus"] = "completed", ["TranscriptionText"] = SampleTranscripts.Pick(Random.Shared),
                    }, t + 1.0));
                break;
            default:
                var end = plan.Outcome switch
                {
                    SimulatedOutcome.Busy => CallStatuses.Busy,
                    SimulatedOutcome.Failed => CallStatuses.Failed,
                    _ => CallStatuses.NoAnswer,
                };
                list.Add(new(status, Form(leadLeg, agentLeg, end, ref leadSequence, ("CallDuration", "0")), t));
                list.Add(new(status, Form(agentLeg, null, CallStatuses.Completed, ref agentSequence, ("CallDuration", "0")), t + 0.1));
                break;
        }
        return list;
    }
}
