using System.Linq.Expressions;
using Switchboard.Features.Calls;

namespace Switchboard.Features.Dialer;

/// <summary>
/// Dialer sessions (ADR 0017): an agent's pass through one of their queues, kept in the database. Opening a queue
/// resumes its open session (so a second tab joins the first) unless that session has been idle for
/// <see cref="IdleLimit"/>. Every tab of a session shows the session's current lead or contact (ADR 0035); an action
/// taken on one the session has already moved past is not applied. Sessions are private to their agent: anyone else's is not found.
/// </summary>
[Scoped]
public sealed class DialerSessions(SwitchboardDbContext db, DialerQueues queues, Dispositions dispositions, TenantContext ctx, TimeProvider clock)
{
    /// <summary>A session idle this long is over: opening its queue again starts a new one (a working day, as the wrap-up guard's window).</summary>
    public static readonly TimeSpan IdleLimit = DialerQueues.PendingWindow;

    /// <summary>How long a session's current lead or contact stays out of other sessions after the session's last activity.</summary>
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
    /// <paramref name="ignorePending"/>), else the current lead or contact while it still qualifies, else the next one
    /// of the queue (leads and contacts in one order, ADR 0035), which becomes the current one. An ended session has no turn.
    /// </summary>
    public async Task<DialerTurn> TurnAsync(DialerSession session, DialerQueueFilter filter, CancellationToken ct, bool ignorePending = false)
    {
        var remaining = await Matching(session, filter).CountAsync(ct);
        if (session.EndedAt is not null) return new DialerTurn(null, null, remaining, DialerSkips.None);
        if (!ignorePending && await queues.PendingCallAsync(ct) is { } pending)
            return new DialerTurn(DialTarget.Of(pending.LeadId, pending.ContactId), pending, remaining, DialerSkips.None);
        await RecordOutcomeGivenElsewhereAsync(session, ct);
        var compliance = await queues.ComplianceAsync(ct);
        for (var attempt = 1; ; attempt++)
        {
            var now = clock.GetUtcNow();
            // The current target too must still match the queue and pass the guard: one that stopped is passed over.
            var checkedNow = await compliance.ApplyAsync(Servable(session, filter, now), ct);
            var servable = checkedNow.Callable;
            var expected = session.Current;
            DialTarget? target = expected is { } current && await servable.AnyAsync(t => t.Id == current.Id && t.IsContact == current.IsContact, ct) ? current
                : await DialerQueues.Ordered(servable).Select(t => new { t.Id, t.IsContact }).FirstOrDefaultAsync(ct) is { } first
                    ? new DialTarget(first.Id, first.IsContact) : null;
            var bump = target == expected ? 0 : 1;
            var since = target == expected ? session.CurrentSince : now;
            var (expectedLead, expectedContact) = (expected?.LeadId, expected?.ContactId);
            var (lead, contact) = (target?.LeadId, target?.ContactId);
            // Compare and set: when two tabs pick at once, the first one's pick stands and the other shows it too.
            var changed = await db.DialerSessions
                .Where(s => s.Id == session.Id && s.EndedAt == null && s.CurrentLeadId == expectedLead && s.CurrentContactId == expectedContact)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.CurrentLeadId, lead).SetProperty(s => s.CurrentContactId, contact)
                    .SetProperty(s => s.CurrentSince, since).SetProperty(s => s.LastActiveAt, now).SetProperty(s => s.Version, s => s.Version + bump), ct);
            if (changed == 1 || attempt == 3)
            {
                (session.CurrentLeadId, session.CurrentContactId, session.CurrentSince) = (lead, contact, since);
                var next = target is null ? await compliance.NextAsync(checkedNow, ct) : null;
                return new DialerTurn(target, null, remaining, checkedNow.Skipped, next);
            }
            session = await FindOwnAsync(session.Id, ct) ?? session;
            if (session.EndedAt is not null) return new DialerTurn(null, null, remaining, DialerSkips.None);
        }
    }

    /// <summary>The session rows that show the target now (its current lead, or its current contact).</summary>
    internal static Expression<Func<DialerSession, bool>> Shows(DialTarget target)
    {
        var id = target.Id;
        return target.IsContact ? s => s.CurrentContactId == id : s => s.CurrentLeadId == id;
    }

    /// <summary>
    /// Skips the session's current lead or contact. A skip of anything else (a tab that has not seen the session move
    /// on) is not applied, so two tabs skipping what they both show skip one, not two. Returns whether it was applied.
    /// </summary>
    public async Task<bool> SkipAsync(DialerSession session, DialTarget target, CancellationToken ct) =>
        session.EndedAt is null && await db.DialerSessions.Where(s => s.Id == session.Id).AnyAsync(Shows(target), ct)
        && await RecordAsync(session, target, DialerSessionLeadKinds.Skip, connected: false, ct);

    /// <summary>Records that a call to the lead or contact got its outcome in this session: it is done, whatever the session shows.</summary>
    public Task<bool> RecordOutcomeAsync(DialerSession session, DialTarget target, bool connected, CancellationToken ct) =>
        RecordAsync(session, target, DialerSessionLeadKinds.Outcome, connected, ct);

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
    /// The current lead or contact got an outcome outside the dialer page (the calls API, its own page) since the
    /// session served it: the session records it, so it moves on as if the outcome had been saved in the dialer.
    /// </summary>
    private async Task RecordOutcomeGivenElsewhereAsync(DialerSession session, CancellationToken ct)
    {
        if (session.Current is not { } current || session.CurrentSince is not { } since) return;
        var self = ctx.RequiredUserId;
        var calls = db.Calls.Where(c => c.AgentId == self && c.DispositionedAt >= since);
        calls = current.IsContact ? calls.Where(c => c.ContactId == current.Id) : calls.Where(c => c.LeadId == current.Id);
        var code = await calls.OrderByDescending(c => c.DispositionedAt).Select(c => c.Disposition).FirstOrDefaultAsync(ct);
        if (code is null) return;
        var connected = await dispositions.FindActiveAsync(code, ct) is { IsConnect: true };
        await RecordAsync(session, current, DialerSessionLeadKinds.Outcome, connected, ct);
    }

    /// <summary>Leads and contacts of the queue the session has not handled yet.</summary>
    private DialPool Matching(DialerSession session, DialerQueueFilter filter)
    {
        var sessionId = session.Id;
        var handledLeads = db.Set<DialerSessionLead>();
        var handledContacts = db.Set<DialerSessionContact>();
        var pool = queues.Matching(filter, session.QueueId);
        return new DialPool(
            pool.Leads.Where(l => !handledLeads.Any(h => h.SessionId == sessionId && h.LeadId == l.Id)),
            pool.Contacts.Where(c => !handledContacts.Any(h => h.SessionId == sessionId && h.ContactId == c.Id)));
    }

    /// <summary>Those, less the leads and contacts another open session active in the last <see cref="HoldFor"/> has on screen.</summary>
    private DialPool Servable(DialerSession session, DialerQueueFilter filter, DateTimeOffset now)
    {
        var sessionId = session.Id;
        var heldSince = now - HoldFor;
        var others = db.DialerSessions.Where(s => s.Id != sessionId && s.EndedAt == null && s.LastActiveAt > heldSince);
        var pool = Matching(session, filter);
        return new DialPool(
            pool.Leads.Where(l => !others.Any(s => s.CurrentLeadId == l.Id)),
            pool.Contacts.Where(c => !others.Any(s => s.CurrentContactId == c.Id)));
    }

    /// <summary>
    /// Marks the lead or contact handled and counts it, in one transaction; one already handled in the session (the
    /// other tab got there first) changes nothing. Returns whether this call recorded it.
    /// </summary>
    private async Task<bool> RecordAsync(DialerSession session, DialTarget target, string kind, bool connected, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var tenantId = ctx.RequiredTenantId;
        var id = target.Id;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var inserted = target.IsContact
            ? await db.Database.ExecuteSqlInterpolatedAsync($"""
                insert into dialer_session_contacts (tenant_id, session_id, contact_id, handled_at, kind)
                values ({tenantId}, {session.Id}, {id}, {now}, {kind}) on conflict do nothing
                """, ct)
            : await db.Database.ExecuteSqlInterpolatedAsync($"""
                insert into dialer_session_leads (tenant_id, session_id, lead_id, handled_at, kind)
                values ({tenantId}, {session.Id}, {id}, {now}, {kind}) on conflict do nothing
                """, ct);
        if (inserted == 0) return false;
        var skipped = kind == DialerSessionLeadKinds.Skip ? 1 : 0;
        var outcomes = 1 - skipped;
        var answered = connected ? 1 : 0;
        await db.DialerSessions.Where(s => s.Id == session.Id).ExecuteUpdateAsync(u =>
        {
            u.SetProperty(s => s.Skipped, s => s.Skipped + skipped)
                .SetProperty(s => s.Outcomes, s => s.Outcomes + outcomes)
                .SetProperty(s => s.Connected, s => s.Connected + answered)
                .SetProperty(s => s.LastActiveAt, now)
                .SetProperty(s => s.Version, s => s.Version + 1);
            // The session moves past the target only if it still shows it.
            if (target.IsContact)
                u.SetProperty(s => s.CurrentContactId, s => s.CurrentContactId == id ? null : s.CurrentContactId)
                    .SetProperty(s => s.CurrentSince, s => s.CurrentContactId == id ? null : s.CurrentSince);
            else
                u.SetProperty(s => s.CurrentLeadId, s => s.CurrentLeadId == id ? null : s.CurrentLeadId)
                    .SetProperty(s => s.CurrentSince, s => s.CurrentLeadId == id ? null : s.CurrentSince);
        }, ct);
        await tx.CommitAsync(ct);
        if (session.Current == target) (session.CurrentLeadId, session.CurrentContactId, session.CurrentSince) = (null, null, null);
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
        session.CurrentContactId = null;
        session.CurrentSince = null;
        session.Version++;
    }
}
