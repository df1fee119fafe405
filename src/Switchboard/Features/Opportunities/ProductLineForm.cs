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
    public static LinesWrite Add(LinesDto current, ProductLineForm form)
    {
        var added = new LineWrite
        {
            ProductId = Optional.Of(form.ProductId), Quantity = Number(form.Quantity),
            UnitPrice = string.IsNullOrWhiteSpace(form.UnitPrice) ? default : Number(form.UnitPrice),
        };
        return Lines([.. current.Items.Select(l => Item(l, Optional.Of<decimal?>(l.Quantity))), added]);
    }

    public static LinesWrite ChangeQuantity(LinesDto current, Guid lineId, string? quantity) =>
        Lines(current.Items.Select(l => Item(l, l.Id == lineId ? Number(quantity) : Optional.Of<decimal?>(l.Quantity))));

    public static LinesWrite Remove(LinesDto current, Guid lineId) =>
        Lines(current.Items.Where(l => l.Id != lineId).Select(l => Item(l, Optional.Of<decimal?>(l.Quantity))));

    private static LinesWrite Lines(IEnumerable<LineWrite> items) => new() { Items = Optional.Of<IReadOnlyList<LineWrite>?>(items.ToList()) };

    private static LineWrite Item(LineDto line, Optional<decimal?> quantity) =>
        new() { ProductId = Optional.Of<Guid?>(line.ProductId), Quantity = quantity, UnitPrice = Optional.Of<decimal?>(line.UnitPrice) };

    /// <summary>A number when the text is one (a "." decimal point, no grouping: "1,5" is not read as 15); otherwise an error naming the field.</summary>
    private static Optional<decimal?> Number(string? text) => FieldReaders.FormDecimal(text, NumberStyles.Float & ~NumberStyles.AllowExponent);
}
