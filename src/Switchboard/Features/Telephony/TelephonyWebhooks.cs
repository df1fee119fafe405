using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Switchboard.Features.Calls;
using Switchboard.Platform.Audit;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;

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
                var form = TwilioCallbackForm.Parse(allowed.Form);
                var fields = allowed.Form.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value);
                if (kind == "status") return await StatusAsync(provider, form, AgentLeg(http), JsonSerializer.Serialize(fields), services, ct);
                var payload = JsonSerializer.SerializeToDocument(fields);
                return kind switch
                {
                    "recording" => await RecordingAsync(provider, form, payload, services.GetRequiredService<CallLifecycle>(), ct),
                    "transcription" => await TranscriptionAsync(provider, form, payload, services.GetRequiredService<CallLifecycle>(), ct),
                    "connect" => await ConnectAsync(provider, tenantId, http, services, ct),
                    "voicemail" => TwiML.Response().Say("Thank you. Goodbye.").Hangup().ToResult(),
                    _ => await services.GetRequiredService<InboundCalls>().AnswerAsync(provider, allowed.Provider, form, payload, ct),
                };
            default:
                return Platform.Web.Problems.NotFound();
        }
    }

    /// <summary>The <c>agent</c> query parameter of an inbound call's agent leg (see <see cref="InboundCalls"/>).</summary>
    private static Guid? AgentLeg(HttpContext http) =>
        Guid.TryParse(http.Request.Query[InboundCalls.AgentLegParameter], out var agent) ? agent : null;

    /// <summary>The hot path: handed to the group-commit writer, answered once committed. No DbContext is created for it.</summary>
    private static async Task<IResult> StatusAsync(string provider, TwilioCallbackForm form, Guid? agentLeg, string payload, IServiceProvider services, CancellationToken ct)
    {
        if (form.CallSid is null || form.RawCallStatus is null)
            return Platform.Web.Problems.Invalid("CallSid", "A status callback needs CallSid and CallStatus.");
        var update = new StatusUpdate(form.CallSid, form.ParentCallSid, form.RawCallStatus.ToLowerInvariant(), form.SequenceNumber, form.Timestamp,
            form.CallDurationSeconds, form.ParentCallSid is null ? null : agentLeg);
        var actor = services.GetRequiredService<AuditActor>();
        await services.GetRequiredService<CallStatusWriter>().ApplyAsync(new StatusCallback(
            services.GetRequiredService<TenantContext>().RequiredTenantId, provider, update, payload, actor.ActorName ?? $"provider:{provider}", actor.Ip, actor.UserAgent), ct);
        return Results.NoContent();
    }

    private static async Task<IResult> RecordingAsync(string provider, TwilioCallbackForm form, JsonDocument payload, CallLifecycle lifecycle, CancellationToken ct)
    {
        if (form.CallSid is null || form.RecordingSid is null) return Platform.Web.Problems.Invalid("RecordingSid", "A recording callback needs CallSid and RecordingSid.");
        if (form.RecordingStatus is not (null or "completed")) return Results.NoContent();
        await lifecycle.ApplyMediaAsync(provider, "recording", form.CallSid, form.ParentCallSid, form.RecordingSid, call =>
        {
            call.RecordingUrl = form.RecordingUrl;
            call.RecordingDuration = form.RecordingDurationSeconds;
        }, payload, ct);
        return Results.NoContent();
    }

    private static async Task<IResult> TranscriptionAsync(string provider, TwilioCallbackForm form, JsonDocument payload, CallLifecycle lifecycle, CancellationToken ct)
    {
        if (form.CallSid is null) return Platform.Web.Problems.Invalid("CallSid", "A transcription callback needs CallSid.");
        if (form.TranscriptionStatus is not (null or "completed") || form.TranscriptionText is null) return Results.NoContent();
        await lifecycle.ApplyMediaAsync(provider, "transcription", form.CallSid, form.ParentCallSid, form.TranscriptionSid ?? form.CallSid,
            call => call.Transcript = form.TranscriptionText, payload, ct);
        return Results.NoContent();
    }

    /// <summary>The agent answered their phone (click-to-call): now dial the lead, following the lead's leg.</summary>
    private static async Task<IResult> ConnectAsync(string provider, Guid tenantId, HttpContext http, IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<SwitchboardDbContext>();
        var urls = services.GetRequiredService<PublicUrls>();
        if (!Guid.TryParse(http.Request.Query["callId"], out var callId) || await db.Calls.AsNoTracking().SingleOrDefaultAsync(c => c.Id == callId, ct) is not { } call)
            return TwiML.Response().Say("This call could not be connected.").Hangup().ToResult();
        return TwiML.Response()
            .Dial(new DialOptions
                {
                    CallerId = call.FromNumber, TimeoutSeconds = 30, RecordFromAnswer = true,
                    RecordingStatusCallback = urls.Webhook(provider, tenantId, "recording"),
                },
                DialTarget.Number(call.ToNumber) with { StatusCallback = urls.Webhook(provider, tenantId, "status") })
            .ToResult();
    }
}
