using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;

namespace Switchboard.Features.Sequences;

/// <summary>"Enrol in sequence" from a lead or contact page (/sequences/enrol?relatedType=lead&amp;relatedId=…).</summary>
public sealed class EnrolModel(SequenceService sequences, EnrolmentService enrolments, SwitchboardDbContext db, TenantContext ctx) : AppPageModel
{
    [BindProperty(SupportsGet = true)] public string RelatedType { get; set; } = "lead";
    [BindProperty(SupportsGet = true)] public Guid RelatedId { get; set; }
    [BindProperty] public Guid? SequenceId { get; set; }

    public string Name { get; private set; } = "";
    public IReadOnlyList<SequenceDto> Sequences { get; private set; } = [];
    public IReadOnlyList<(string Sequence, EnrolmentDto Enrolment)> Current { get; private set; } = [];
    public string? Notice { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => PageAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!SequenceService.CanEnrol(ctx)) return Forbid();
        if (SequenceId is not { } sequenceId)
        {
            AddError("sequenceId", "Pick a sequence.");
            return await PageAsync(ct);
        }
        var request = RelatedType == "contact" ? new EnrolRequest(null, [RelatedId], null, null) : new EnrolRequest([RelatedId], null, null, null);
        switch (await enrolments.EnrolAsync(sequenceId, request, ct))
        {
            case Outcome<EnrolResult>.Ok { Value.Enrolled: > 0 }:
                return Redirect($"/sequences/{sequenceId}");
            case Outcome<EnrolResult>.Ok ok:
                Notice = "Not enrolled: " + string.Join(" ", ok.Value.Skipped.Select(s => s.Reason));
                break;
            case Outcome<EnrolResult>.NotFound:
                return NotFound();
            case var other:
                Notice = other.Problem;
                break;
        }
        return await PageAsync(ct);
    }

    private async Task<IActionResult> PageAsync(CancellationToken ct)
    {
        if (!SequenceService.CanEnrol(ctx)) return Forbid();
        var name = RelatedType switch
        {
            "lead" => await db.Leads.VisibleTo(ctx).Where(l => l.Id == RelatedId).Select(l => (l.FirstName + " " + l.LastName).Trim()).SingleOrDefaultAsync(ct),
            "contact" => await db.Set<Contact>().VisibleTo(ctx).Where(c => c.Id == RelatedId).Select(c => (c.FirstName + " " + c.LastName).Trim()).SingleOrDefaultAsync(ct),
            _ => null,
        };
        if (name is null) return NotFound();
        Name = name;
        Sequences = (await sequences.ListAsync(ct)).Items.Where(s => s.IsActive).ToList();
        Current = await enrolments.ForPersonAsync(RelatedType, RelatedId, ct);
        return Page();
    }
}
