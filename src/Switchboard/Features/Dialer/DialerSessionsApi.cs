using Switchboard.Features.Calls;

namespace Switchboard.Features.Dialer;

/// <summary>The session's current lead (leadId) or contact (contactId) to skip: one of the two.</summary>
public sealed record DialerSkipRequest(Guid? LeadId, Guid? ContactId = null);

/// <summary>The session's current lead (leadId) or contact (contactId) to call: one of the two. auto: the dial the
/// workspace's countdown asks for, placed only while that countdown stands.</summary>
public sealed record DialerDialRequest(Guid? LeadId, bool? Auto, Guid? ContactId = null);

/// <summary>The turn as the API gives it: the lead (leadId) or contact (contactId) to work on, at most one of them;
/// skipped counts the leads and contacts the compliance guard would block now, by reason; nextCallable (only when
/// nothing is served) says when the first of them may be called.</summary>
public sealed record DialerTurnDto(
    Guid? LeadId, Guid? PendingCallId, int Remaining, DialerSkips Skipped, NextCallable? NextCallable, DialerSessionDto Session, Guid? ContactId = null);

/// <summary>The caller's dialer sessions (ADR 0017). Private to their agent: anyone else's session is 404.</summary>
public static class DialerSessionsApi
{
    public static IEndpointRouteBuilder MapDialerSessionsApi(this IEndpointRouteBuilder app)
    {
        var dialer = app.MapTenantApi("/dialer", "Calls").RefuseApiKeys();

        dialer.MapPost("/queues/{id:guid}/session", async (Guid id, DialerSessions service, CancellationToken ct) =>
                (await service.OpenAsync(id, ct)).ToResult(opened => opened.Resumed
                    ? Results.Ok(opened.Session)
                    : Results.Created($"/api/v1/dialer/sessions/{opened.Session.Id}", opened.Session)))
            .Produces<DialerSessionDto>().Produces<DialerSessionDto>(201)
            .ProducesProblem(404)
            .WithSummary("Start a session on one of your queues, or resume its open one (200). One open session per agent and queue.");

        dialer.MapGet("/sessions", async (DialerSessions service, TenantContext ctx, CancellationToken ct) =>
                DialerQueues.CanUse(ctx) ? Results.Ok(await service.ListOpenAsync(ct)) : Problems.Forbidden("Your role cannot use the dialer."))
            .Produces<IReadOnlyList<DialerSessionDto>>()
            .WithSummary("Your open dialer sessions, most recently active first.");

        dialer.MapGet("/sessions/{id:guid}", async (Guid id, DialerSessions service, CancellationToken ct) =>
                await service.FindOwnAsync(id, ct) is { } session ? Results.Ok(DialerSessionDto.Of(session)) : Problems.NotFound("The session"))
            .Produces<DialerSessionDto>()
            .ProducesProblem(404);

        dialer.MapPost("/sessions/{id:guid}/turn", async Task<IResult> (Guid id, DialerSessions sessions, DialerQueues queues, CancellationToken ct) =>
            {
                if (await sessions.FindOwnAsync(id, ct) is not { } session || await queues.FindOwnAsync(session.QueueId, ct) is not { } queue)
                    return Problems.NotFound("The session");
                var turn = await sessions.TurnAsync(session, queue.Filter, ct);
                // Read again: the turn may have counted an outcome given elsewhere, which its in-memory row does not show.
                var now = await sessions.FindOwnAsync(id, ct) ?? session;
                return Results.Ok(new DialerTurnDto(
                    turn.LeadId, turn.PendingCall?.Id, turn.Remaining, turn.Skipped, turn.Next, DialerSessionDto.Of(now), turn.ContactId));
            })
            .Produces<DialerTurnDto>()
            .ProducesProblem(404)
            .WithSummary("The lead (leadId) or contact (contactId) the session works on now: a call of yours still waiting for its outcome first, else the session's current one (picked from the queue's leads and contacts, in one order, if it has none) while it is still in the queue and the compliance guard would let you call it now. Neither: the queue is done, or nothing is callable now (see skipped and nextCallable).");

        dialer.MapPost("/sessions/{id:guid}/skip", async Task<IResult> (Guid id, DialerSkipRequest body, DialerSessions sessions, CancellationToken ct) =>
            {
                if (TargetOf(body.LeadId, body.ContactId) is not { } target) return TargetRequired(body.LeadId, body.ContactId);
                if (await sessions.FindOwnAsync(id, ct) is not { } session) return Problems.NotFound("The session");
                if (!await sessions.SkipAsync(session, target, ct))
                    return Problems.Conflict($"That {target.Noun} is not the session's current one (another tab may have moved on); nothing was skipped.");
                return Results.Ok(DialerSessionDto.Of((await sessions.FindOwnAsync(id, ct))!));
            })
            .Produces<DialerSessionDto>()
            .ProducesValidationProblem()
            .ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Skip the session's current lead (leadId) or contact (contactId): it is not served again in this session.");

        dialer.MapPost("/sessions/{id:guid}/dial", async Task<IResult> (Guid id, DialerDialRequest body, DialerSessions sessions, PowerDialer dialer, TenantContext ctx, CancellationToken ct) =>
            {
                if (!DialerQueues.CanUse(ctx)) return Problems.Forbidden("Your role cannot use the dialer.");
                if (TargetOf(body.LeadId, body.ContactId) is not { } target) return TargetRequired(body.LeadId, body.ContactId);
                if (await sessions.FindOwnAsync(id, ct) is not { } session) return Problems.NotFound("The session");
                return await dialer.DialAsync(session, target, body.Auto ?? false, ct) switch
                {
                    SessionDial.Placed placed => Results.Created($"/api/v1/calls/{placed.Call.Id}", placed.Call),
                    SessionDial.NotPlaced notPlaced => Problems.Conflict(notPlaced.Message),
                    SessionDial.Blocked blocked => Problems.Conflict(blocked.Block.Message,
                        blocked.Block.Reason is null ? null : new Dictionary<string, object?> { ["reason"] = blocked.Block.Reason }),
                    _ => throw new InvalidOperationException("Unknown dial result."),
                };
            })
            .Produces<StartedCall>(201)
            .ProducesValidationProblem()
            .ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Call the session's current lead (leadId) or contact (contactId, at its first phone). Placed once: a second dial of the same one (another tab, a double click) is a 409 and places nothing. auto: true dials only while the countdown the session armed for it still runs (not paused or canceled).");

        dialer.MapPatch("/sessions/{id:guid}", async (Guid id, DialerSessionWrite body, PowerDialer dialer, TenantContext ctx, CancellationToken ct) =>
                DialerQueues.CanUse(ctx)
                    ? (await dialer.UpdateAsync(id, body, ct)).ToResult(value => Results.Ok(value))
                    : Problems.Forbidden("Your role cannot use the dialer."))
            .Produces<DialerSessionDto>()
            .ProducesValidationProblem()
            .ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Change the session's auto-dial: autoDialSeconds (0–60, 0 = off, null = the tenant's default) and autoDialPaused.");

        dialer.MapGet("/sessions/{id:guid}/report", async (Guid id, DialerSessionReports reports, CancellationToken ct) =>
                await reports.ForAsync(id, ct) is { } report ? Results.Ok(report) : Problems.NotFound("The session"))
            .Produces<DialerSessionReport>()
            .ProducesProblem(404)
            .WithSummary("The session's dials, connects (answered calls), talk time (seconds of connected calls), skips and outcomes by disposition (no-outcome included; 'awaiting' for calls still without one).");

        dialer.MapPost("/sessions/{id:guid}/end", async (Guid id, DialerSessions service, CancellationToken ct) =>
                (await service.EndAsync(id, ct)).ToResult(value => Results.Ok(value)))
            .Produces<DialerSessionDto>()
            .ProducesProblem(404)
            .WithSummary("End the session; opening its queue again starts a new one.");

        return app;
    }

    /// <summary>The lead or the contact a skip or dial names, when it names exactly one.</summary>
    private static DialTarget? TargetOf(Guid? leadId, Guid? contactId) => leadId is not null && contactId is not null ? null : DialTarget.Of(leadId, contactId);

    private static IResult TargetRequired(Guid? leadId, Guid? contactId) => leadId is not null && contactId is not null
        ? Problems.Invalid("contactId", "Send leadId or contactId, not both.")
        : Problems.Invalid("leadId", "leadId or contactId is required.");
}
