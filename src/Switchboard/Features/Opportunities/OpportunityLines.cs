namespace Switchboard.Features.Opportunities;

/// <summary>An opportunity's product lines, replaced as a whole; while lines exist they set the amount (ADR 0008).</summary>
[Scoped]
public sealed class OpportunityLines(SwitchboardDbContext db, TenantContext ctx, OpportunityService opportunities)
{
    public async Task<LinesDto?> GetAsync(Guid opportunityId, CancellationToken ct)
    {
        var opportunity = await opportunities.Visible().AsNoTracking().SingleOrDefaultAsync(o => o.Id == opportunityId, ct);
        return opportunity is null ? null : await ToDtoAsync(opportunity, ct);
    }

    public async Task<Outcome<LinesDto>> ReplaceAsync(Guid opportunityId, LinesWrite body, CancellationToken ct)
    {
        var opportunity = await opportunities.Visible().SingleOrDefaultAsync(o => o.Id == opportunityId, ct);
        if (opportunity is null) return new Outcome<LinesDto>.NotFound();
        if (!RecordPermissions.CanEdit(ctx, opportunity.OwnerId)) return new Outcome<LinesDto>.Forbidden("Your role cannot edit this opportunity.");

        // Every line's problems at once: the reader's (unknown members, wrong types) and the checks below, by "items[i]".
        var errors = body.BindingErrors();
        var wanted = new List<(Guid ProductId, decimal Quantity, decimal? UnitPrice)>();
        if (body.Items is { Error: null, Value: null }) errors.Add("items", "'items' must be an array of { productId, quantity, unitPrice? }.");
        foreach (var (item, index) in (body.Items.Value ?? []).Select((item, index) => (item, index)))
        {
            if (item is null) continue; // reported by the reader
            var line = new ValidationErrors();
            var productId = item.ProductId.Value;
            var quantity = item.Quantity.Money("quantity", line).Value;
            var unitPrice = item.UnitPrice.Money("unitPrice", line).Value;
            if (productId is null) line.Add("productId", "productId is required.");
            if (quantity is not > 0) line.Add("quantity", "quantity must be more than 0.");
            else if (quantity >= 10_000_000_000m) line.Add("quantity", "quantity is too large.");
            errors.AddNested($"items[{index}].", line);
            if (line.IsValid) wanted.Add((productId!.Value, quantity!.Value, unitPrice));
        }
        if (!errors.IsValid) return new Outcome<LinesDto>.Invalid(errors.ToDictionary());

        var current = await db.Set<OpportunityProduct>().Where(l => l.OpportunityId == opportunityId).ToListAsync(ct);
        var productIds = wanted.Select(w => w.ProductId).Distinct().ToList();
        var products = await db.Set<Product>().AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        for (var i = 0; i < wanted.Count; i++)
        {
            if (!products.TryGetValue(wanted[i].ProductId, out var product)) errors.Add($"items[{i}].productId", "No such product in this tenant.");
            else if (!product.IsActive && current.All(l => l.ProductId != product.Id)) errors.Add($"items[{i}].productId", $"'{product.Name}' is no longer sold.");
            else if (product.Currency != opportunity.Currency)
                errors.Add($"items[{i}].productId", $"'{product.Name}' is priced in {product.Currency}; the opportunity is in {opportunity.Currency}.");
        }
        if (!errors.IsValid) return new Outcome<LinesDto>.Invalid(errors.ToDictionary());

        db.RemoveRange(current);
        var lines = wanted.Select(w => new OpportunityProduct
        {
            Id = Guid.CreateVersion7(), OpportunityId = opportunityId, ProductId = w.ProductId, Quantity = w.Quantity,
            UnitPrice = w.UnitPrice ?? products[w.ProductId].Price,
        }).ToList();
        db.AddRange(lines);
        if (lines.Count > 0)
        {
            var amount = lines.Sum(l => decimal.Round(l.Quantity * l.UnitPrice, 2));
            if (amount >= 10_000_000_000_000_000m) return new Outcome<LinesDto>.Invalid(new Dictionary<string, string[]> { ["items"] = ["The total is too large."] });
            opportunity.Amount = amount;
        }
        db.Touch(opportunity); // its lines are part of it: a stale editor of the opportunity must see a new version
        if (!await db.TrySaveAsync(ct)) return RecordSave.Conflict<LinesDto>("opportunity");
        return await ToDtoAsync(opportunity, ct);
    }

    private async Task<LinesDto> ToDtoAsync(Opportunity opportunity, CancellationToken ct)
    {
        var rows = await (from l in db.Set<OpportunityProduct>().AsNoTracking()
                          join p in db.Set<Product>().AsNoTracking() on l.ProductId equals p.Id
                          where l.OpportunityId == opportunity.Id
                          orderby p.Name, l.Id
                          select new { l.Id, l.ProductId, p.Name, l.Quantity, l.UnitPrice }).ToListAsync(ct);
        var items = rows.Select(r => new LineDto(r.Id, r.ProductId, r.Name, r.Quantity, r.UnitPrice, decimal.Round(r.Quantity * r.UnitPrice, 2))).ToList();
        return new LinesDto(items, items.Sum(i => i.Total), opportunity.Currency);
    }
}
