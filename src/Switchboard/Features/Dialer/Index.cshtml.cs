using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Switchboard.Features.Calls;
using Switchboard.Features.Leads;
using Switchboard.Ui;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;
using Switchboard.Platform.Web;
using Switchboard.Ui.Forms;
using Switchboard.Records;

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

public sealed class DispositionForm
{
    public Guid CallId { get; set; }
    public string? Disposition { get; set; }
    public string? Notes { get; set; }
    public string? CallbackAt { get; set; }
}

public sealed record DialBlock(string? Reason, string Message);

/// <summary>
/// The power dialer: pick a saved queue, then work through it one lead at a time. The session is the queue
/// and the leads already handled (in the URL); a call without an outcome always comes back first.
/// </summary>
public sealed class IndexModel(
    DialerQueues queues, CallService calls, LeadService leads, TenantContext ctx, SwitchboardDbContext db) : AppPageModel
{
    private const int MaxHandled = 200;

    [BindProperty(SupportsGet = true, Name = "queue")] public Guid? QueueId { get; set; }
    [BindProperty(SupportsGet = true, Name = "handled")] public string? HandledParam { get; set; }
    [BindProperty] public NewQueueForm Form { get; set; } = new();
    [BindProperty] public DispositionForm Outcome { get; set; } = new();
    [BindProperty] public RenameQueueForm Rename { get; set; } = new();

    public IReadOnlyList<DialerQueueDto> Queues { get; private set; } = [];
    public IReadOnlyList<OwnerOption> Owners { get; private set; } = [];
    public bool CanChooseOwner => !RecordPermissions.SeesOnlyOwn(ctx);
    public DialerQueueDto? Queue { get; private set; }
    public DialerWorkspace? Workspace { get; private set; }
    public TenantSettings? Tenant => ctx.Tenant;
    public string? Saved { get; private set; }

    public IReadOnlyList<Guid> Handled => (HandledParam ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
        .Select(v => Guid.TryParse(v, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).Distinct().TakeLast(MaxHandled).ToList();

    public string SessionUrl(IEnumerable<Guid>? extra = null)
    {
        var handled = Handled.Concat(extra ?? []).Distinct().TakeLast(MaxHandled).ToList();
        var url = $"/dialer?queue={Queue?.Id ?? QueueId}";
        return handled.Count == 0 ? url : url + "&handled=" + string.Join(',', handled);
    }

    public string HandledValue => string.Join(',', Handled);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!DialerQueues.CanUse(ctx)) return Forbid();
        if (QueueId is null) return await PickerAsync(ct);
        return await WorkspaceAsync(ct);
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
        var patch = JsonSerializer.SerializeToElement(new { name = Rename.Name });
        switch (await queues.UpdateAsync(Rename.Id, patch, ct))
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
        switch (await queues.DeleteAsync(queueId, ct))
        {
            case Outcome<bool>.Ok:
                Flash("Queue deleted.");
                return LocalRedirect("/dialer");
            case Outcome<bool>.Forbidden:
                return Forbid();
            default:
                return NotFound();
        }
    }

    public async Task<IActionResult> OnPostDialAsync(Guid leadId, CancellationToken ct)
    {
        if (!DialerQueues.CanUse(ctx)) return Forbid();
        DialBlock? block = null;
        if (await queues.PendingCallAsync(ct) is null)
        {
            switch (await calls.StartAsync(new StartCallRequest(leadId), ct))
            {
                case Outcome<StartedCall>.Conflict conflict:
                    block = new DialBlock(conflict.Reason, conflict.Message);
                    break;
                case Outcome<StartedCall>.Invalid invalid:
                    block = new DialBlock(null, string.Join(" ", invalid.Errors.SelectMany(e => e.Value)));
                    break;
                case Outcome<StartedCall>.Forbidden forbidden:
                    block = new DialBlock("forbidden", forbidden.Message);
                    break;
                case Outcome<StartedCall>.NotFound:
                    block = new DialBlock(null, "This lead is no longer in your queue.");
                    break;
            }
        }
        return await WorkspaceAsync(ct, block, leadId);
    }

    public async Task<IActionResult> OnPostPresenceAsync(string? state, [FromServices] PresenceService presence, CancellationToken ct)
    {
        var result = await presence.SetOwnAsync(new PresenceRequest(state), ct);
        if (result is Outcome<PresenceDto>.Forbidden) return Forbid();
        return Partial("_Presence", new PresenceView(result is Outcome<PresenceDto>.Ok ok ? ok.Value.State : state ?? PresenceStates.Away));
    }

    public async Task<IActionResult> OnPostDispositionAsync([FromServices] CallOutcomes outcomes, CancellationToken ct)
    {
        if (!DialerQueues.CanUse(ctx)) return Forbid();
        var call = await calls.FindAsync(Outcome.CallId, ct);
        if (call is null) return NotFound();
        var lead = call.LeadId is { } id ? await leads.FindAsync(id, ct) : null;
        var callbackAt = ParseCallback(Outcome.CallbackAt, lead);
        if (Errors.Count == 0)
        {
            var result = await calls.DispositionAsync(call.Id, new DispositionRequest(Outcome.Disposition, Outcome.Notes, callbackAt), outcomes, ct);
            if (result is Outcome<CallDto>.Ok)
            {
                HandledParam = string.Join(',', Handled.Append(call.LeadId ?? Guid.Empty).Where(g => g != Guid.Empty).TakeLast(MaxHandled));
                Saved = "Outcome saved. Next lead.";
                Outcome = new DispositionForm();
                return await WorkspaceAsync(ct, pushUrl: true);
            }
            if (!ShowProblem(result)) return NotFound();
        }
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
        return Partial("_CallPanel", new CallPanelModel(call, null, null, Polled: true, own?.State ?? PresenceStates.Away));
    }

    private async Task<IActionResult> PickerAsync(CancellationToken ct)
    {
        Queues = await queues.ListOwnAsync(ct);
        if (CanChooseOwner) Owners = await LeadOwners.ListAsync(db, ct);
        return Page();
    }

    private async Task<IActionResult> WorkspaceAsync(CancellationToken ct, DialBlock? block = null, Guid? blockedLead = null, bool pushUrl = false)
    {
        Queue = QueueId is { } id ? await queues.FindOwnAsync(id, ct) : null;
        if (Queue is null) return NotFound();
        // A page-local helper rather than an app-wide service: it only exists to fill this page.
        var data = ActivatorUtilities.CreateInstance<DialerWorkspaceData>(HttpContext.RequestServices);
        Workspace = await data.LoadAsync(Queue, Handled, block, blockedLead, ct);
        if (pushUrl || IsFragmentRequest("workspace")) Response.Headers["HX-Push-Url"] = SessionUrl();
        return IsFragmentRequest("workspace") ? Partial("_Workspace", this) : Page();
    }

    /// <summary>A datetime-local value means the lead's wall clock: convert it from the lead's zone (or the tenant's) to UTC.</summary>
    private DateTimeOffset? ParseCallback(string? value, LeadDto? lead)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (!DateTime.TryParseExact(value, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            AddError("callbackAt", "Enter the callback as a date and time.");
            return null;
        }
        var zone = DialerWorkspaceData.ZoneOf(lead, ctx.Tenant);
        if (zone.IsInvalidTime(local))
        {
            AddError("callbackAt", $"That time does not exist in {zone.Id} (the clocks change); pick another.");
            return null;
        }
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }
}
