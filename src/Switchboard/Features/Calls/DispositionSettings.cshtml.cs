using System.Text.RegularExpressions;
using Switchboard.Features.Leads;

namespace Switchboard.Features.Calls;

public sealed class DispositionForm
{
    public string? Label { get; set; }
    public string? Code { get; set; }
    public string? Hotkey { get; set; }
    public string? LeadStatus { get; set; }
    public bool AddsToDnc { get; set; }
    public bool IsConnect { get; set; }
    public bool RequiresCallback { get; set; }
}

/// <summary>
/// Settings → Dispositions (admins): the outcomes agents pick after a call, in the order every outcome form shows them,
/// with their hotkeys. Added, edited, reordered, retired and reactivated here; never deleted (calls keep theirs).
/// </summary>
public sealed partial class DispositionSettingsModel(Dispositions dispositions, TenantContext ctx) : AppPageModel
{
    private const string Path = "/settings/dispositions";

    [BindProperty] public DispositionForm Form { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? Edit { get; set; }

    public IReadOnlyList<DispositionDto> List { get; private set; } = [];
    public DispositionDto? Editing { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        await LoadAsync(ct);
        if (Editing is { } d)
            Form = new DispositionForm
            {
                Label = d.Label, Code = d.Code, Hotkey = d.Hotkey?.ToUpperInvariant(), LeadStatus = d.LeadStatus,
                AddsToDnc = d.AddsToDnc, IsConnect = d.IsConnect, RequiresCallback = d.RequiresCallback,
            };
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        await LoadAsync(ct);
        var code = Editing?.Code ?? (string.IsNullOrWhiteSpace(Form.Code) ? CodeFrom(Form.Label) : Form.Code.Trim());
        if (Editing is null && List.Any(d => d.Code == code))
        {
            AddError(string.IsNullOrWhiteSpace(Form.Code) ? "label" : "code", $"There is already a disposition with the code '{code}'; edit it or choose another code.");
            return Page();
        }
        var body = new DispositionWrite
        {
            Label = Optional.Text(Form.Label),
            Hotkey = Optional.Text(Form.Hotkey),
            LeadStatus = Optional.Text(Form.LeadStatus),
            AddsToDnc = Optional.Of<bool?>(Form.AddsToDnc),
            IsConnect = Optional.Of<bool?>(Form.IsConnect),
            RequiresCallback = Optional.Of<bool?>(Form.RequiresCallback),
        };
        var result = await dispositions.PutAsync(code, body, ct);
        if (result is Outcome<DispositionDto>.Ok ok)
        {
            Flash(Editing is null ? $"“{ok.Value.Label}” was added." : $"“{ok.Value.Label}” was saved.");
            return LocalRedirect(Path);
        }
        if (result is Outcome<DispositionDto>.Forbidden) return Forbid();
        if (result is Outcome<DispositionDto>.Invalid invalid && invalid.Errors.TryGetValue("code", out _) && string.IsNullOrWhiteSpace(Form.Code) && Editing is null)
        {
            // The code was made from the label: say so where the admin typed.
            var errors = new Dictionary<string, string[]>(invalid.Errors);
            if (!errors.ContainsKey("label")) errors["label"] = ["Label needs at least one letter or digit (the code is made from it)."];
            errors.Remove("code");
            ShowErrors(errors);
            return Page();
        }
        ShowProblem(result);
        return Page();
    }

    public async Task<IActionResult> OnPostMoveAsync(string code, string direction, CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        var outcome = await dispositions.MoveAsync(code, direction == "up" ? -1 : 1, ct);
        return FlashAndRedirect(outcome, _ => "The order was saved; outcome forms show it now.", $"{Path}#row-{code}");
    }

    public Task<IActionResult> OnPostRetireAsync(string code, CancellationToken ct) => SetActiveAsync(code, false, ct);

    public Task<IActionResult> OnPostReactivateAsync(string code, CancellationToken ct) => SetActiveAsync(code, true, ct);

    private async Task<IActionResult> SetActiveAsync(string code, bool active, CancellationToken ct)
    {
        if (!CanManage()) return Forbid();
        await LoadAsync(ct);
        if (List.All(d => d.Code != code)) return NotFound();
        var outcome = await dispositions.PutAsync(code, new DispositionWrite { IsActive = Optional.Of<bool?>(active) }, ct);
        return FlashAndRedirect(outcome,
            d => active ? $"“{d.Label}” is active again." : $"“{d.Label}” was retired: agents no longer see it; calls keep it.",
            Path,
            problem => problem is Outcome<DispositionDto>.Invalid invalid
                ? $"“{List.First(d => d.Code == code).Label}” was not reactivated: {string.Join(" ", invalid.Errors.Values.SelectMany(m => m))} Give one of them another hotkey first."
                : null);
    }

    /// <summary>The lead statuses a disposition can move a lead to, as the form offers them.</summary>
    public static IReadOnlyCollection<string> LeadStatusChoices => LeadStatuses.All;

    private bool CanManage() => ctx.TenantId is not null && Dispositions.CanManage(ctx);

    private async Task LoadAsync(CancellationToken ct)
    {
        List = (await dispositions.ListAsync(ct)).Where(d => d.Code != Dispositions.NoOutcome).ToList();
        Editing = Edit is null ? null : List.FirstOrDefault(d => d.Code == Edit);
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotCodeCharacters();

    /// <summary>A code made from the label: "Sent brochure" → "sent-brochure".</summary>
    public static string CodeFrom(string? label)
    {
        var plain = new StringBuilder();
        foreach (var ch in (label ?? "").Normalize(NormalizationForm.FormD))
            if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark) plain.Append(ch);
        var code = NotCodeCharacters().Replace(plain.ToString().ToLowerInvariant(), "-").Trim('-');
        return code.Length > 40 ? code[..40].TrimEnd('-') : code;
    }
}
