using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Opportunities;

public sealed class PipelineTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private static object ThreeStages(string open = "Open") =>
        new object[] { new { name = open, probability = 30 }, new { name = "Won", kind = "won" }, new { name = "Lost", kind = "lost" } };

    [Fact]
    public async Task A_new_tenant_gets_the_default_sales_pipeline_exactly_once_under_concurrency()
    {
        var tenant = await host.CreateTenantAsync("pipes");
        var clients = await Task.WhenAll(new[] { "admin", "manager", "agent", "readonly", "agent2" }.Select(r => host.LoginAsync(tenant.Email(r))));

        var responses = await Task.WhenAll(clients.SelectMany(c => new[] { c.GetAsync("/api/v1/pipelines"), c.GetAsync("/api/v1/opportunities/board") }));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        var pipelines = (await clients[0].GetFromJsonAsync<JsonElement>("/api/v1/pipelines")).GetProperty("items").EnumerateArray().ToList();
        pipelines.Count.ShouldBe(1);
        pipelines[0].GetProperty("name").GetString().ShouldBe("Sales");
        pipelines[0].GetProperty("stages").EnumerateArray()
            .Select(s => $"{s.GetProperty("name").GetString()} {s.GetProperty("probability").GetInt32()} {s.GetProperty("kind").GetString()}")
            .ShouldBe(["Qualification 10 open", "Needs analysis 25 open", "Proposal 50 open", "Negotiation 75 open", "Won 100 won", "Lost 0 lost"]);
    }

    [Theory]
    [InlineData("no-won", "stages")]
    [InlineData("two-lost", "stages")]
    [InlineData("no-open", "stages")]
    [InlineData("bad-probability", "stages[0].probability")]
    [InlineData("no-name", "name")]
    public async Task Pipeline_stages_are_validated(string problem, string field)
    {
        var admin = await host.As("admin");
        object[] stages = problem switch
        {
            "no-won" => [new { name = "Open", probability = 10 }, new { name = "Lost", kind = "lost" }],
            "two-lost" => [new { name = "Open", probability = 10 }, new { name = "Won", kind = "won" }, new { name = "Lost", kind = "lost" }, new { name = "Dead", kind = "lost" }],
            "no-open" => [new { name = "Won", kind = "won" }, new { name = "Lost", kind = "lost" }],
            "bad-probability" => [new { name = "Open", probability = 140 }, new { name = "Won", kind = "won" }, new { name = "Lost", kind = "lost" }],
            _ => [new { name = "Open", probability = 10 }, new { name = "Won", kind = "won" }, new { name = "Lost", kind = "lost" }],
        };

        var response = await admin.PostAsJsonAsync("/api/v1/pipelines", new { name = problem == "no-name" ? "" : "Check " + problem, stages });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Stages_are_reordered_by_their_position_in_the_patch()
    {
        var admin = await host.As("admin");
        var created = await (await admin.PostAsJsonAsync("/api/v1/pipelines", new
        {
            name = "Reorder",
            stages = new object[] { new { name = "First", probability = 10 }, new { name = "Second", probability = 20 }, new { name = "Won", kind = "won" }, new { name = "Lost", kind = "lost" } },
        })).JsonAsync();
        var stages = created.GetProperty("stages").EnumerateArray().ToList();

        var response = await admin.PatchAsJsonAsync($"/api/v1/pipelines/{created.Id()}", new
        {
            stages = new object[]
            {
                new { id = stages[1].Id(), name = "Second", probability = 20 }, new { id = stages[0].Id(), name = "First", probability = 15 },
                new { id = stages[2].Id(), name = "Won", kind = "won" }, new { id = stages[3].Id(), name = "Lost", kind = "lost" },
            },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var after = (await response.JsonAsync()).GetProperty("stages").EnumerateArray().ToList();
        after.Select(s => s.GetProperty("name").GetString()).ShouldBe(["Second", "First", "Won", "Lost"]);
        after[0].Id().ShouldBe(stages[1].Id());
        after[1].GetProperty("probability").GetInt32().ShouldBe(15);
    }

    [Fact]
    public async Task A_stage_in_use_cannot_be_removed()
    {
        var admin = await host.As("admin");
        var pipeline = await (await admin.PostAsJsonAsync("/api/v1/pipelines", new { name = "In use", stages = ThreeStages() })).JsonAsync();
        var stages = pipeline.GetProperty("stages").EnumerateArray().ToList();
        await OpportunityTestData.CreateAsync(admin, new { name = "Sits in Open", pipelineId = pipeline.Id() });

        var response = await admin.PatchAsJsonAsync($"/api/v1/pipelines/{pipeline.Id()}", new
        {
            stages = new object[] { new { name = "Replacement", probability = 5 }, new { id = stages[1].Id(), name = "Won", kind = "won" }, new { id = stages[2].Id(), name = "Lost", kind = "lost" } },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.DeleteAsync($"/api/v1/pipelines/{pipeline.Id()}")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_unused_pipeline_can_be_deleted_but_the_default_cannot()
    {
        var admin = await host.As("admin");
        var pipeline = await (await admin.PostAsJsonAsync("/api/v1/pipelines", new { name = "Short lived", stages = ThreeStages() })).JsonAsync();
        var defaultPipeline = await OpportunityTestData.DefaultPipelineAsync(admin);

        (await admin.DeleteAsync($"/api/v1/pipelines/{pipeline.Id()}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.DeleteAsync($"/api/v1/pipelines/{defaultPipeline.Id()}")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_stale_if_match_is_refused()
    {
        var admin = await host.As("admin");
        var pipeline = await (await admin.PostAsJsonAsync("/api/v1/pipelines", new { name = "Stale", stages = ThreeStages() })).JsonAsync();
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/pipelines/{pipeline.Id()}") { Content = JsonContent.Create(new { name = "Fresh" }) };
        request.Headers.TryAddWithoutValidation("If-Match", "\"9\"");

        (await admin.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
    }
}
