using Switchboard.Features.Ai;
using Switchboard.Features.Calls;

namespace Switchboard.Features.Telephony;

/// <summary>
/// POST /api/v1/telephony/{provider}/{tenantId}/{kind}: the public endpoints providers call. They answer fast —
/// 204, or TwiML where the provider waits for instructions — and are idempotent (see <see cref="CallLifecycle"/>).
/// </summary>
public static class TelephonyWebhooks
{
    public static IEndpointRouteBuilder MapTelephonyWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/telephony/{provider}/{tenantId:guid}/{kind}", HandleAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithTags("Provider webhooks")
            .WithSummary("Provider callbacks (kind: status, recording, transcription, inbound, connect, voicemail). Authenticated by the provider's signature only.")
            .Produces(204).ProducesProblem(403).ProducesProblem(404);
        return app;
    }

    private static async Task<IResult> HandleAsync(string provider, Guid tenantId, string kind, HttpContext http, WebhookGate gate, CancellationToken ct)
    {
        if (kind is not ("status" or "recording" or "transcription" or "inbound" or "connect" or "voicemail"))
            return Platform.Web.Problems.NotFound("The webhook");
        switch (await gate.OpenAsync(http, provider, tenantId, ct))
        {
            case WebhookAccess.NotFound:
                return Platform.Web.Problems.NotFound("The tenant's provider");
            case WebhookAccess.Rejected:
                return Platform.Web.Problems.Forbidden("The request signature is missing or invalid.");
            case WebhookAccess.Allowed allowed:
                var services = http.RequestServices;
                var callback = allowed.Provider.Read(allowed.Form);
                var fields = allowed.Form.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value);
                if (kind == "status") return await StatusAsync(provider, callback, AgentLeg(http), JsonSerializer.Serialize(fields), services, ct);
                var payload = JsonSerializer.SerializeToDocument(fields);
                return kind switch
                {
                    "recording" => await RecordingAsync(provider, callback, payload, services.GetRequiredService<CallLifecycle>(), ct),
                    "transcription" => await TranscriptionAsync(provider, callback, payload, services.GetRequiredService<CallLifecycle>(), services.GetRequiredService<Transcripts>(), ct),
                    "connect" => allowed.Provider.Answer(await ConnectAsync(provider, tenantId, http, services, ct)),
                    "voicemail" => allowed.Provider.Answer(CallAnswer.Create().Say("Thank you. Goodbye.").Hangup()),
                    _ => allowed.Provider.Answer(await services.GetRequiredService<InboundCalls>().AnswerAsync(provider, callback, payload, ct)),
                };
            default:
                return Platform.Web.Problems.NotFound();
        }
    }

    /// <summary>The <c>agent</c> query parameter of an inbound call's agent leg (see <see cref="InboundCalls"/>).</summary>
    private static Guid? AgentLeg(HttpContext http) =>
        Guid.TryParse(http.Request.Query[InboundCalls.AgentLegParameter], out var agent) ? agent : null;

    /// <summary>The hot path: handed to the group-commit writer, answered once committed. No DbContext is created for it.</summary>
    private static async Task<IResult> StatusAsync(string provider, ProviderCallback callback, Guid? agentLeg, string payload, IServiceProvider services, CancellationToken ct)
    {
        if (callback.CallId is null || callback.Status is null)
            return Platform.Web.Problems.Invalid("CallSid", "A status callback needs CallSid and CallStatus.");
        var update = new StatusUpdate(callback.CallId, callback.ParentCallId, callback.Status, callback.SequenceNumber, callback.Timestamp,
            callback.DurationSeconds, callback.ParentCallId is null ? null : agentLeg);
        var actor = services.GetRequiredService<AuditActor>();
        await services.GetRequiredService<CallStatusWriter>().ApplyAsync(new StatusCallback(
            services.GetRequiredService<TenantContext>().RequiredTenantId, provider, update, payload, actor.ActorName ?? WebhookGate.SystemActorName(provider), actor.Ip, actor.UserAgent), ct);
        return Results.NoContent();
    }

    private static async Task<IResult> RecordingAsync(string provider, ProviderCallback callback, JsonDocument payload, CallLifecycle lifecycle, CancellationToken ct)
    {
        if (callback.CallId is null || callback.RecordingId is null) return Platform.Web.Problems.Invalid("RecordingSid", "A recording callback needs CallSid and RecordingSid.");
        if (callback.RecordingStatus is not (null or "completed")) return Results.NoContent();
        await lifecycle.ApplyMediaAsync(provider, "recording", callback.CallId, callback.ParentCallId, callback.RecordingId, call =>
        {
            call.RecordingUrl = callback.RecordingUrl;
            call.RecordingDuration = callback.RecordingDurationSeconds;
            return Task.CompletedTask;
        }, payload, ct);
        return Results.NoContent();
    }

    /// <summary>A provider's transcript takes the path of every transcript (<see cref="Transcripts"/>): stored, then analysed.</summary>
    private static async Task<IResult> TranscriptionAsync(string provider, ProviderCallback callback, JsonDocument payload, CallLifecycle lifecycle, Transcripts transcripts, CancellationToken ct)
    {
        if (callback.CallId is null) return Platform.Web.Problems.Invalid("CallSid", "A transcription callback needs CallSid.");
        if (callback.TranscriptionStatus is not (null or "completed") || string.IsNullOrWhiteSpace(callback.TranscriptionText)) return Results.NoContent();
        await lifecycle.ApplyMediaAsync(provider, "transcription", callback.CallId, callback.ParentCallId, callback.TranscriptionId ?? callback.CallId,
            call => transcripts.StoreAsync(call, callback.TranscriptionText!.Trim(), null, TranscriptSources.Provider, ct), payload, ct);
        return Results.NoContent();
    }

    /// <summary>The agent answered their phone (click-to-call): now dial the lead, following the lead's leg.</summary>
    private static async Task<CallAnswer> ConnectAsync(string provider, Guid tenantId, HttpContext http, IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<SwitchboardDbContext>();
        var urls = services.GetRequiredService<PublicUrls>();
        if (!Guid.TryParse(http.Request.Query["callId"], out var callId) || await db.Calls.AsNoTracking().SingleOrDefaultAsync(c => c.Id == callId, ct) is not { } call)
            return CallAnswer.Create().Say("This call could not be connected.").Hangup();
        return CallAnswer.Create()
            .Dial(new DialOptions
                {
                    CallerId = call.FromNumber, TimeoutSeconds = 30, RecordFromAnswer = true,
                    RecordingStatusCallback = urls.Webhook(provider, tenantId, "recording"),
                },
                DialTarget.Number(call.ToNumber) with { StatusCallback = urls.Webhook(provider, tenantId, "status") });
    }
}
