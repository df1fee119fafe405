using Switchboard.Features.Calls;

namespace Switchboard.Ui.Calls;

/// <summary>
/// What an outcome form posts (the dialer, the lead and contact pages and the outcome page all post these names):
/// the call, the disposition's code, notes, and a callback typed on the lead's wall clock (datetime-local).
/// </summary>
public sealed class CallOutcomeForm
{
    public Guid CallId { get; set; }
    public string? Disposition { get; set; }
    public string? Notes { get; set; }
    public string? CallbackAt { get; set; }

    /// <summary>Where a page without script goes after saving (a local URL), and which panel an htmx post refreshes.</summary>
    public string? ReturnUrl { get; set; }
}

/// <summary>
/// The outcome step of one call, as _CallOutcome.cshtml shows it wherever the agent is. <see cref="Action"/> is where
/// the form posts; with <see cref="HxTarget"/> htmx posts it and swaps the answer into that element.
/// </summary>
public sealed record CallOutcomeView(CallDto Call, IReadOnlyList<DispositionDto> Dispositions, string ZoneId, string Action)
{
    public CallOutcomeForm Values { get; init; } = new();
    public string? HxTarget { get; init; }
    public string? HxSwap { get; init; }
    /// <summary>The dialer shows the keys of its own shortcuts (Enter saves); every outcome form shows the dispositions' hotkeys.</summary>
    public bool Shortcuts { get; init; }
    public IDictionary<string, string[]> Errors { get; init; } = new Dictionary<string, string[]>();
    public string? FormError { get; init; }

    public string? ErrorFor(string field) => Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;
}

/// <summary>The save button of an outcome form, enabled once the call has ended (the dialer swaps it out of band as the call moves).</summary>
public sealed record SaveOutcomeModel(CallDto Call, bool Oob, bool Shortcuts = true);

/// <summary>
/// The outcome card of a record page (lead, contact): the form for the agent's call of this record that still has no
/// outcome, or nothing. Re-fetched from <see cref="RefreshUrl"/> when one of the record's calls changes.
/// </summary>
public sealed record CallOutcomePanel(string RefreshUrl, CallOutcomeView? Form, string? Saved = null);
