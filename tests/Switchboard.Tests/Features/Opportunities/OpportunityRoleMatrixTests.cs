using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Opportunities;

/// <summary>Every role against opportunities, pipelines and products, through the API.</summary>
public sealed class OpportunityRoleMatrixTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private async Task<Guid> OpportunityOwnedBy(string role) =>
        (await OpportunityTestData.CreateAsync(await host.As("manager"), new { name = "Deal of " + role, ownerId = host.Tenant.Users[role] })).Id();

    [Theory]
    [InlineData("superadmin", true)]
    [InlineData("admin", true)]
    [InlineData("manager", true)]
    [InlineData("agent", false)]
    [InlineData("readonly", true)]
    public async Task Viewing_another_agents_opportunity_follows_the_role_matrix(string role, bool allowed)
    {
        var opportunity = await OpportunityOwnedBy("agent2");
        var client = await host.As(role);

        var single = await client.GetAsync($"/api/v1/opportunities/{opportunity}");
        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/opportunities?pageSize=200");
        var board = await client.GetFromJsonAsync<JsonElement>("/api/v1/opportunities/board");

        single.StatusCode.ShouldBe(allowed ? HttpStatusCode.OK : HttpStatusCode.NotFound);
        list.GetProperty("items").EnumerateArray().Any(o => o.Id() == opportunity).ShouldBe(allowed);
        board.GetProperty("stages").EnumerateArray().SelectMany(s => s.GetProperty("opportunities").EnumerateArray())
            .Any(o => o.Id() == opportunity).ShouldBe(allowed);
    }

    [Theory]
    [InlineData("superadmin", HttpStatusCode.Created)]
    [InlineData("admin", HttpStatusCode.Created)]
    [InlineData("manager", HttpStatusCode.Created)]
    [InlineData("agent", HttpStatusCode.Created)]
    [InlineData("readonly", HttpStatusCode.Forbidden)]
    public async Task Creating_an_opportunity_follows_the_role_matrix(string role, HttpStatusCode expected)
    {
        var client = await host.As(role);

        var response = await client.PostAsJsonAsync("/api/v1/opportunities", new { name = "New deal" });

        response.StatusCode.ShouldBe(expected);
    }

    [Fact]
    public async Task Agent_cannot_create_an_opportunity_owned_by_someone_else()
    {
        var agent = await host.As("agent");

        var response = await agent.PostAsJsonAsync("/api/v1/opportunities", new { name = "Theirs", ownerId = host.Tenant.Users["agent2"] });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("superadmin", "agent2", HttpStatusCode.OK)]
    [InlineData("admin", "agent2", HttpStatusCode.OK)]
    [InlineData("manager", "agent2", HttpStatusCode.OK)]
    [InlineData("agent", "agent", HttpStatusCode.OK)]
    [InlineData("agent", "agent2", HttpStatusCode.NotFound)]
    [InlineData("readonly", "agent2", HttpStatusCode.Forbidden)]
    public async Task Editing_an_opportunity_follows_the_role_matrix(string role, string owner, HttpStatusCode expected)
    {
        var opportunity = await OpportunityOwnedBy(owner);
        var client = await host.As(role);

        var response = await client.PatchAsJsonAsync($"/api/v1/opportunities/{opportunity}", new { amount = 1200 });

        response.StatusCode.ShouldBe(expected);
    }

    [Theory]
    [InlineData("superadmin", HttpStatusCode.NoContent)]
    [InlineData("admin", HttpStatusCode.NoContent)]
    [InlineData("manager", HttpStatusCode.Forbidden)]
    [InlineData("agent", HttpStatusCode.Forbidden)]
    [InlineData("readonly", HttpStatusCode.Forbidden)]
    public async Task Deleting_an_opportunity_follows_the_role_matrix(string role, HttpStatusCode expected)
    {
        var opportunity = await OpportunityOwnedBy(role is "agent" ? "agent" : "agent2");
        var client = await host.As(role);

        var response = await client.DeleteAsync($"/api/v1/opportunities/{opportunity}");

        response.StatusCode.ShouldBe(expected);
    }

    [Theory]
    [InlineData("superadmin", HttpStatusCode.Created)]
    [InlineData("admin", HttpStatusCode.Created)]
    [InlineData("manager", HttpStatusCode.Created)]
    [InlineData("agent", HttpStatusCode.Forbidden)]
    [InlineData("readonly", HttpStatusCode.Forbidden)]
    public async Task Managing_products_follows_the_role_matrix(string role, HttpStatusCode expected)
    {
        var client = await host.As(role);

        var response = await client.PostAsJsonAsync("/api/v1/products", new { name = "Seat licence " + role, type = "subscription", price = 49.5 });

        response.StatusCode.ShouldBe(expected);
        (await client.GetAsync("/api/v1/products")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("superadmin", HttpStatusCode.Created)]
    [InlineData("admin", HttpStatusCode.Created)]
    [InlineData("manager", HttpStatusCode.Forbidden)]
    [InlineData("agent", HttpStatusCode.Forbidden)]
    [InlineData("readonly", HttpStatusCode.Forbidden)]
    public async Task Managing_pipelines_is_for_admins(string role, HttpStatusCode expected)
    {
        var client = await host.As(role);

        var response = await client.PostAsJsonAsync("/api/v1/pipelines", new
        {
            name = "Renewals " + role,
            stages = new object[] { new { name = "Open", probability = 40 }, new { name = "Won", kind = "won" }, new { name = "Lost", kind = "lost" } },
        });

        response.StatusCode.ShouldBe(expected);
        (await client.GetAsync("/api/v1/pipelines")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
