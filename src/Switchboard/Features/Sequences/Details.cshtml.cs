using Switchboard.Features.Views;

namespace Switchboard.Features.Sequences;

/// <summary>
/// A sequence's page (/sequences/{id}): its steps, and its enrolments with status, current step, next due on the
/// recipient's clock and stop reason; members stop, pause and resume enrolments of the records they can see, and
/// enrol everyone in one of their saved lead or contact views.
/// </summary>
public sealed class SequenceDetailsModel(SequenceService sequences, EnrolmentService enrolments, ViewService views, TenantContext ctx) : AppPageModel
{
    [FromRoute] public Guid Id { get; set; }
    public SequenceDto Sequence { get; private set; } = null!;
    public IReadOnlyList<EnrolmentDto> Enrolments { get; private set; } = [];
    public bool CanManage => SequenceService.CanManage(ctx);
    public string? Notice { get; private set; }
    public IReadOnlyList<ViewDto> Views { get; private set; } = [];

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => PageAsync(ct);

    public Task<IActionResult> OnPostStopAsync(Guid enrolmentId, CancellationToken ct) => ActAsync(enrolments.StopAsync(enrolmentId, ct), "Stopped.", ct);

    public Task<IActionResult> OnPostPauseAsync(Guid enrolmentId, CancellationToken ct) => ActAsync(enrolments.PauseAsync(enrolmentId, ct), "Paused.", ct);

    public Task<IActionResult> OnPostResumeAsync(Guid enrolmentId, CancellationToken ct) => ActAsync(enrolments.ResumeAsync(enrolmentId, ct), "Resumed.", ct);

    public async Task<IActionResult> OnPostEnrolViewAsync(Guid? viewId, CancellationToken ct)
    {
        if (!SequenceService.CanEnrol(ctx)) return Forbid();
        if (viewId is null) Notice = "Choose a saved view to enrol.";
        else
        {
            var outcome = await enrolments.EnrolAsync(Id, new EnrolRequest(null, null, null, viewId), ct);
            if (outcome is Outcome<EnrolResult>.NotFound) return NotFound();
            Notice = outcome is Outcome<EnrolResult>.Ok ok ? Enrolled(ok.Value) : outcome.Problem;
        }
        return await PageAsync(ct);
    }

    /// <summary>"Enrolled 12. Skipped 3: no email address (2), already in this sequence (1)."</summary>
    private static string Enrolled(EnrolResult result) =>
        result.Skipped.Count == 0
            ? $"Enrolled {result.Enrolled}."
            : $"Enrolled {result.Enrolled}. Skipped {result.Skipped.Count}: " +
              string.Join(", ", result.Skipped.GroupBy(s => s.Reason).Select(g => $"{char.ToLowerInvariant(g.Key[0])}{g.Key[1..].TrimEnd('.')} ({g.Count()})")) + ".";

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
        Views = [.. await ViewsOfAsync("lead", ct), .. await ViewsOfAsync("contact", ct)];
        return Page();
    }

    private async Task<IReadOnlyList<ViewDto>> ViewsOfAsync(string entity, CancellationToken ct) =>
        await views.ListAsync(entity, ct) is Outcome<ViewList>.Ok list ? list.Value.Items : [];
}
