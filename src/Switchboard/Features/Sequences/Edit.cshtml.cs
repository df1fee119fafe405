using Switchboard.Features.Leads;
using Switchboard.Features.Mailboxes;

namespace Switchboard.Features.Sequences;

/// <summary>
/// The sequence editor (/sequences/edit/{id?}, managers and admins): name, mailbox, window, stop statuses, and the steps
/// in order — added, removed and moved with buttons that post the form back (no script needed); saved through
/// <see cref="SequenceService"/>, as the API saves.
/// </summary>
public sealed class EditSequenceModel(SequenceService sequences, MailboxAccess mailboxes, SwitchboardDbContext db, TenantContext ctx) : AppPageModel
{
    [BindProperty] public SequenceForm Form { get; set; } = new();
    [FromRoute] public Guid? Id { get; set; }

    public IReadOnlyList<(Guid Id, string Name)> Mailboxes { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Templates { get; private set; } = [];
    public static IReadOnlyList<string> Days => ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    public static IReadOnlyList<string> Statuses => LeadStatuses.All;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!SequenceService.CanManage(ctx)) return Forbid();
        if (Id is { } id)
        {
            if (await sequences.GetAsync(id, ct) is not Outcome<SequenceDto>.Ok found) return NotFound();
            Form = SequenceForm.Of(found.Value);
        }
        else Form.Steps = [new StepForm { Type = StepTypes.Email }, new StepForm { Type = StepTypes.Wait, Days = 2 }, new StepForm { Type = StepTypes.Call }];
        return await PageAsync(ct);
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        if (!SequenceService.CanManage(ctx)) return Forbid();
        var outcome = Id is { } id ? await sequences.UpdateAsync(id, Form.ToWrite(), ct) : await sequences.CreateAsync(Form.ToWrite(), ct);
        switch (outcome)
        {
            case Outcome<SequenceDto>.Ok ok:
                return Redirect($"/sequences/{ok.Value.Id}");
            case Outcome<SequenceDto>.Invalid invalid:
                ShowErrors(invalid.Errors);
                FormError = "The sequence was not saved: " + invalid.Summary;
                return await PageAsync(ct);
            case Outcome<SequenceDto>.NotFound:
                return NotFound();
            default:
                return Forbid();
        }
    }

    public Task<IActionResult> OnPostAddAsync(string type, CancellationToken ct) => ChangeAsync(() =>
        Form.Steps.Add(new StepForm { Type = StepTypes.All.Contains(type) ? type : StepTypes.Email, Days = type == StepTypes.Wait ? 1 : null }), ct);

    public Task<IActionResult> OnPostRemoveAsync(int index, CancellationToken ct) => ChangeAsync(() =>
    {
        if (index >= 0 && index < Form.Steps.Count) Form.Steps.RemoveAt(index);
    }, ct);

    public Task<IActionResult> OnPostMoveAsync(int index, int by, CancellationToken ct) => ChangeAsync(() =>
    {
        var to = index + by;
        if (index < 0 || index >= Form.Steps.Count || to < 0 || to >= Form.Steps.Count) return;
        (Form.Steps[index], Form.Steps[to]) = (Form.Steps[to], Form.Steps[index]);
    }, ct);

    private async Task<IActionResult> ChangeAsync(Action change, CancellationToken ct)
    {
        if (!SequenceService.CanManage(ctx)) return Forbid();
        change();
        ModelState.Clear();
        return await PageAsync(ct);
    }

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        Mailboxes = (await mailboxes.Usable().AsNoTracking().Where(m => m.IsActive).OrderBy(m => m.Name).Select(m => new { m.Id, m.Name, m.Address }).ToListAsync(ct))
            .Select(m => (m.Id, $"{m.Name} <{m.Address}>")).ToList();
        Templates = (await db.Set<MailTemplate>().AsNoTracking().OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(ct))
            .Select(t => (t.Id, t.Name)).ToList();
        return Page();
    }
}
