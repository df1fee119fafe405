using Switchboard.Features.Calls;

namespace Switchboard.Features.Dialer;

/// <summary>What became of a dial asked for in a session.</summary>
public abstract record SessionDial
{
    private SessionDial() { }

    /// <summary>The call was placed.</summary>
    public sealed record Placed(StartedCall Call) : SessionDial;

    /// <summary>Nothing was placed: the lead or contact is not the session's current one, a call for it was already placed
    /// (another tab, a double click), the agent has a call waiting for its outcome, or (an auto-dial) the countdown was paused or canceled.</summary>
    public sealed record NotPlaced(string Message) : SessionDial;

    /// <summary>The calls service refused it (the compliance guard, no provider, a missing number…).</summary>
    public sealed record Blocked(DialBlock Block) : SessionDial;
}

/// <summary>The workspace's auto-dial state: the countdown in effect and, when armed, the lead or contact it dials and the seconds left.</summary>
public sealed record AutoDialView(int Seconds, bool TenantDefault, int TenantSeconds, bool Paused, DialTarget? Armed, int SecondsLeft)
{
    public bool On => Seconds > 0;
    public bool IsArmed => Armed is not null;
}

/// <summary>The session's countdown, as the workspace's form and PATCH /api/v1/dialer/sessions/{id} change it.</summary>
public sealed record DialerSessionWrite : RequestBody
{
    /// <summary>Seconds before the next lead or contact dials after an outcome (0–60, 0 = off); null = the tenant's default.</summary>
    public Optional<int?> AutoDialSeconds { get; init; }
    /// <summary>True pauses auto-dial for the session; false resumes it.</summary>
    public Optional<bool?> AutoDialPaused { get; init; }
}

/// <summary>
/// Power dialing (ADR 0032): placing a session's calls once, and the countdown that dials the next lead or contact after
/// an outcome. The server arms the countdown for one target with a deadline; the client only counts down and asks for the
/// dial, which is placed only while that countdown still stands. A dial claims the target on the session row first
/// (compare-and-set), so two tabs or a double click place one call. A contact is called as from its page (ADR 0035).
/// </summary>
[Scoped]
public sealed class PowerDialer(SwitchboardDbContext db, DialerQueues queues, DialerSessions sessions, CallService calls, CallingSettingsService settings, TimeProvider clock)
{
    /// <summary>How late an armed countdown may still dial (a slow request, a reload at zero); later, the agent dials by hand.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(15);

    public async Task<SessionDial> DialAsync(DialerSession session, DialTarget target, bool auto, CancellationToken ct)
    {
        if (session.EndedAt is not null) return new SessionDial.NotPlaced("This session has ended.");
        if (await queues.PendingCallAsync(ct) is not null) return new SessionDial.NotPlaced("Record the outcome of your last call first.");
        if (!await ClaimAsync(session, target, auto, ct))
            return new SessionDial.NotPlaced(auto
                ? "Auto-dial did not place the call: it was paused or canceled, or the session moved on."
                : $"That {target.Noun} was already dialed or dealt with in another tab of this session. This is the session's current one.");
        var started = await calls.StartAsync(target.IsContact ? StartCallRequest.ForContact(target.Id) : StartCallRequest.For(target.Id), ct);
        if (started is Outcome<StartedCall>.Ok ok)
        {
            await db.Calls.Where(c => c.Id == ok.Value.Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.DialerSessionId, session.Id), ct);
            await sessions.CountCallAsync(session, ct);
            return new SessionDial.Placed(ok.Value);
        }
        // Not placed: it may be dialed again once whatever stopped it is fixed.
        var id = target.Id;
        await db.DialerSessions.Where(s => s.Id == session.Id && s.DialedTargetId == id)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.DialedTargetId, (Guid?)null), ct);
        return new SessionDial.Blocked(started switch
        {
            Outcome<StartedCall>.Conflict conflict => new DialBlock(conflict.Reason, conflict.Message),
            Outcome<StartedCall>.Invalid invalid => new DialBlock(null, invalid.Summary),
            Outcome<StartedCall>.Forbidden forbidden => new DialBlock("forbidden", forbidden.Message),
            _ => new DialBlock(null, $"This {target.Noun} is no longer in your queue."),
        });
    }

    /// <summary>
    /// Claims the lead or contact for one dial. Under PostgreSQL's row lock the second of two concurrent claims re-reads
    /// the row the first one changed and no longer matches. An auto-dial also needs its countdown to still stand for it.
    /// </summary>
    private async Task<bool> ClaimAsync(DialerSession session, DialTarget target, bool auto, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var notBefore = now - Grace;
        var id = target.Id;
        var candidates = db.DialerSessions.Where(s => s.Id == session.Id && s.EndedAt == null).Where(DialerSessions.Shows(target))
            .Where(s => s.DialedTargetId == null || s.DialedTargetId != id);
        if (auto) candidates = candidates.Where(s => s.AutoDialTargetId == id && !s.AutoDialPaused && s.AutoDialAt > notBefore);
        return await candidates.ExecuteUpdateAsync(u => u
            .SetProperty(s => s.DialedTargetId, id)
            .SetProperty(s => s.AutoDialTargetId, (Guid?)null)
            .SetProperty(s => s.AutoDialAt, (DateTimeOffset?)null)
            .SetProperty(s => s.LastActiveAt, now)
            .SetProperty(s => s.Version, s => s.Version + 1), ct) == 1;
    }

    /// <summary>Starts the countdown for the lead or contact the session now shows, unless auto-dial is off or paused.</summary>
    public async Task ArmAsync(DialerSession session, DialTarget target, CancellationToken ct)
    {
        var seconds = await SecondsAsync(session, ct);
        if (seconds == 0) return;
        var at = clock.GetUtcNow().AddSeconds(seconds);
        var id = target.Id;
        await db.DialerSessions.Where(s => s.Id == session.Id && s.EndedAt == null && !s.AutoDialPaused).Where(DialerSessions.Shows(target))
            .Where(s => s.DialedTargetId == null || s.DialedTargetId != id)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.AutoDialTargetId, id).SetProperty(s => s.AutoDialAt, at)
                .SetProperty(s => s.Version, s => s.Version + 1), ct);
    }

    /// <summary>Cancels the running countdown (Escape): the lead or contact stays on screen for a dial by hand.</summary>
    public Task CancelAsync(DialerSession session, CancellationToken ct) =>
        db.DialerSessions.Where(s => s.Id == session.Id && s.AutoDialTargetId != null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.AutoDialTargetId, (Guid?)null).SetProperty(s => s.AutoDialAt, (DateTimeOffset?)null)
                .SetProperty(s => s.Version, s => s.Version + 1), ct);

    /// <summary>Changes the session's countdown or pauses/resumes it. Pausing stops a running countdown.</summary>
    public async Task<Outcome<DialerSessionDto>> UpdateAsync(Guid id, DialerSessionWrite write, CancellationToken ct)
    {
        var errors = write.BindingErrors();
        if (write.AutoDialSeconds is { IsSet: true, Value: not null and not (>= 0 and <= CallingPolicy.MaxAutoDialSeconds) })
            errors.Add("autoDialSeconds", $"Countdown for this session must be between 0 and {CallingPolicy.MaxAutoDialSeconds} seconds (0 turns auto-dial off).");
        if (!errors.IsValid) return new Outcome<DialerSessionDto>.Invalid(errors.ToDictionary());
        var session = await sessions.FindOwnAsync(id, ct);
        if (session is null) return new Outcome<DialerSessionDto>.NotFound();
        if (session.EndedAt is not null) return new Outcome<DialerSessionDto>.Conflict("This session has ended.");
        var seconds = write.AutoDialSeconds.IsSet ? write.AutoDialSeconds.Value : session.AutoDialSeconds;
        var paused = write.AutoDialPaused.Value ?? session.AutoDialPaused;
        var stop = paused || seconds == 0;
        await db.DialerSessions.Where(s => s.Id == id).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.AutoDialSeconds, seconds)
            .SetProperty(s => s.AutoDialPaused, paused)
            .SetProperty(s => s.AutoDialTargetId, s => stop ? null : s.AutoDialTargetId)
            .SetProperty(s => s.AutoDialAt, s => stop ? null : s.AutoDialAt)
            .SetProperty(s => s.LastActiveAt, clock.GetUtcNow())
            .SetProperty(s => s.Version, s => s.Version + 1), ct);
        return DialerSessionDto.Of((await sessions.FindOwnAsync(id, ct))!);
    }

    /// <summary>The countdown in effect for the session, and whether it runs for the lead or contact on screen.</summary>
    public async Task<AutoDialView> ViewAsync(DialerSession session, DialTarget? onScreen, CancellationToken ct)
    {
        var current = await db.DialerSessions.AsNoTracking().Where(s => s.Id == session.Id)
            .Select(s => new { s.AutoDialSeconds, s.AutoDialPaused, s.AutoDialTargetId, s.AutoDialAt }).SingleAsync(ct);
        var tenant = (await settings.PolicyAsync(ct)).AutoDialSeconds;
        var seconds = current.AutoDialSeconds ?? tenant;
        var now = clock.GetUtcNow();
        var armed = seconds > 0 && !current.AutoDialPaused && onScreen is { } shown && current.AutoDialTargetId == shown.Id
                    && current.AutoDialAt is { } at && at > now - Grace;
        var left = armed ? (int)Math.Max(0, Math.Ceiling((current.AutoDialAt!.Value - now).TotalSeconds)) : 0;
        return new AutoDialView(seconds, current.AutoDialSeconds is null, tenant, current.AutoDialPaused, armed ? onScreen : null, left);
    }

    private async Task<int> SecondsAsync(DialerSession session, CancellationToken ct)
    {
        var own = await db.DialerSessions.AsNoTracking().Where(s => s.Id == session.Id).Select(s => s.AutoDialSeconds).SingleAsync(ct);
        return own ?? (await settings.PolicyAsync(ct)).AutoDialSeconds;
    }
}
