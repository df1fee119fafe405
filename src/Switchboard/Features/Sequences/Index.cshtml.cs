namespace Switchboard.Features.Sequences;

/// <summary>Sequences (/sequences): the tenant's sequences; managers and admins create and edit them.</summary>
public sealed class SequencesModel(SequenceService sequences, TenantContext ctx) : AppPageModel
{
    public IReadOnlyList<SequenceDto> Sequences { get; private set; } = [];
    public bool CanManage => SequenceService.CanManage(ctx);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!SequenceService.CanEnrol(ctx)) return Forbid();
        Sequences = (await sequences.ListAsync(ct)).Items;
        return Page();
    }
}
