using System.Globalization;
using Switchboard.Features.Opportunities;

namespace Switchboard.Features.Opportunities;

/// <summary>
/// One product-line form of the opportunity page (add a line, change a quantity, remove a line), posted as text.
/// <see cref="Version"/> is the opportunity's version the page showed, so a change made from a stale page is refused.
/// </summary>
public sealed class ProductLineForm
{
    public Guid? LineId { get; set; }
    public Guid? ProductId { get; set; }
    public string? Quantity { get; set; }
    public string? UnitPrice { get; set; }
    public int? Version { get; set; }
}

/// <summary>
/// Turns a change of one line into the whole list PUT /api/v1/opportunities/{id}/products takes
/// (<see cref="OpportunityLines.ReplaceAsync"/>). Existing lines keep their unit price, so a product's later price
/// change never touches them (ADR 0008).
/// </summary>
public static class ProductLineChanges
{
    public static JsonElement Add(LinesDto current, ProductLineForm form)
    {
        var items = Existing(current);
        var added = new Dictionary<string, object?> { ["productId"] = form.ProductId, ["quantity"] = Number(form.Quantity) };
        if (!string.IsNullOrWhiteSpace(form.UnitPrice)) added["unitPrice"] = Number(form.UnitPrice);
        items.Add(added);
        return JsonSerializer.SerializeToElement(new { items });
    }

    public static JsonElement ChangeQuantity(LinesDto current, Guid lineId, string? quantity)
    {
        var items = current.Items.Select(l => Item(l, l.Id == lineId ? Number(quantity) : l.Quantity)).ToList();
        return JsonSerializer.SerializeToElement(new { items });
    }

    public static JsonElement Remove(LinesDto current, Guid lineId) =>
        JsonSerializer.SerializeToElement(new { items = current.Items.Where(l => l.Id != lineId).Select(l => Item(l, l.Quantity)).ToList() });

    private static List<Dictionary<string, object?>> Existing(LinesDto current) => current.Items.Select(l => Item(l, l.Quantity)).ToList();

    private static Dictionary<string, object?> Item(LineDto line, object? quantity) =>
        new() { ["productId"] = line.ProductId, ["quantity"] = quantity, ["unitPrice"] = line.UnitPrice };

    /// <summary>
    /// A number when the text is one (a "." decimal point, no grouping: "1,5" is not read as 15); otherwise the
    /// text itself, so the service names the field in its error.
    /// </summary>
    private static object? Number(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null
        : decimal.TryParse(text, NumberStyles.Float & ~NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value) ? value : text;
}
