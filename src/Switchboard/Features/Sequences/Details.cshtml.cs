namespace Switchboard.Features.Sequences;

/// <summary>
/// A sequence's page (/sequences/{id}): its steps, and its enrolments with status, current step, next due on the
/// recipient's clock and stop reason; members stop, pause and resume enrolments of the records they can see.
/// </summary>
public sealed class SequenceDetailsModel(SequenceService sequences, EnrolmentService enrolments, TenantContext ctx) : AppPageModel
{
    [FromRoute] public Guid Id { get; set; }
    public SequenceDto Sequence { get; private set; } = null!;
    public IReadOnlyList<EnrolmentDto> Enrolments { get; private set; } = [];
    public bool CanManage => SequenceService.CanManage(ctx);
    public string? Notice { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => PageAsync(ct);

    public Task<IActionResult> OnPostStopAsync(Guid enrolmentId, CancellationToken ct) => ActAsync(enrolments.StopAsync(enrolmentId, ct), "Stopped.", ct);

    public Task<IActionResult> OnPostPauseAsync(Guid enrolmentId, CancellationToken ct) => ActAsync(enrolments.PauseAsync(enrolmentId, ct), "Paused.", ct);

    public Task<IActionResult> OnPostResumeAsync(Guid enrolmentId, CancellationToken ct) => ActAsync(enrolments.ResumeAsync(enrolmentId, ct), "Resumed.", ct);

    private async Task<IActionResult> ActAsync(Task<Outcome<EnrolmentDto>> action, string done, CancellationToken ct)
    {
        if (!SequenceService.CanEnrol(ctx)) return Forbid();
        var outcome = await action;
        if (outcome is Outcome<EnrolmentDto>.NotFound) return NotFound();
        Notice = outcome is Outcome<EnrolmentDto>.Ok ? done : outcome.Problem;
        return await PageAsync(ct);
    }

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        if (!SequenceService.CanEnrol(ctx)) return Forbid();
        if (await sequences.GetAsync(Id, ct) is not Outcome<SequenceDto>.Ok found) return NotFound();
        Sequence = found.Value;
        if (await enrolments.ListAsync(Id, null, ct) is Outcome<EnrolmentList>.Ok list) Enrolments = list.Value.Items;
        return Page();
    }
}
