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
    public async Task On_a_phone_a_touch_drag_moves_a_card_to_another_stage_and_the_move_is_stored()
    {
        var (id, _) = await CreateAsync("Touch drag deal", 800);
        await using var ui = await host.OpenPhoneAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));
        await ui.Page.GotoAsync("/opportunities");
        var card = ui.Page.GetByTestId("stage-Qualification").GetByTestId("card").Filter(new() { HasText = "Touch drag deal" });
        await card.ScrollIntoViewIfNeededAsync();
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, "kanban-phone.png") });
        var nextCards = ui.Page.GetByTestId("stage-Needs analysis").Locator(".kanban-cards");
        var from = (await card.BoundingBoxAsync())!;
        var to = (await nextCards.BoundingBoxAsync())!;
        // The board shows one column and the start of the next: the finger ends on that visible edge of the next stage.
        to.X.ShouldBeLessThan(390 - 40, "the next stage must peek in at the right of a phone screen");
        var (x0, y0) = (from.X + from.Width / 2, from.Y + 12);
        var (x1, y1) = (to.X + 14, to.Y + Math.Min(to.Height / 2, 40));

        // Real touch input through Chromium's input pipeline (touch and pointer events, as a finger makes them).
        var touch = await ui.Context.NewCDPSessionAsync(ui.Page);
        Task Touch(string type, double x, double y) => touch.SendAsync("Input.dispatchTouchEvent", new Dictionary<string, object>
        {
            ["type"] = type, ["touchPoints"] = type == "touchEnd" ? Array.Empty<object>() : new object[] { new Dictionary<string, object> { ["x"] = x, ["y"] = y } },
        });
        await Touch("touchStart", x0, y0);
        await Expect(card).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("is-chosen"));
        for (var step = 1; step <= 12; step++)
            await Touch("touchMove", x0 + (x1 - x0) * step / 12, y0 + (y1 - y0) * step / 12);
        await Expect(nextCards.Locator(".kanban-card[data-id='" + id + "']")).ToHaveCountAsync(1);
        await Touch("touchEnd", x1, y1);

        var nextStage = await StageIdAsync("Needs analysis");
        var manager = await host.As("manager");
        await Eventually.Until(() => manager.GetFromJsonAsync<JsonElement>($"/api/v1/opportunities/{id}"),
            opportunity => opportunity.GetProperty("stageId").GetGuid() == nextStage, TimeSpan.FromSeconds(10), "the opportunity to be stored in Needs analysis");
        await ui.Page.ReloadAsync();
        await Expect(ui.Page.GetByTestId("stage-Needs analysis").GetByTestId("card").Filter(new() { HasText = "Touch drag deal" })).ToHaveCountAsync(1);
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_card_moves_with_the_keyboard_through_its_stage_list()
    {
        var (id, _) = await CreateAsync("Keyboard move deal", 450);
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));
        await ui.Page.GotoAsync("/opportunities");
        var card = ui.Page.GetByTestId("card").Filter(new() { HasText = "Keyboard move deal" });

        await card.GetByLabel("Stage of Keyboard move deal").FocusAsync();
        await card.GetByLabel("Stage of Keyboard move deal").SelectOptionAsync(new SelectOptionValue { Label = "Negotiation" });
        await ui.Page.Keyboard.PressAsync("Tab");
        await Expect(card.GetByTestId("card-move")).ToBeFocusedAsync();
        await ui.Page.Keyboard.PressAsync("Enter");

        await Expect(ui.Page.GetByTestId("stage-Negotiation").GetByTestId("card").Filter(new() { HasText = "Keyboard move deal" })).ToHaveCountAsync(1);
        var negotiation = await StageIdAsync("Negotiation");
        var manager = await host.As("manager");
        await Eventually.Until(() => manager.GetFromJsonAsync<JsonElement>($"/api/v1/opportunities/{id}"),
            opportunity => opportunity.GetProperty("stageId").GetGuid() == negotiation, TimeSpan.FromSeconds(10), "the opportunity to be stored in Negotiation");
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, "kanban-desktop.png"), FullPage = true });
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
