using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Opportunities;

/// <summary>
/// The opportunity, pipeline, product-line and lead-conversion bodies are typed: one 400 names every problem of the body,
/// nested lines and stages by their path, together with the service's own checks of each line.
/// </summary>
public sealed class OpportunityBodyTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private static async Task<Dictionary<string, string[]>> ErrorsAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("errors").Deserialize<Dictionary<string, string[]>>()!;
    }

    [Fact]
    public async Task One_400_lists_the_problems_of_every_product_line()
    {
        var manager = await host.As("manager");
        var opportunity = await OpportunityTestData.CreateAsync(manager, new { name = "Many bad lines" });

        var response = await manager.PutAsJsonAsync($"/api/v1/opportunities/{opportunity.Id()}/products", new
        {
            items = new object?[]
            {
                new { productId = "not-a-uuid", quantity = 1 },
                new { productId = Guid.NewGuid(), quantity = -2, colour = "red" },
                null,
                new { productId = Guid.NewGuid(), quantity = "three", unitPrice = 1.005 },
            },
        });

        var errors = await ErrorsAsync(response);
        errors["items[0].productId"].ShouldBe(["'productId' must be a UUID.", "productId is required."]);
        errors["items[1].quantity"].ShouldBe(["'quantity' cannot be negative.", "quantity must be more than 0."]);
        errors["items[1].colour"].ShouldBe(["'colour' is not a known field."]);
        errors["items[2]"].ShouldBe(["'items[2]' must be an object."]);
        errors["items[3].quantity"].ShouldBe(["'quantity' must be a number.", "quantity must be more than 0."]);
        errors["items[3].unitPrice"].ShouldBe(["'unitPrice' has at most two decimal places."]);
        (await manager.GetFromJsonAsync<JsonElement>($"/api/v1/opportunities/{opportunity.Id()}/products")).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Product_lines_without_items_name_the_shape_they_need()
    {
        var manager = await host.As("manager");
        var opportunity = await OpportunityTestData.CreateAsync(manager, new { name = "No items" });

        var absent = await ErrorsAsync(await manager.PutAsJsonAsync($"/api/v1/opportunities/{opportunity.Id()}/products", new { }));
        var wrong = await ErrorsAsync(await manager.PutAsJsonAsync($"/api/v1/opportunities/{opportunity.Id()}/products", new { items = "all" }));

        absent["items"].ShouldBe(["'items' must be an array of { productId, quantity, unitPrice? }."]);
        wrong["items"].ShouldBe(["'items' must be an array."]);
    }

    [Fact]
    public async Task One_400_lists_the_problems_of_the_pipeline_and_of_each_stage()
    {
        var admin = await host.As("admin");

        var response = await admin.PostAsJsonAsync("/api/v1/pipelines", new
        {
            name = "", colour = "blue",
            stages = new object[]
            {
                new { name = "Open", probability = "ten" },
                new { name = "Won", kind = "won", position = 1 },
                new { name = "Lost", kind = "gone" },
            },
        });

        var errors = await ErrorsAsync(response);
        errors["name"].ShouldBe(["Name is required."]);
        errors["colour"].ShouldBe(["'colour' is not a known field."]);
        errors["stages[0].probability"].ShouldBe(["'probability' must be a whole number.", "Probability is required for open stages."]);
        errors["stages[1].position"].ShouldBe(["'position' is not a known field."]);
        errors["stages[2].kind"][0].ShouldStartWith("'gone' is not a valid kind.");
        // The unreadable kind defaults to open, so the list has no lost stage.
        errors["stages"].ShouldBe(["A pipeline needs exactly one lost stage."]);
    }

    [Fact]
    public async Task One_400_lists_every_problem_of_an_opportunity_and_of_a_product()
    {
        var manager = await host.As("manager");

        var opportunity = await ErrorsAsync(await manager.PostAsJsonAsync("/api/v1/opportunities", new
        {
            name = "Typed", amount = "lots", probability = 1.5, expectedClose = 20261231, currency = "usd", colour = "green",
        }));
        var product = await ErrorsAsync(await manager.PostAsJsonAsync("/api/v1/products", new { name = "Typed", price = -1, active = "yes" }));

        opportunity["amount"].ShouldBe(["'amount' must be a number."]);
        opportunity["probability"].ShouldBe(["'probability' must be a whole number."]);
        opportunity["expectedClose"].ShouldBe(["'expectedClose' must be a date written YYYY-MM-DD."]);
        opportunity["currency"].ShouldBe(["'usd' is not an ISO 4217 currency code such as USD or EUR."]);
        opportunity["colour"].ShouldBe(["'colour' is not a known field."]);
        product["price"].ShouldBe(["'price' cannot be negative."]);
        product["active"].ShouldBe(["'active' must be true or false."]);
    }

    [Fact]
    public async Task A_conversion_names_the_problems_of_its_opportunity_before_it_creates_anything()
    {
        var manager = await host.As("manager");
        var created = await manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Typed conversion" });
        var lead = (await created.JsonAsync()).Id();

        var errors = await ErrorsAsync(await manager.PostAsJsonAsync($"/api/v1/leads/{lead}/convert", new
        {
            opportunity = new { name = "Deal", amount = "big", colour = "red" },
        }));
        var notAnObject = await ErrorsAsync(await manager.PostAsJsonAsync($"/api/v1/leads/{lead}/convert", new { opportunity = "Deal" }));

        errors["opportunity.amount"].ShouldBe(["'amount' must be a number."]);
        errors["opportunity.colour"].ShouldBe(["'colour' is not a known field."]);
        notAnObject["opportunity"].ShouldBe(["'opportunity' must be an object."]);
        (await manager.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{lead}")).GetProperty("status").GetString().ShouldBe("new");
    }
}
