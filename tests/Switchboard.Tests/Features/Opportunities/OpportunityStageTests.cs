using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Opportunities;

/// <summary>Stage moves: probability, won and lost, audit; the board's totals; product lines.</summary>
public sealed class OpportunityStageTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Fact]
    public async Task A_new_opportunity_starts_in_the_first_open_stage_of_the_default_pipeline_in_the_tenant_currency()
    {
        var manager = await host.As("manager");

        var opportunity = await OpportunityTestData.CreateAsync(manager, new { name = "Defaults" });

        opportunity.GetProperty("stageId").GetGuid().ShouldBe(await OpportunityTestData.StageAsync(manager, "Qualification"));
        opportunity.GetProperty("probability").GetInt32().ShouldBe(10);
        opportunity.GetProperty("currency").GetString().ShouldBe("USD");
        opportunity.GetProperty("status").GetString().ShouldBe("open");
        opportunity.GetProperty("ownerId").GetGuid().ShouldBe(host.Tenant.Users["manager"]);
    }

    [Fact]
    public async Task Changing_the_stage_sets_its_probability_and_is_audited()
    {
        var manager = await host.As("manager");
        var opportunity = await OpportunityTestData.CreateAsync(manager, new { name = "Moves" });
        var proposal = await OpportunityTestData.StageAsync(manager, "Proposal");

        var moved = await (await manager.PatchAsJsonAsync($"/api/v1/opportunities/{opportunity.Id()}", new { stageId = proposal })).JsonAsync();

        moved.GetProperty("probability").GetInt32().ShouldBe(50);
        var audit = await (await host.As("admin")).GetFromJsonAsync<JsonElement>($"/api/v1/audit?entity=opportunity&entityId={opportunity.Id()}");
        var update = audit.GetProperty("items").EnumerateArray().First(e => e.GetProperty("action").GetString() == "updated");
        update.GetProperty("changes").GetProperty("stageId").GetProperty("old").GetGuid().ShouldBe(opportunity.GetProperty("stageId").GetGuid());
        update.GetProperty("changes").GetProperty("stageId").GetProperty("new").GetGuid().ShouldBe(proposal);
        update.GetProperty("changes").GetProperty("probability").GetProperty("new").GetInt32().ShouldBe(50);
    }

    [Fact]
    public async Task An_explicit_probability_wins_over_the_stages()
    {
        var manager = await host.As("manager");
        var opportunity = await OpportunityTestData.CreateAsync(manager, new { name = "Explicit" });

        var moved = await (await manager.PatchAsJsonAsync($"/api/v1/opportunities/{opportunity.Id()}",
            new { stageId = await OpportunityTestData.StageAsync(manager, "Negotiation"), probability = 60 })).JsonAsync();

        moved.GetProperty("probability").GetInt32().ShouldBe(60);
    }

    [Fact]
    public async Task Moving_to_a_lost_stage_requires_a_reason()
    {
        var manager = await host.As("manager");
        var opportunity = await OpportunityTestData.CreateAsync(manager, new { name = "Lost one" });
        var lost = await OpportunityTestData.StageAsync(manager, "Lost");

        var without = await manager.PatchAsJsonAsync($"/api/v1/opportunities/{opportunity.Id()}", new { stageId = lost });
        var with = await manager.PatchAsJsonAsync($"/api/v1/opportunities/{opportunity.Id()}", new { stageId = lost, lostReason = "Went with a competitor" });

        without.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await without.JsonAsync()).GetProperty("errors").TryGetProperty("lostReason", out _).ShouldBeTrue();
        with.StatusCode.ShouldBe(HttpStatusCode.OK);
        var closed = await with.JsonAsync();
        closed.GetProperty("status").GetString().ShouldBe("lost");
        closed.GetProperty("probability").GetInt32().ShouldBe(0);
        closed.GetProperty("closedAt").ValueKind.ShouldBe(JsonValueKind.String);
    }

    [Fact]
    public async Task Winning_sets_closed_at_and_reopening_clears_it()
    {
        var manager = await host.As("manager");
        var opportunity = await OpportunityTestData.CreateAsync(manager, new { name = "Won one", amount = 5000 });

        var won = await (await manager.PatchAsJsonAsync($"/api/v1/opportunities/{opportunity.Id()}", new { stageId = await OpportunityTestData.StageAsync(manager, "Won") })).JsonAsync();
        var reopened = await (await manager.PatchAsJsonAsync($"/api/v1/opportunities/{opportunity.Id()}", new { stageId = await OpportunityTestData.StageAsync(manager, "Proposal") })).JsonAsync();

        won.GetProperty("status").GetString().ShouldBe("won");
        won.GetProperty("closedAt").ValueKind.ShouldBe(JsonValueKind.String);
        won.GetProperty("probability").GetInt32().ShouldBe(100);
        reopened.GetProperty("closedAt").ValueKind.ShouldBe(JsonValueKind.Null);
        reopened.GetProperty("status").GetString().ShouldBe("open");
    }

    [Fact]
    public async Task A_stale_version_is_a_conflict_and_a_stale_if_match_is_a_failed_precondition()
    {
        var manager = await host.As("manager");
        var opportunity = await OpportunityTestData.CreateAsync(manager, new { name = "Versions" });
        await manager.PatchAsJsonAsync($"/api/v1/opportunities/{opportunity.Id()}", new { amount = 10 });
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/opportunities/{opportunity.Id()}") { Content = JsonContent.Create(new { amount = 20 }) };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");

        (await manager.PatchAsJsonAsync($"/api/v1/opportunities/{opportunity.Id()}", new { amount = 30, version = 1 })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await manager.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
    }

    [Theory]
    [InlineData("currency", "usd")]
    [InlineData("accountId", "00000000-0000-0000-0000-000000000001")]
    [InlineData("contactId", "00000000-0000-0000-0000-000000000001")]
    [InlineData("expectedClose", "31/12/2026")]
    public async Task Invalid_fields_are_named_in_the_error(string field, string value)
    {
        var manager = await host.As("manager");
        var body = new Dictionary<string, object> { ["name"] = "Invalid", [field] = value };

        var response = await manager.PostAsJsonAsync("/api/v1/opportunities", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task The_board_totals_count_amount_and_weighted_amount_per_stage()
    {
        var admin = await host.As("admin");
        var pipeline = await (await admin.PostAsJsonAsync("/api/v1/pipelines", new
        {
            name = "Board totals",
            stages = new object[] { new { name = "Talking", probability = 20 }, new { name = "Won", kind = "won" }, new { name = "Lost", kind = "lost" } },
        })).JsonAsync();
        await OpportunityTestData.CreateAsync(admin, new { name = "A", amount = 1000, pipelineId = pipeline.Id() });
        await OpportunityTestData.CreateAsync(admin, new { name = "B", amount = 500.5, pipelineId = pipeline.Id(), probability = 50 });

        var board = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/opportunities/board?pipelineId={pipeline.Id()}");

        var talking = board.GetProperty("stages")[0];
        talking.GetProperty("count").GetInt32().ShouldBe(2);
        talking.GetProperty("amount").GetDecimal().ShouldBe(1500.5m);
        talking.GetProperty("weightedAmount").GetDecimal().ShouldBe(200m + 250.25m);
        board.GetProperty("stages")[1].GetProperty("count").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Product_lines_default_to_the_product_price_and_set_the_amount()
    {
        var manager = await host.As("manager");
        var seat = await (await manager.PostAsJsonAsync("/api/v1/products", new { name = "Seat", type = "subscription", price = 30 })).JsonAsync();
        var setup = await (await manager.PostAsJsonAsync("/api/v1/products", new { name = "Setup", type = "service", price = 500 })).JsonAsync();
        var opportunity = await OpportunityTestData.CreateAsync(manager, new { name = "With lines", amount = 1 });

        var put = await manager.PutAsJsonAsync($"/api/v1/opportunities/{opportunity.Id()}/products", new
        {
            items = new object[] { new { productId = seat.Id(), quantity = 10 }, new { productId = setup.Id(), quantity = 1, unitPrice = 400 } },
        });

        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var lines = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/opportunities/{opportunity.Id()}/products");
        lines.GetProperty("items").GetArrayLength().ShouldBe(2);
        lines.GetProperty("total").GetDecimal().ShouldBe(700m);
        var after = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/opportunities/{opportunity.Id()}");
        after.GetProperty("amount").GetDecimal().ShouldBe(700m);
        after.GetProperty("hasProducts").GetBoolean().ShouldBeTrue();
        (await manager.PatchAsJsonAsync($"/api/v1/opportunities/{opportunity.Id()}", new { amount = 5 })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Product_lines_reject_unknown_products_and_non_positive_quantities()
    {
        var manager = await host.As("manager");
        var opportunity = await OpportunityTestData.CreateAsync(manager, new { name = "Bad lines" });

        var response = await manager.PutAsJsonAsync($"/api/v1/opportunities/{opportunity.Id()}/products", new
        {
            items = new object[] { new { productId = Guid.NewGuid(), quantity = 1 } },
        });
        var zero = await manager.PutAsJsonAsync($"/api/v1/opportunities/{opportunity.Id()}/products", new
        {
            items = new object[] { new { productId = Guid.NewGuid(), quantity = 0 } },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("errors").TryGetProperty("items[0].productId", out _).ShouldBeTrue();
        (await zero.JsonAsync()).GetProperty("errors").TryGetProperty("items[0].quantity", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task The_list_filters_by_status_and_search()
    {
        var manager = await host.As("manager");
        var won = await OpportunityTestData.CreateAsync(manager, new { name = "Zebra filter deal", stageId = await OpportunityTestData.StageAsync(manager, "Won") });
        await OpportunityTestData.CreateAsync(manager, new { name = "Zebra filter open" });

        var list = await manager.GetFromJsonAsync<JsonElement>("/api/v1/opportunities?status=won&q=zebra");

        list.GetProperty("items").EnumerateArray().Select(o => o.Id()).ShouldBe([won.Id()]);
    }
}
