using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using static Switchboard.Tests.Features.Lists.ListApi;

namespace Switchboard.Tests.Features.Lists;

/// <summary>The fixture tenant, plus a second tenant whose admin owns a view of its own.</summary>
public sealed class SavedViewsHost : SwitchboardHostWithTenant
{
    public Guid ForeignView { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var other = await CreateTenantAsync("views-b");
        using var adminOfOther = await LoginAsync(other.Email("admin"));
        ForeignView = await CreateAsync(adminOfOther, "/api/v1/views", new { entity = "lead", name = "Theirs", shared = true, definition = new { filters = Array.Empty<object>() } });
    }
}

/// <summary>Saved views: private or shared visibility, who may change them, validation, tenancy and the audit trail.</summary>
public sealed class SavedViewTests(SavedViewsHost host) : IClassFixture<SavedViewsHost>
{
    private static object Definition(string status = "qualified") => new
    {
        filters = new[] { new { field = "status", op = "eq", value = status } },
        columns = new[] { "company", "status" },
        sort = "-createdAt",
        search = "acme",
    };

    private async Task<Guid> ViewAsync(string role, bool shared, string? name = null) =>
        await CreateAsync(await host.As(role), "/api/v1/views", new { entity = "lead", name = name ?? "View " + Tag(), shared, definition = Definition() });

    [Fact]
    public async Task A_view_keeps_its_filters_columns_sort_and_search()
    {
        var id = await ViewAsync("agent", shared: false);

        var view = await (await host.As("agent")).GetFromJsonAsync<JsonElement>($"/api/v1/views/{id}");

        var definition = view.GetProperty("definition");
        definition.GetProperty("filters")[0].GetProperty("field").GetString().ShouldBe("status");
        definition.GetProperty("filters")[0].GetProperty("value").GetString().ShouldBe("qualified");
        definition.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).ShouldBe(["company", "status"]);
        definition.GetProperty("sort").GetString().ShouldBe("-createdAt");
        definition.GetProperty("search").GetString().ShouldBe("acme");
    }

    [Fact]
    public async Task A_private_view_is_not_found_by_anyone_else()
    {
        var id = await ViewAsync("agent", shared: false);

        (await (await host.As("agent2")).GetAsync($"/api/v1/views/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await host.As("admin")).GetAsync($"/api/v1/views/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await NamesAsync(await host.As("admin"), "/api/v1/views?entity=lead", "id")).ShouldNotContain(id.ToString());
    }

    [Fact]
    public async Task A_shared_view_is_listed_for_the_whole_tenant()
    {
        var id = await ViewAsync("agent", shared: true);

        (await NamesAsync(await host.As("readonly"), "/api/v1/views?entity=lead", "id")).ShouldContain(id.ToString());
    }

    [Fact]
    public async Task Another_agent_cannot_change_or_delete_a_shared_view()
    {
        var id = await ViewAsync("agent", shared: true);
        var other = await host.As("agent2");

        (await other.PatchAsJsonAsync($"/api/v1/views/{id}", new { name = "Hijacked" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await other.DeleteAsync($"/api/v1/views/{id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_manager_can_change_and_delete_a_shared_view()
    {
        var id = await ViewAsync("agent", shared: true);
        var manager = await host.As("manager");

        (await manager.PatchAsJsonAsync($"/api/v1/views/{id}", new { name = "Team pipeline" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await manager.DeleteAsync($"/api/v1/views/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task The_owner_can_change_a_private_view()
    {
        var id = await ViewAsync("agent", shared: false);

        var response = await (await host.As("agent")).PatchAsJsonAsync($"/api/v1/views/{id}", new { definition = Definition("contacted") });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("definition").GetProperty("filters")[0].GetProperty("value").GetString().ShouldBe("contacted");
    }

    [Fact]
    public async Task A_definition_with_an_unknown_field_or_column_is_a_400()
    {
        var response = await (await host.As("agent")).PostAsJsonAsync("/api/v1/views", new
        {
            entity = "lead", name = "Broken",
            definition = new { filters = new[] { new { field = "shoeSize", op = "eq", value = "42" } }, columns = new[] { "nope" } },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorsAsync(response)).Keys.ShouldBe(["definition.filter.shoeSize", "definition.columns"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("""{ "entity": "lead", "name": "", "definition": {} }""", "name")]
    [InlineData("""{ "entity": "widget", "name": "x", "definition": {} }""", "entity")]
    [InlineData("""{ "entity": "lead", "name": "x", "definition": [] }""", "definition")]
    [InlineData("""{ "entity": "lead", "name": "x", "definition": { "filters": "status" } }""", "definition")]
    [InlineData("""{ "entity": "lead", "name": "x", "definition": { "colour": "red" } }""", "definition")]
    [InlineData("""{ "entity": "lead", "name": "x", "definition": { "sort": "shoeSize" } }""", "definition.sort")]
    [InlineData("""{ "entity": "lead", "name": "x" }""", "definition")]
    [InlineData("""{ "entity": "lead", "name": "a\u0000b", "definition": {} }""", "name")]
    [InlineData("""{ "entity": "lead", "name": "x", "definition": { "search": "a\u0000b" } }""", "definition")]
    public async Task A_malformed_view_is_a_400_naming_the_field(string body, string field)
    {
        var response = await (await host.As("agent")).PostAsync("/api/v1/views", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorsAsync(response)).Keys.ShouldContain(field);
    }

    [Fact]
    public async Task Another_tenants_view_is_not_found_for_every_verb()
    {
        var admin = await host.As("admin");

        (await admin.GetAsync($"/api/v1/views/{host.ForeignView}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.PatchAsJsonAsync($"/api/v1/views/{host.ForeignView}", new { name = "Hijacked" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.DeleteAsync($"/api/v1/views/{host.ForeignView}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await NamesAsync(admin, "/api/v1/views", "id")).ShouldNotContain(host.ForeignView.ToString());
    }

    [Fact]
    public async Task Saving_and_deleting_a_view_is_audited()
    {
        var id = await ViewAsync("manager", shared: true);
        (await (await host.As("manager")).DeleteAsync($"/api/v1/views/{id}")).EnsureSuccessStatusCode();

        var audit = await (await host.As("admin")).GetFromJsonAsync<JsonElement>($"/api/v1/audit?entity=saved-view&entityId={id}");

        audit.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("action").GetString()).ShouldBe(["deleted", "created"], ignoreOrder: true);
    }
}
