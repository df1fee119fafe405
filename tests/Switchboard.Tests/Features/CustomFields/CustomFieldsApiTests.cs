using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.CustomFields;

public sealed class CustomFieldsApiTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Fact]
    public async Task Admin_adds_a_field_that_everyone_in_the_tenant_can_read()
    {
        var admin = await host.As("admin");
        var agent = await host.As("agent");

        var created = await admin.PostAsJsonAsync("/api/v1/custom-fields", new { entity = "lead", key = "industryCode", label = "Industry code", type = "text" });
        var list = await agent.GetFromJsonAsync<JsonElement>("/api/v1/custom-fields?entity=lead");

        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        list.EnumerateArray().Select(f => f.GetProperty("key").GetString()).ShouldContain("industryCode");
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("agent")]
    [InlineData("readonly")]
    public async Task Only_admins_manage_fields(string role)
    {
        var client = await host.As(role);

        var response = await client.PostAsJsonAsync("/api/v1/custom-fields", new { entity = "lead", key = "by" + role, label = "X", type = "text" });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("Bad-Key", "text", null, "key")]
    [InlineData("goodKey", "colour", null, "type")]
    [InlineData("pickOne", "single-select", null, "options")]
    [InlineData("plainText", "text", "A", "options")]
    public async Task Invalid_definitions_are_refused_with_the_field_named(string key, string type, string? option, string errorField)
    {
        var admin = await host.As("admin");

        var response = await admin.PostAsJsonAsync("/api/v1/custom-fields", new { entity = "lead", key, label = "Label", type, options = option is null ? Array.Empty<string>() : [option] });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(errorField, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task A_key_is_unique_per_entity_but_may_repeat_across_entities()
    {
        var admin = await host.As("admin");
        await admin.PostAsJsonAsync("/api/v1/custom-fields", new { entity = "lead", key = "shared", label = "Shared", type = "text" });

        var again = await admin.PostAsJsonAsync("/api/v1/custom-fields", new { entity = "lead", key = "shared", label = "Again", type = "text" });
        var onAccounts = await admin.PostAsJsonAsync("/api/v1/custom-fields", new { entity = "account", key = "shared", label = "Shared", type = "text" });

        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        onAccounts.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Key_and_type_cannot_change_but_label_and_options_can()
    {
        var admin = await host.As("admin");
        var field = await CreateAsync(admin, new { entity = "lead", key = "tier", label = "Tier", type = "single-select", options = new[] { "Gold" } });

        var keyChange = await admin.PatchAsJsonAsync($"/api/v1/custom-fields/{field}", new { key = "level" });
        var typeChange = await admin.PatchAsJsonAsync($"/api/v1/custom-fields/{field}", new { type = "text" });
        var edit = await admin.PatchAsJsonAsync($"/api/v1/custom-fields/{field}", new { label = "Customer tier", options = new[] { "Gold", "Silver" } });

        keyChange.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        typeChange.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var edited = await edit.Content.ReadFromJsonAsync<JsonElement>();
        edited.GetProperty("label").GetString().ShouldBe("Customer tier");
        edited.GetProperty("options").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task Delete_retires_the_field_and_the_change_is_audited()
    {
        var admin = await host.As("admin");
        var field = await CreateAsync(admin, new { entity = "lead", key = "oldField", label = "Old", type = "text" });

        var deleted = await admin.DeleteAsync($"/api/v1/custom-fields/{field}");
        var after = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/custom-fields/{field}");
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?entity=custom-field&entityId={field}");

        deleted.StatusCode.ShouldBe(HttpStatusCode.OK);
        after.GetProperty("active").GetBoolean().ShouldBeFalse();
        audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ShouldBe(["updated", "created"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_field_of_another_tenant_is_not_found()
    {
        var other = await host.CreateTenantAsync("other");
        using var otherAdmin = await host.LoginAsync(other.Email("admin"));
        var field = await CreateAsync(otherAdmin, new { entity = "lead", key = "secret", label = "Secret", type = "text" });
        var admin = await host.As("admin");

        var response = await admin.PatchAsJsonAsync($"/api/v1/custom-fields/{field}", new { label = "Mine now" });

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    internal static async Task<Guid> CreateAsync(HttpClient admin, object body)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/custom-fields", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
