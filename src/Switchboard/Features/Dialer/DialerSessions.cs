using Switchboard.Features.Leads;
using Switchboard.Features.Calls;

namespace Switchboard.Features.Dialer;

/// <summary>
/// Dialer sessions (ADR 0017): an agent's pass through one of their queues, kept in the database. Opening a queue
/// resumes its open session (so a second tab joins the first) unless that session has been idle for
/// <see cref="IdleLimit"/>. Every tab of a session shows the session's current lead; an action taken on a lead the
/// session has already moved past is not applied. Sessions are private to their agent: anyone else's is not found.
/// </summary>
[Scoped]
public sealed class DialerSessions(SwitchboardDbContext db, DialerQueues queues, Dispositions dispositions, TenantContext ctx, TimeProvider clock)
{
    /// <summary>A session idle this long is over: opening its queue again starts a new one (a working day, as the wrap-up guard's window).</summary>
    public static readonly TimeSpan IdleLimit = DialerQueues.PendingWindow;

    /// <summary>How long a session's current lead stays out of other sessions after the session's last activity.</summary>
    public static readonly TimeSpan HoldFor = TimeSpan.FromMinutes(30);

    public async Task<Outcome<OpenedDialerSession>> OpenAsync(Guid queueId, CancellationToken ct)
    {
        if (!DialerQueues.CanUse(ctx)) return new Outcome<OpenedDialerSession>.Forbidden("Your role cannot use the dialer.");
        if (await queues.FindOwnAsync(queueId, ct) is null) return new Outcome<OpenedDialerSession>.NotFound();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await OpenOrStartAsync(queueId, ct);
            }
            // Another tab opened, ended or moved the queue's session at the same moment: look again.
            catch (DbUpdateException e) when (attempt < 3 && (e is DbUpdateConcurrencyException || DatabaseErrors.IsUniqueViolation(e, out _)))
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<OpenedDialerSession> OpenOrStartAsync(Guid queueId, CancellationToken ct)
    {
        var self = ctx.RequiredUserId;
        var now = clock.GetUtcNow();
        var open = await db.DialerSessions.SingleOrDefaultAsync(s => s.UserId == self && s.QueueId == queueId && s.EndedAt == null, ct);
        if (open is not null && open.LastActiveAt > now - IdleLimit)
        {
            Touch(open, now);
            await db.SaveChangesAsync(ct);
            return new OpenedDialerSession(DialerSessionDto.Of(open), Resumed: true);
        }
        if (open is not null)
        {
            // Saved on its own: the new session may only be inserted once this one no longer holds the "one open" index.
            End(open, open.LastActiveAt);
            await db.SaveChangesAsync(ct);
        }
        var session = new DialerSession { Id = Guid.CreateVersion7(), UserId = self, QueueId = queueId, StartedAt = now, LastActiveAt = now };
        db.DialerSessions.Add(session);
        await db.SaveChangesAsync(ct);
        return new OpenedDialerSession(DialerSessionDto.Of(session), Resumed: false);
    }

    /// <summary>The caller's own session, open or ended; null for anyone else's.</summary>
    public async Task<DialerSession?> FindOwnAsync(Guid id, CancellationToken ct)
    {
        var self = ctx.RequiredUserId;
        return await db.DialerSessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.UserId == self, ct);
    }

    /// <summary>The caller's open sessions, most recently active first.</summary>
    public async Task<IReadOnlyList<DialerSessionDto>> ListOpenAsync(CancellationToken ct)
    {
        var self = ctx.RequiredUserId;
        var since = clock.GetUtcNow() - IdleLimit;
        var rows = await db.DialerSessions.AsNoTracking().Where(s => s.UserId == self && s.EndedAt == null && s.LastActiveAt > since)
            .OrderByDescending(s => s.LastActiveAt).ToListAsync(ct);
        return rows.Select(DialerSessionDto.Of).ToList();
    }

    /// <summary>
    /// What the session works on now: the agent's call still waiting for an outcome first (unless
    /// <paramref name="ignorePending"/>), else the current lead while it still qualifies, else the next lead of the
    /// queue, which becomes the current lead. An ended session has no turn.
    /// </summary>
    public async Task<DialerTurn> TurnAsync(DialerSession session, DialerQueueFilter filter, CancellationToken ct, bool ignorePending = false)
    {
        var remaining = await Matching(session, filter).CountAsync(ct);
        if (session.EndedAt is not null) return new DialerTurn(null, null, remaining, DialerSkips.None);
        if (!ignorePending && await queues.PendingCallAsync(ct) is { } pending) return new DialerTurn(pending.LeadId, pending, remaining, DialerSkips.None);
        await RecordOutcomeGivenElsewhereAsync(session, ct);
        var compliance = await queues.ComplianceAsync(ct);
        for (var attempt = 1; ; attempt++)
        {
            var now = clock.GetUtcNow();
            // The current lead too must still match the filter and pass the guard: one that stopped is passed over.
            var checkedNow = await compliance.ApplyAsync(Servable(session, filter, now), ct);
            var servable = checkedNow.Callable;
            var lead = session.CurrentLeadId is { } current && await servable.AnyAsync(l => l.Id == current, ct) ? current
                : await DialerQueues.Ordered(servable).Select(l => (Guid?)l.Id).FirstOrDefaultAsync(ct);
            var expected = session.CurrentLeadId;
            var bump = lead == expected ? 0 : 1;
            var since = lead == expected ? session.CurrentSince : now;
            // Compare and set: when two tabs pick at once, the first one's pick stands and the other shows it too.
            var changed = await db.DialerSessions
                .Where(s => s.Id == session.Id && s.EndedAt == null && s.CurrentLeadId == expected)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.CurrentLeadId, lead).SetProperty(s => s.CurrentSince, since)
                    .SetProperty(s => s.LastActiveAt, now).SetProperty(s => s.Version, s => s.Version + bump), ct);
            if (changed == 1 || attempt == 3)
            {
                session.CurrentLeadId = lead;
                session.CurrentSince = since;
                var next = lead is null ? await compliance.NextAsync(checkedNow, ct) : null;
                return new DialerTurn(lead, null, remaining, checkedNow.Skipped, next);
            }
            session = await FindOwnAsync(session.Id, ct) ?? session;
            if (session.EndedAt is not null) return new DialerTurn(null, null, remaining, DialerSkips.None);
        }
    }

    /// <summary>
    /// Skips the session's current lead. A skip of any other lead (a tab that has not seen the session move on) is
    /// not applied, so two tabs skipping what they both show skip one lead, not two. Returns whether it was applied.
    /// </summary>
    public async Task<bool> SkipAsync(DialerSession session, Guid leadId, CancellationToken ct) =>
        session.EndedAt is null && await db.DialerSessions.AnyAsync(s => s.Id == session.Id && s.CurrentLeadId == leadId, ct)
        && await RecordAsync(session, leadId, DialerSessionLeadKinds.Skip, connected: false, ct);

    /// <summary>Records that a call to the lead got its outcome in this session: the lead is done, whichever lead the session shows.</summary>
    public Task<bool> RecordOutcomeAsync(DialerSession session, Guid leadId, bool connected, CancellationToken ct) =>
        RecordAsync(session, leadId, DialerSessionLeadKinds.Outcome, connected, ct);

    /// <summary>Counts a call placed from the session.</summary>
    public async Task CountCallAsync(DialerSession session, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await db.DialerSessions.Where(s => s.Id == session.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Calls, s => s.Calls + 1).SetProperty(s => s.LastActiveAt, now).SetProperty(s => s.Version, s => s.Version + 1), ct);
    }

    public async Task<Outcome<DialerSessionDto>> EndAsync(Guid id, CancellationToken ct)
    {
        if (!DialerQueues.CanUse(ctx)) return new Outcome<DialerSessionDto>.Forbidden("Your role cannot use the dialer.");
        var self = ctx.RequiredUserId;
        var session = await db.DialerSessions.SingleOrDefaultAsync(s => s.Id == id && s.UserId == self, ct);
        if (session is null) return new Outcome<DialerSessionDto>.NotFound();
        if (session.EndedAt is null)
        {
            End(session, clock.GetUtcNow());
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                return await EndAsync(id, ct);
            }
        }
        return DialerSessionDto.Of(session);
    }

    /// <summary>
    /// The current lead got an outcome outside the dialer page (the calls API, the lead's page) since the session
    /// served it: the session records it, so it moves on as if the outcome had been saved in the dialer.
    /// </summary>
    private async Task RecordOutcomeGivenElsewhereAsync(DialerSession session, CancellationToken ct)
    {
        if (session.CurrentLeadId is not { } lead || session.CurrentSince is not { } since) return;
        var self = ctx.RequiredUserId;
        var code = await db.Calls.Where(c => c.LeadId == lead && c.AgentId == self && c.DispositionedAt >= since)
            .OrderByDescending(c => c.DispositionedAt).Select(c => c.Disposition).FirstOrDefaultAsync(ct);
        if (code is null) return;
        var connected = await dispositions.FindActiveAsync(code, ct) is { IsConnect: true };
        await RecordAsync(session, lead, DialerSessionLeadKinds.Outcome, connected, ct);
    }

    /// <summary>Leads of the queue the session has not handled yet.</summary>
    private IQueryable<Lead> Matching(DialerSession session, DialerQueueFilter filter)
    {
        var sessionId = session.Id;
        var handled = db.Set<DialerSessionLead>();
        return queues.Matching(filter, session.QueueId).Where(l => !handled.Any(h => h.SessionId == sessionId && h.LeadId == l.Id));
    }

    /// <summary>Those, less the leads another open session active in the last <see cref="HoldFor"/> has on screen.</summary>
    private IQueryable<Lead> Servable(DialerSession session, DialerQueueFilter filter, DateTimeOffset now)
    {
        var sessionId = session.Id;
        var heldSince = now - HoldFor;
        var sessions = db.DialerSessions;
        return Matching(session, filter).Where(l => !sessions.Any(s =>
            s.Id != sessionId && s.EndedAt == null && s.CurrentLeadId == l.Id && s.LastActiveAt > heldSince));
    }

    /// <summary>
    /// Marks the lead handled and counts it, in one transaction; a lead already handled in the session (the other
    /// tab got there first) changes nothing. Returns whether this call recorded it.
    /// </summary>
    private async Task<bool> RecordAsync(DialerSession session, Guid leadId, string kind, bool connected, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var tenantId = ctx.RequiredTenantId;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync($"""
            insert into dialer_session_leads (tenant_id, session_id, lead_id, handled_at, kind)
            values ({tenantId}, {session.Id}, {leadId}, {now}, {kind}) on conflict do nothing
            """, ct);
        if (inserted == 0) return false;
        var skipped = kind == DialerSessionLeadKinds.Skip ? 1 : 0;
        var outcomes = 1 - skipped;
        var answered = connected ? 1 : 0;
        await db.DialerSessions.Where(s => s.Id == session.Id).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.Skipped, s => s.Skipped + skipped)
            .SetProperty(s => s.Outcomes, s => s.Outcomes + outcomes)
            .SetProperty(s => s.Connected, s => s.Connected + answered)
            .SetProperty(s => s.CurrentLeadId, s => s.CurrentLeadId == leadId ? null : s.CurrentLeadId)
            .SetProperty(s => s.CurrentSince, s => s.CurrentLeadId == leadId ? null : s.CurrentSince)
            .SetProperty(s => s.LastActiveAt, now)
            .SetProperty(s => s.Version, s => s.Version + 1), ct);
        await tx.CommitAsync(ct);
        if (session.CurrentLeadId == leadId) (session.CurrentLeadId, session.CurrentSince) = (null, null);
        return true;
    }

    private static void Touch(DialerSession session, DateTimeOffset now)
    {
        session.LastActiveAt = now;
        session.Version++;
    }

    private static void End(DialerSession session, DateTimeOffset at)
    {
        session.EndedAt = at;
        session.CurrentLeadId = null;
        session.CurrentSince = null;
        session.Version++;
    }
}
