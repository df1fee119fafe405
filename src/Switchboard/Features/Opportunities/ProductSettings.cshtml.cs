using Switchboard.Features.Modules;

namespace Switchboard.Features.Opportunities;

/// <summary>The product catalogue: everyone may look, admins and managers add products and switch them on or off.</summary>
[RequireModule(ModuleNames.Products)]
public sealed class ProductsModel(ProductService products, TenantContext ctx) : AppPageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Type { get; set; }
    [BindProperty] public string? Price { get; set; }
    [BindProperty] public string? Currency { get; set; }

    public PagedList<ProductDto> Results { get; private set; } = new([], 0, 1, 200);
    public bool CanManage => OpportunityPermissions.CanManageProducts(ctx);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (ctx.TenantId is null) return ctx.IsSuperadmin ? LocalRedirect("/tenants") : Forbid();
        Currency = ctx.Tenant?.Currency;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (ctx.TenantId is null || !CanManage) return Forbid();
        var body = new ProductWrite
        {
            Name = Optional.Text(Name), Type = Optional.Text(Type ?? ProductTypes.Product), Price = FieldReaders.FormDecimal(Price, NumberStyles.Number),
            Currency = Optional.Text(string.IsNullOrWhiteSpace(Currency) ? ctx.Tenant?.Currency : Currency),
        };
        var outcome = await products.CreateAsync(body, ct);
        if (outcome is Outcome<ProductDto>.Ok)
        {
            Flash("Product added.");
            return LocalRedirect("/settings/products");
        }
        ShowProblem(outcome);
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostToggleAsync(Guid id, bool active, CancellationToken ct)
    {
        if (ctx.TenantId is null || !CanManage) return Forbid();
        var outcome = await products.UpdateAsync(id, new ProductWrite { Active = Optional.Of<bool?>(active) }, null, ct);
        if (outcome is Outcome<ProductDto>.NotFound) return NotFound();
        Flash(outcome is Outcome<ProductDto>.Ok ? (active ? "Product activated." : "Product deactivated.") : "The product could not be changed.",
            outcome is Outcome<ProductDto>.Ok ? FlashKind.Success : FlashKind.Error);
        return LocalRedirect("/settings/products");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        if (await products.ListAsync(new ProductQuery(null, null, 1, 200), ct) is Outcome<PagedList<ProductDto>>.Ok ok) Results = ok.Value;
    }
}
