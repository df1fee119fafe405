using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

public sealed class KanbanTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private async Task<(Guid Id, Guid Stage)> CreateAsync(string name, decimal amount)
    {
        var manager = await host.As("manager");
        var response = await manager.PostAsJsonAsync("/api/v1/opportunities", new { name, amount });
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("id").GetGuid(), created.GetProperty("stageId").GetGuid());
    }

    private async Task<Guid> StageIdAsync(string name)
    {
        var pipelines = await (await host.As("manager")).GetFromJsonAsync<JsonElement>("/api/v1/pipelines");
        return pipelines.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("isDefault").GetBoolean())
            .GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Dragging_a_card_to_another_stage_moves_the_opportunity()
    {
        var (id, _) = await CreateAsync("Kanban drag deal", 1200);
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));
        await ui.Page.GotoAsync("/opportunities");
        var card = ui.Page.GetByTestId("stage-Qualification").GetByTestId("card").Filter(new() { HasText = "Kanban drag deal" });
        await Expect(card).ToBeVisibleAsync();

        await card.DragToAsync(ui.Page.GetByTestId("stage-Proposal"));

        var proposal = ui.Page.GetByTestId("stage-Proposal");
        await Expect(proposal.GetByTestId("card").Filter(new() { HasText = "Kanban drag deal" })).ToBeVisibleAsync();
        await Expect(proposal.GetByTestId("stage-totals")).ToHaveTextAsync("1 · 1,200 · weighted 600");
        var proposalStage = await StageIdAsync("Proposal");
        var manager = await host.As("manager");
        var stored = await Eventually.Until(() => manager.GetFromJsonAsync<JsonElement>($"/api/v1/opportunities/{id}"),
            opportunity => opportunity.GetProperty("stageId").GetGuid() == proposalStage, TimeSpan.FromSeconds(10), "the opportunity to be stored in Proposal");
        stored.GetProperty("stageId").GetGuid().ShouldBe(proposalStage);
        stored.GetProperty("probability").GetInt32().ShouldBe(50);
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Dropping_on_the_lost_stage_asks_for_a_reason_and_cancelling_puts_the_card_back()
    {
        var (id, stage) = await CreateAsync("Kanban lost deal", 300);
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));
        await ui.Page.GotoAsync("/opportunities");
        var card = ui.Page.GetByTestId("card").Filter(new() { HasText = "Kanban lost deal" });

        await card.DragToAsync(ui.Page.GetByTestId("stage-Lost"));
        await Expect(ui.Page.GetByTestId("lost-dialog")).ToBeVisibleAsync();
        await ui.Page.GetByTestId("lost-dialog").GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("stage-Qualification").GetByTestId("card").Filter(new() { HasText = "Kanban lost deal" })).ToBeVisibleAsync();
        await Expect(ui.Page.GetByTestId("kanban-message")).ToContainTextAsync("lost reason is required");
        var stored = await (await host.As("manager")).GetFromJsonAsync<JsonElement>($"/api/v1/opportunities/{id}");
        stored.GetProperty("stageId").GetGuid().ShouldBe(stage);

        await card.DragToAsync(ui.Page.GetByTestId("stage-Lost"));
        await ui.Page.GetByLabel("Lost reason").FillAsync("Budget cut");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Mark as lost" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("stage-Lost").GetByTestId("stage-totals")).ToHaveTextAsync("1 · 300 · weighted 0");
        var lost = await (await host.As("manager")).GetFromJsonAsync<JsonElement>($"/api/v1/opportunities/{id}");
        lost.GetProperty("lostReason").GetString().ShouldBe("Budget cut");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Creating_an_opportunity_from_the_form_shows_its_details_and_it_appears_on_the_board()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));
        await ui.Page.GotoAsync("/opportunities");
        await ui.Page.GetByTestId("new-opportunity").ClickAsync();

        await ui.Page.GetByLabel("Name").FillAsync("Form made deal");
        await ui.Page.GetByLabel("Amount").FillAsync("2500");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save opportunity" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("opportunity-name")).ToHaveTextAsync("Form made deal");
        await Expect(ui.Page.GetByTestId("opportunity-stage")).ToHaveTextAsync("Qualification");
        await Expect(ui.Page.GetByTestId("opportunity-owner")).ToHaveTextAsync("agent User");
        await ui.Page.GotoAsync("/opportunities");
        await Expect(ui.Page.GetByTestId("stage-Qualification").GetByTestId("card").Filter(new() { HasText = "Form made deal" })).ToBeVisibleAsync();
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Manager_adds_a_product_in_settings_and_the_api_lists_it()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));
        await ui.Page.GotoAsync("/settings/products");

        await ui.Page.GetByLabel("Name").FillAsync("Kanban support plan");
        await ui.Page.GetByLabel("Type").SelectOptionAsync("service");
        await ui.Page.GetByLabel("Price").FillAsync("99.50");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Add product" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("product-table")).ToContainTextAsync("Kanban support plan");
        var products = await (await host.As("readonly")).GetFromJsonAsync<JsonElement>("/api/v1/products?q=kanban");
        products.GetProperty("items")[0].GetProperty("price").GetDecimal().ShouldBe(99.5m);
        ui.Problems.ShouldBeEmpty();
    }
}
