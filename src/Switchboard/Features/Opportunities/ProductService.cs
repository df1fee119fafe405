namespace Switchboard.Features.Opportunities;

/// <summary>The product catalogue: everyone reads, admins and managers manage.</summary>
[Scoped]
public sealed class ProductService(SwitchboardDbContext db, TenantContext ctx) : IRecordStore<ProductDto, ProductWrite>
{
    public async Task<Outcome<PagedList<ProductDto>>> ListAsync(ProductQuery query, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.Validate(query.Page, query.PageSize, errors);
        if (!errors.IsValid) return new Outcome<PagedList<ProductDto>>.Invalid(errors.ToDictionary());
        var products = db.Set<Product>().AsNoTracking();
        if (query.Active is { } active) products = products.Where(p => p.IsActive == active);
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var like = Platform.Database.LikePatterns.Contains(query.Q.Trim());
            products = products.Where(p => EF.Functions.ILike(p.Name, like, Platform.Database.LikePatterns.Escape));
        }
        var page = await paging.ApplyAsync(db, products.OrderBy(p => p.Name).ThenBy(p => p.Id), ct);
        return page.Map(ToDto);
    }

    public async Task<ProductDto?> FindAsync(Guid id, CancellationToken ct) =>
        await db.Set<Product>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct) is { } p ? ToDto(p) : null;

    public async Task<Outcome<ProductDto>> CreateAsync(ProductWrite body, CancellationToken ct)
    {
        if (!OpportunityPermissions.CanManageProducts(ctx)) return new Outcome<ProductDto>.Forbidden("Only administrators and managers can manage products.");
        var product = new Product { Id = Guid.CreateVersion7(), Name = "", Currency = ctx.Tenant?.Currency ?? "USD" };
        var errors = body.BindingErrors();
        if (body.Version.Sent) errors.Add("version", "'version' cannot be set on create.");
        if (!body.Price.Sent) errors.Add("price", "Price is required.");
        Apply(product, body, errors, isNew: true);
        if (!errors.IsValid) return new Outcome<ProductDto>.Invalid(errors.ToDictionary());
        db.Add(product);
        return await SaveAsync(product, ct);
    }

    public async Task<Outcome<ProductDto>> UpdateAsync(Guid id, ProductWrite patch, int? ifMatch, CancellationToken ct)
    {
        var product = await db.Set<Product>().SingleOrDefaultAsync(p => p.Id == id, ct);
        if (product is null) return new Outcome<ProductDto>.NotFound();
        if (!OpportunityPermissions.CanManageProducts(ctx)) return new Outcome<ProductDto>.Forbidden("Only administrators and managers can manage products.");
        if (ifMatch is { } expected && expected != product.Version)
            return new Outcome<ProductDto>.PreconditionFailed($"The product has changed since version {expected}; it is now at version {product.Version}. Reload and retry.");
        var errors = patch.BindingErrors();
        if (patch.Version is { IsSet: true, Value: { } v } && v != product.Version)
            return new Outcome<ProductDto>.Conflict($"The product has changed since version {v}; it is now at version {product.Version}. Reload and retry.");
        Apply(product, patch, errors, isNew: false);
        if (!errors.IsValid) return new Outcome<ProductDto>.Invalid(errors.ToDictionary());
        return await SaveAsync(product, ct);
    }

    public async Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken ct)
    {
        var product = await db.Set<Product>().SingleOrDefaultAsync(p => p.Id == id, ct);
        if (product is null) return new Outcome<bool>.NotFound();
        if (!OpportunityPermissions.CanManageProducts(ctx)) return new Outcome<bool>.Forbidden("Only administrators and managers can manage products.");
        if (await db.Set<OpportunityProduct>().AnyAsync(l => l.ProductId == id, ct))
            return new Outcome<bool>.Conflict("Opportunities list this product. Mark it inactive instead.");
        db.Remove(product);
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static void Apply(Product product, ProductWrite body, ValidationErrors errors, bool isNew)
    {
        if (body.Name is { IsSet: true } name) product.Name = name.Value ?? "";
        if (body.Type.OneOf("type", ProductTypes.All, errors) is { IsSet: true } type)
        {
            if (type.Value is null) errors.Add("type", "type cannot be null.");
            else product.Type = type.Value;
        }
        if (body.Price.Money("price", errors) is { IsSet: true } price)
        {
            if (price.Value is null) errors.Add("price", "Price is required.");
            else product.Price = price.Value.Value;
        }
        if (body.Currency.Currency("currency", errors) is { IsSet: true } currency)
        {
            if (currency.Value is null) errors.Add("currency", "currency cannot be null.");
            else product.Currency = currency.Value;
        }
        if (body.Active is { IsSet: true } active)
        {
            if (active.Value is null) errors.Add("active", "active cannot be null.");
            else product.IsActive = active.Value.Value;
        }
        if (isNew || body.Name.IsSet) errors.Required("name", product.Name, "Name");
    }

    private async Task<Outcome<ProductDto>> SaveAsync(Product product, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return RecordSave.Conflict<ProductDto>("product");
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, out _))
        {
            return new Outcome<ProductDto>.Invalid(new Dictionary<string, string[]> { ["name"] = [$"A product named '{product.Name}' already exists."] });
        }
        return ToDto(product);
    }

    public static ProductDto ToDto(Product p) => new(p.Id, p.Name, p.Type, p.Price, p.Currency, p.IsActive, p.CreatedAt, p.UpdatedAt, p.Version);
}
