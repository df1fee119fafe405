namespace Switchboard.Ui.Forms;

/// <summary>
/// A type-ahead picker of one record (lead, contact, account or opportunity) for a form: the caller types part of a
/// name, chooses from what the search finds (only records they may see), and the form posts the record's id under
/// <see cref="Name"/>, as a select of the same name would ("" for none). Rendered by _RecordPicker, driven by js/picker.js.
/// </summary>
/// <param name="Id">The text input's id (the label's for).</param>
/// <param name="Name">The posted field, e.g. Form.LeadId.</param>
/// <param name="Kind">lead, contact, account or opportunity.</param>
/// <param name="Value">The record chosen now, if any.</param>
/// <param name="ValueLabel">Its name; null when it cannot be shown (it stays linked unless the text is cleared).</param>
public sealed record RecordPicker(string Id, string Name, string Label, string Kind, Guid? Value, string? ValueLabel)
{
    /// <summary>Served by Features/Search/Pick: the options for ?kind=&amp;q=.</summary>
    public const string SourcePath = "/search/pick";

    public string? Error { get; init; }
    public string? Hint { get; init; }
    public string Placeholder { get; init; } = "Type a name to search…";

    public string Source => $"{SourcePath}?kind={Uri.EscapeDataString(Kind)}";

    public string Text => Value is null ? "" : ValueLabel ?? "A record you cannot see";
}
