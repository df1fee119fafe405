using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using Switchboard.Tests.Features.Activities;

namespace Switchboard.Tests.Features.Opportunities;

/// <summary>Product lines on the opportunity page, posted as a browser does; the amount follows the lines (ADR 0008).</summary>
public sealed class ProductLinePageTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Fact]
    public async Task Manager_adds_a_product_line_and_the_amount_becomes_the_lines_total()
    {
        var opportunity = await OpportunityAsync();
        var product = await ProductAsync(price: 250m);
        using var browser = await PageForms.BrowserAsync(host, "manager");

        var posted = await PageForms.PostAsync(browser, Path(opportunity), "AddLine",
            new() { ["Line.ProductId"] = product.ToString(), ["Line.Quantity"] = "3", ["Line.Version"] = await VersionAsync(opportunity) });

        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await AmountAsync(opportunity)).ShouldBe(750m);
    }

    [Fact]
    public async Task A_unit_price_typed_on_the_line_overrides_the_products_price()
    {
        var opportunity = await OpportunityAsync();
        var product = await ProductAsync(price: 100m);
        using var browser = await PageForms.BrowserAsync(host, "manager");

        await PageForms.PostAsync(browser, Path(opportunity), "AddLine", new()
        {
            ["Line.ProductId"] = product.ToString(), ["Line.Quantity"] = "2", ["Line.UnitPrice"] = "80.50", ["Line.Version"] = await VersionAsync(opportunity),
        });
        var line = (await LinesAsync(opportunity)).GetProperty("items")[0];

        line.GetProperty("unitPrice").GetDecimal().ShouldBe(80.50m);
        (await AmountAsync(opportunity)).ShouldBe(161m);
    }

    [Fact]
    public async Task Changing_a_lines_quantity_updates_the_amount_and_keeps_its_unit_price()
    {
        var opportunity = await OpportunityAsync();
        var product = await ProductAsync(price: 40m);
        var line = await AddLineAsync(opportunity, product, quantity: 1, unitPrice: 35m);
        using var browser = await PageForms.BrowserAsync(host, "manager");

        await PageForms.PostAsync(browser, Path(opportunity), "LineQuantity",
            new() { ["Line.LineId"] = line.ToString(), ["Line.Quantity"] = "4", ["Line.Version"] = await VersionAsync(opportunity) });

        (await AmountAsync(opportunity)).ShouldBe(140m);
    }

    [Fact]
    public async Task Removing_the_last_line_keeps_the_amount_it_had()
    {
        var opportunity = await OpportunityAsync();
        var line = await AddLineAsync(opportunity, await ProductAsync(price: 60m), quantity: 2, unitPrice: null);
        using var browser = await PageForms.BrowserAsync(host, "manager");

        await PageForms.PostAsync(browser, Path(opportunity), "RemoveLine",
            new() { ["Line.LineId"] = line.ToString(), ["Line.Version"] = await VersionAsync(opportunity) });

        (await LinesAsync(opportunity)).GetProperty("items").GetArrayLength().ShouldBe(0);
        (await AmountAsync(opportunity)).ShouldBe(120m);
    }

    [Fact]
    public async Task A_quantity_of_zero_is_refused_with_the_message_next_to_the_quantity()
    {
        var opportunity = await OpportunityAsync();
        var product = await ProductAsync(price: 10m);
        using var browser = await PageForms.BrowserAsync(host, "manager");

        var response = await PageForms.PostAsync(browser, Path(opportunity), "AddLine",
            new() { ["Line.ProductId"] = product.ToString(), ["Line.Quantity"] = "0", ["Line.Version"] = await VersionAsync(opportunity) });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("<p class=\"field-error\" id=\"line-quantity-error\">quantity must be more than 0.</p>");
        (await LinesAsync(opportunity)).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task A_change_from_a_page_older_than_the_opportunity_is_refused()
    {
        var opportunity = await OpportunityAsync();
        var product = await ProductAsync(price: 10m);
        var staleVersion = await VersionAsync(opportunity);
        await AddLineAsync(opportunity, product, quantity: 1, unitPrice: null);
        using var browser = await PageForms.BrowserAsync(host, "manager");

        var response = await PageForms.PostAsync(browser, Path(opportunity), "AddLine",
            new() { ["Line.ProductId"] = product.ToString(), ["Line.Quantity"] = "5", ["Line.Version"] = staleVersion });

        (await response.Content.ReadAsStringAsync()).ShouldContain("The opportunity changed since this page was opened");
        (await LinesAsync(opportunity)).GetProperty("items").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task A_readonly_user_sees_the_lines_but_cannot_change_them()
    {
        var opportunity = await OpportunityAsync();
        var line = await AddLineAsync(opportunity, await ProductAsync(price: 10m), quantity: 1, unitPrice: null);
        using var browser = await PageForms.BrowserAsync(host, "readonly");
        var page = await browser.GetStringAsync(Path(opportunity));

        var response = await PageForms.PostAsync(browser, Path(opportunity), "RemoveLine",
            new() { ["Line.LineId"] = line.ToString(), ["Line.Version"] = await VersionAsync(opportunity) });

        page.ShouldContain("data-testid=\"line-table\"");
        page.ShouldNotContain("data-testid=\"add-line\"");
        PageForms.RedirectPath(response).ShouldBe("/forbidden");
        (await LinesAsync(opportunity)).GetProperty("items").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task An_agent_cannot_change_the_lines_of_an_opportunity_they_do_not_own()
    {
        var opportunity = await OpportunityAsync();
        var product = await ProductAsync(price: 10m);
        using var browser = await PageForms.BrowserAsync(host, "agent");
        var token = PageForms.Token(await browser.GetStringAsync("/leads"));

        var response = await browser.PostAsync($"{Path(opportunity)}?handler=AddLine", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Line.ProductId"] = product.ToString(), ["Line.Quantity"] = "1", ["Line.Version"] = await VersionAsync(opportunity), ["__RequestVerificationToken"] = token,
        }));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await LinesAsync(opportunity)).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    private static string Path(Guid opportunity) => $"/opportunities/{opportunity}";

    private async Task<Guid> OpportunityAsync() =>
        (await OpportunityTestData.CreateAsync(await host.As("manager"), new { name = "Lines " + Guid.NewGuid().ToString("N")[..6], ownerId = host.Tenant.Users["manager"] })).Id();

    private async Task<Guid> ProductAsync(decimal price)
    {
        var response = await (await host.As("manager")).PostAsJsonAsync("/api/v1/products", new { name = "Product " + Guid.NewGuid().ToString("N")[..6], price, currency = "USD" });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).Id();
    }

    private async Task<Guid> AddLineAsync(Guid opportunity, Guid product, decimal quantity, decimal? unitPrice)
    {
        var response = await (await host.As("manager")).PutAsJsonAsync($"/api/v1/opportunities/{opportunity}/products",
            new { items = new[] { new { productId = product, quantity, unitPrice } } });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("items")[0].Id();
    }

    private async Task<JsonElement> LinesAsync(Guid opportunity) =>
        await (await host.As("manager")).GetFromJsonAsync<JsonElement>($"/api/v1/opportunities/{opportunity}/products");

    private async Task<decimal> AmountAsync(Guid opportunity) =>
        (await (await host.As("manager")).GetFromJsonAsync<JsonElement>($"/api/v1/opportunities/{opportunity}")).GetProperty("amount").GetDecimal();

    private async Task<string> VersionAsync(Guid opportunity) =>
        (await (await host.As("manager")).GetFromJsonAsync<JsonElement>($"/api/v1/opportunities/{opportunity}")).GetProperty("version").GetInt32().ToString();
}
