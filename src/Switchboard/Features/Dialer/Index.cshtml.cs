using Switchboard.Features.Calls;
using Switchboard.Features.Leads;
using Switchboard.Ui.Calls;

namespace Switchboard.Features.Dialer;

public sealed class NewQueueForm
{
    public string? Name { get; set; }
    public List<string> Statuses { get; set; } = [];
    public string Called { get; set; } = "any";
    public DateOnly? LastCalledBefore { get; set; }
    public Guid? OwnerId { get; set; }
}

public sealed class RenameQueueForm
{
    public Guid Id { get; set; }
    public string? Name { get; set; }
}

public sealed record DialBlock(string? Reason, string Message);

/// <summary>
/// The power dialer: pick a saved queue, then work through it one lead or contact at a time (ADR 0035). The session
/// (queue, handled leads and contacts, current one, stats) is a database row (ADR 0017); the URL carries only its id.
/// A call without an outcome always comes back first.
/// </summary>
public sealed class IndexModel(
    DialerQueues queues, DialerSessions sessions, CallService calls, TenantContext ctx, SwitchboardDbContext db) : AppPageModel
{
    [BindProperty(SupportsGet = true, Name = "queue")] public Guid? QueueId { get; set; }
    [BindProperty(SupportsGet = true, Name = "session")] public Guid? SessionId { get; set; }
    [BindProperty] public NewQueueForm Form { get; set; } = new();
    [BindProperty] public CallOutcomeForm Outcome { get; set; } = new();
    [BindProperty] public RenameQueueForm Rename { get; set; } = new();

    public IReadOnlyList<DialerQueueDto> Queues { get; private set; } = [];
    public IReadOnlySet<Guid> OpenQueues { get; private set; } = new HashSet<Guid>();
    public IReadOnlyList<OwnerOption> Owners { get; private set; } = [];
    public bool CanChooseOwner => !RecordPermissions.SeesOnlyOwn(ctx);
    public DialerQueueDto? Queue { get; private set; }
    public DialerSessionDto? Session { get; private set; }
    public DialerWorkspace? Workspace { get; private set; }
    public TenantSettings? Tenant => ctx.Tenant;
    public string? Saved { get; private set; }
    public string? Notice { get; private set; }

    /// <summary>The session's address, and the page handlers' (each posts to the session it was rendered for).</summary>
    public string SessionUrl => $"/dialer?session={Session?.Id}";

    public string HandlerUrl(string handler) => $"/dialer?handler={handler}&session={Session?.Id}";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!DialerQueues.CanUse(ctx)) return Forbid();
        if (SessionId is not null) return await WorkspaceAsync(ct);
        if (QueueId is null) return await PickerAsync(ct);
        return await sessions.OpenAsync(QueueId.Value, ct) is Outcome<OpenedDialerSession>.Ok opened
            ? LocalRedirect($"/dialer?session={opened.Value.Session.Id}")
            : NotFound();
    }
    public async Task<IActionResult> OnPostCreateQueueAsync(CancellationToken ct)
    {
        if (!DialerQueues.CanUse(ctx)) return Forbid();
        var request = new DialerQueueRequest(Form.Name, Form.Statuses, Form.Called == "never",
            Form.Called == "before" ? Form.LastCalledBefore : null, Form.OwnerId);
        if (Form.Called == "before" && Form.LastCalledBefore is null) AddError("lastCalledBefore", "Pick the date.");
        else
        {
            switch (await queues.CreateAsync(request, ct))
            {
                case Outcome<DialerQueueDto>.Ok ok:
                    return LocalRedirect($"/dialer?queue={ok.Value.Id}");
                case Outcome<DialerQueueDto>.Invalid invalid:
                    ShowErrors(invalid.Errors);
                    break;
                case Outcome<DialerQueueDto>.Forbidden:
                    return Forbid();
            }
        }
        return await PickerAsync(ct);
    }

    public async Task<IActionResult> OnPostRenameQueueAsync(CancellationToken ct)
    {
        if (!DialerQueues.CanUse(ctx)) return Forbid();
        switch (await queues.UpdateAsync(Rename.Id, new DialerQueueWrite { Name = Optional.Text(Rename.Name) }, ct))
        {
            case Outcome<DialerQueueDto>.Ok ok:
                Flash($"Queue renamed to {ok.Value.Name}.");
                return LocalRedirect("/dialer");
            case Outcome<DialerQueueDto>.Invalid invalid:
                // Prefixed, so the rename's errors show on its own form and not on the new-queue form.
                ShowErrors(invalid.Errors.ToDictionary(e => "rename." + e.Key, e => e.Value));
                return await PickerAsync(ct);
            case Outcome<DialerQueueDto>.Forbidden:
                return Forbid();
            default:
                return NotFound();
        }
    }

    public async Task<IActionResult> OnPostDeleteQueueAsync(Guid queueId, CancellationToken ct)
    {
        if (!DialerQueues.CanUse(ctx)) return Forbid();
        return AfterDelete(await queues.DeleteAsync(queueId, ct), "Queue deleted.", "/dialer");
    }

    /// <summary>Dial (the button, D, "Dial now") or, with auto, the countdown's dial: placed once whatever the tabs and clicks (ADR 0032).</summary>
    public async Task<IActionResult> OnPostDialAsync(Guid? leadId, Guid? contactId, bool auto, [FromServices] PowerDialer dialer, CancellationToken ct)
    {
        if (!DialerQueues.CanUse(ctx)) return Forbid();
        if (await sessions.FindOwnAsync(SessionId ?? Guid.Empty, ct) is not { } session) return NotFound();
        if (DialTarget.Of(leadId, contactId) is not { } target) return BadRequest();
        DialBlock? block = null;
        var pending = await queues.PendingCallAsync(ct) is not null;
        switch (pending ? null : await dialer.DialAsync(session, target, auto, ct))
        {
            case SessionDial.Blocked blocked:
                block = blocked.Block;
                break;
            // The other tab's (or the first click's) call shows; a stale tab is told why it shows another one.
            case SessionDial.NotPlaced when !auto && session.Current != target:
                Notice = DealtWithElsewhere(target);
                break;
        }
        return await WorkspaceAsync(ct, block, target);
    }

    private static string DealtWithElsewhere(DialTarget target) =>
        $"That {target.Noun} was already dealt with in another tab of this session. This is the session's current one.";

    /// <summary>P: pause auto-dial for the session (a running countdown stops) or resume it (the lead on screen counts down).</summary>
    public async Task<IActionResult> OnPostAutoDialAsync(bool paused, [FromServices] PowerDialer dialer, CancellationToken ct)
    {
        if (!DialerQueues.CanUse(ctx)) return Forbid();
        var result = await dialer.UpdateAsync(SessionId ?? Guid.Empty, new DialerSessionWrite { AutoDialPaused = Optional.Of<bool?>(paused) }, ct);
        if (result is Outcome<DialerSessionDto>.NotFound) return NotFound();
        return await WorkspaceAsync(ct, arm: !paused);
    }

    /// <summary>Escape: cancel the running countdown; the lead stays for a dial by hand and the next outcome counts down again.</summary>
    public async Task<IActionResult> OnPostCancelCountdownAsync([FromServices] PowerDialer dialer, CancellationToken ct)
    {
        if (!DialerQueues.CanUse(ctx)) return Forbid();
        if (await sessions.FindOwnAsync(SessionId ?? Guid.Empty, ct) is not { } session) return NotFound();
        await dialer.CancelAsync(session, ct);
        return await WorkspaceAsync(ct);
    }

    /// <summary>The session's own countdown (blank = the tenant's).</summary>
    public async Task<IActionResult> OnPostCountdownAsync(string? seconds, [FromServices] PowerDialer dialer, CancellationToken ct)
    {
        if (!DialerQueues.CanUse(ctx)) return Forbid();
        var text = seconds?.Trim();
        Optional<int?> value = string.IsNullOrEmpty(text) ? Optional.Of<int?>(null)
            : int.TryParse(text, out var number) ? Optional.Of<int?>(number) : JsonSerializer.Deserialize<Optional<int?>>(JsonSerializer.Serialize(text));
        switch (await dialer.UpdateAsync(SessionId ?? Guid.Empty, new DialerSessionWrite { AutoDialSeconds = value }, ct))
        {
            case Outcome<DialerSessionDto>.NotFound:
                return NotFound();
            case Outcome<DialerSessionDto>.Invalid invalid:
                ShowErrors(invalid.Errors);
                CountdownInput = text;
                break;
            case Outcome<DialerSessionDto>.Ok:
                Saved = "Countdown saved for this session.";
                break;
        }
        return await WorkspaceAsync(ct);
    }

    /// <summary>The session's stats card, refreshed when one of the agent's calls ends or gets its outcome.</summary>
    public async Task<IActionResult> OnGetStatsAsync([FromServices] DialerSessionReports reports, CancellationToken ct)
    {
        if (!DialerQueues.CanUse(ctx)) return Forbid();
        var report = await reports.ForAsync(SessionId ?? Guid.Empty, ct);
        return report is null ? NotFound() : Partial("_SessionStats", new SessionStatsModel(report, SessionId!.Value));
    }

    /// <summary>What the agent typed in the countdown field when it was not accepted.</summary>
    public string? CountdownInput { get; private set; }


    public async Task<IActionResult> OnPostSkipAsync(Guid? leadId, Guid? contactId, CancellationToken ct)
    {
        if (!DialerQueues.CanUse(ctx)) return Forbid();
        if (await sessions.FindOwnAsync(SessionId ?? Guid.Empty, ct) is not { } session) return NotFound();
        if (DialTarget.Of(leadId, contactId) is not { } target) return BadRequest();
        var skipped = await sessions.SkipAsync(session, target, ct);
        if (!IsFragmentRequest("workspace")) return LocalRedirect($"/dialer?session={session.Id}");
        if (!skipped) Notice = DealtWithElsewhere(target);
        return await WorkspaceAsync(ct, arm: skipped);
    }

    public async Task<IActionResult> OnPostEndAsync(CancellationToken ct)
    {
        if (!DialerQueues.CanUse(ctx)) return Forbid();
        if (await sessions.EndAsync(SessionId ?? Guid.Empty, ct) is not Outcome<DialerSessionDto>.Ok ended) return NotFound();
        var stats = ended.Value.Stats;
        Flash($"Session ended: {stats.Calls} call(s), {stats.Connected} connected, {stats.Skipped} skipped.");
        return LocalRedirect("/dialer");
    }

    public async Task<IActionResult> OnPostPresenceAsync(string? state, [FromServices] PresenceService presence, CancellationToken ct)
    {
        var result = await presence.SetOwnAsync(PresenceRequest.To(state), ct);
        if (result is Outcome<PresenceDto>.Forbidden) return Forbid();
        return Partial("_Presence", new PresenceView(result is Outcome<PresenceDto>.Ok ok ? ok.Value.State : state ?? PresenceStates.Away));
    }

    public async Task<IActionResult> OnPostDispositionAsync([FromServices] OutcomeStep outcomes, [FromServices] Dispositions dispositions, CancellationToken ct)
    {
        if (!DialerQueues.CanUse(ctx)) return Forbid();
        if (await sessions.FindOwnAsync(SessionId ?? Guid.Empty, ct) is not { } session) return NotFound();
        var result = await outcomes.SaveAsync(Outcome, ct);
        if (result is Outcome<CallDto>.Ok ok)
        {
            var connected = await dispositions.FindActiveAsync(ok.Value.Disposition!, ct) is { IsConnect: true };
            if (DialTarget.Of(ok.Value.LeadId, ok.Value.ContactId) is { } done) await sessions.RecordOutcomeAsync(session, done, connected, ct);
            Saved = "Outcome saved. On to the next one.";
            Outcome = new CallOutcomeForm();
            return await WorkspaceAsync(ct, arm: true);
        }
        if (!ShowProblem(result)) return NotFound();
        return await WorkspaceAsync(ct);
    }

    public async Task<IActionResult> OnPostHangUpAsync(Guid callId, [FromServices] PresenceService presence, CancellationToken ct)
    {
        if (!DialerQueues.CanUse(ctx)) return Forbid();
        var result = await calls.HangUpAsync(callId, ct);
        if (result is Outcome<StartedCall>.NotFound) return NotFound();
        return await OnGetStatusAsync(callId, presence, ct);
    }

    public async Task<IActionResult> OnGetStatusAsync(Guid callId, [FromServices] PresenceService presence, CancellationToken ct)
    {
        if (!DialerQueues.CanUse(ctx)) return Forbid();
        var call = await calls.FindAsync(callId, ct);
        if (call is null) return NotFound();
        var own = (await presence.ListAsync(ct)).FirstOrDefault(p => p.UserId == ctx.UserId);
        // The workspace's stats count the call once it has ended.
        if (CallStatuses.IsTerminal(call.Status)) Response.Headers["HX-Trigger"] = "dialer-stats";
        return Partial("_CallPanel", new CallPanelModel(call, null, Polled: true, own?.State ?? PresenceStates.Away));
    }

    private async Task<IActionResult> PickerAsync(CancellationToken ct)
    {
        Queues = await queues.ListOwnAsync(ct);
        OpenQueues = (await sessions.ListOpenAsync(ct)).Select(s => s.QueueId).ToHashSet();
        if (CanChooseOwner) Owners = await LeadOwners.ListAsync(db, ct);
        return Page();
    }

    private async Task<IActionResult> WorkspaceAsync(CancellationToken ct, DialBlock? block = null, DialTarget? blocked = null, bool arm = false)
    {
        var session = await sessions.FindOwnAsync(SessionId ?? Guid.Empty, ct);
        Queue = session is null ? null : await queues.FindOwnAsync(session.QueueId, ct);
        if (session is null || Queue is null) return NotFound();
        // A page-local helper rather than an app-wide service: it only exists to fill this page.
        var data = ActivatorUtilities.CreateInstance<DialerWorkspaceData>(HttpContext.RequestServices);
        Workspace = await data.LoadAsync(Queue, session, block, blocked, ct, arm);
        Session = DialerSessionDto.Of(session);
        // The guard blocked the target on screen (its hours closed, or it was listed, since it was served): the queue
        // has passed over it, so the block is told as a notice above the one now served, not as that one's error.
        if (block is not null && Workspace.Shown?.Target != blocked)
            Notice = $"The call was not placed{(block.Reason is null ? "" : $" ({block.Reason})")}: {block.Message} The queue moved on.";
        return IsFragmentRequest("workspace") ? Partial("_Workspace", this) : Page();
    }
}
