using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Opportunities;

/// <summary>Two tenants: an opportunity, a product and a pipeline in B, and an admin of A who tries to reach them.</summary>
public sealed class CrossTenantOpportunityFixture : SwitchboardHost
{
    public Guid ForeignOpportunity { get; private set; }
    public Guid ForeignProduct { get; private set; }
    public Guid ForeignPipeline { get; private set; }
    public Guid ForeignStage { get; private set; }
    public HttpClient AdminOfA { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var a = await CreateTenantAsync("opp-a");
        var b = await CreateTenantAsync("opp-b");
        using var adminOfB = await LoginAsync(b.Email("admin"));
        ForeignOpportunity = (await OpportunityTestData.CreateAsync(adminOfB, new { name = "Secret deal" })).Id();
        ForeignProduct = (await (await adminOfB.PostAsJsonAsync("/api/v1/products", new { name = "Secret", price = 10 })).JsonAsync()).Id();
        var pipeline = await OpportunityTestData.DefaultPipelineAsync(adminOfB);
        ForeignPipeline = pipeline.Id();
        ForeignStage = pipeline.GetProperty("stages")[1].Id();
        AdminOfA = await LoginAsync(a.Email("admin"));
    }
}

/// <summary>Another tenant's ids are a 404 (or a field error when referenced) and never show up in lists.</summary>
public sealed class CrossTenantOpportunityTests(CrossTenantOpportunityFixture fixture) : IClassFixture<CrossTenantOpportunityFixture>
{
    private HttpClient Admin => fixture.AdminOfA;

    [Fact]
    public async Task Reading_updating_and_deleting_another_tenants_opportunity_is_not_found()
    {
        var url = $"/api/v1/opportunities/{fixture.ForeignOpportunity}";

        (await Admin.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Admin.PatchAsJsonAsync(url, new { name = "Hijacked" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Admin.DeleteAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Admin.GetAsync(url + "/products")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_tenants_product_and_pipeline_are_not_found()
    {
        (await Admin.GetAsync($"/api/v1/products/{fixture.ForeignProduct}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Admin.PatchAsJsonAsync($"/api/v1/pipelines/{fixture.ForeignPipeline}", new { name = "Mine" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Admin.GetAsync($"/api/v1/opportunities/board?pipelineId={fixture.ForeignPipeline}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_tenants_stage_cannot_be_used()
    {
        var response = await Admin.PostAsJsonAsync("/api/v1/opportunities", new { name = "Sneaky", stageId = fixture.ForeignStage });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("errors").TryGetProperty("stageId", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Another_tenants_opportunity_never_appears_in_a_list()
    {
        var list = await Admin.GetFromJsonAsync<JsonElement>("/api/v1/opportunities?q=secret");
        var products = await Admin.GetFromJsonAsync<JsonElement>("/api/v1/products?q=secret");

        list.GetProperty("total").GetInt32().ShouldBe(0);
        products.GetProperty("total").GetInt32().ShouldBe(0);
    }
}
