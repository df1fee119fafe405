using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

/// <summary>The OpenAPI document describes the request bodies the API really binds, member by member.</summary>
public sealed class OpenApiDocumentTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>, IAsyncLifetime
{
    private JsonElement _document;

    public async Task InitializeAsync()
    {
        using var client = host.CreateClient();
        _document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private JsonElement Schema(string name) => _document.GetProperty("components").GetProperty("schemas").GetProperty(name);

    [Fact]
    public void A_write_body_lists_its_members_with_their_value_types_each_allowing_null()
    {
        var properties = Schema("LeadWrite").GetProperty("properties");

        Types(properties.GetProperty("lastName")).ShouldBe(["null", "string"]);
        Types(properties.GetProperty("doNotCall")).ShouldBe(["boolean", "null"]);
        Types(properties.GetProperty("version")).ShouldBe(["integer", "null"]);
        properties.GetProperty("ownerId").GetProperty("format").GetString().ShouldBe("uuid");
        Types(properties.GetProperty("custom")).ShouldBe(["null", "object"]);
    }

    [Fact]
    public void A_write_body_allows_no_other_members_and_its_wrapper_type_stays_out_of_the_document()
    {
        Schema("LeadWrite").GetProperty("additionalProperties").GetBoolean().ShouldBeFalse();
        Schema("LeadWrite").GetProperty("properties").TryGetProperty("unknownMembers", out _).ShouldBeFalse();
        _document.GetProperty("components").GetProperty("schemas").EnumerateObject()
            .Select(s => s.Name).ShouldNotContain(name => name.StartsWith("Optional"));
    }

    [Fact]
    public void Create_and_merge_patch_take_the_same_write_body()
    {
        var lead = _document.GetProperty("paths").GetProperty("/api/v1/leads/{id}").GetProperty("patch").GetProperty("requestBody").GetProperty("content");
        var create = _document.GetProperty("paths").GetProperty("/api/v1/leads").GetProperty("post").GetProperty("requestBody").GetProperty("content");

        lead.GetProperty("application/merge-patch+json").GetProperty("schema").GetProperty("$ref").GetString().ShouldBe("#/components/schemas/LeadWrite");
        create.GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString().ShouldBe("#/components/schemas/LeadWrite");
    }

    [Fact]
    public void A_nested_part_is_described_by_its_own_write_body()
    {
        var contact = Schema("LeadConversionWrite").GetProperty("properties").GetProperty("contact");

        contact.ToString().ShouldContain("#/components/schemas/ContactWrite");
        Schema("ContactWrite").GetProperty("properties").GetProperty("emails").GetProperty("type").ToString().ShouldContain("array");
    }

    [Theory]
    [InlineData("/api/v1/activities", "ActivityWrite")]
    [InlineData("/api/v1/notes", "NoteWrite")]
    [InlineData("/api/v1/views", "ViewWrite")]
    [InlineData("/api/v1/custom-fields", "CustomFieldWrite")]
    public void Each_feature_creates_with_its_write_body(string path, string schema)
    {
        var create = _document.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("requestBody").GetProperty("content");

        create.GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString().ShouldBe("#/components/schemas/" + schema);
        Schema(schema).GetProperty("additionalProperties").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public void A_view_definition_and_the_module_switches_are_described_member_by_member()
    {
        Schema("ViewWrite").GetProperty("properties").GetProperty("definition").ToString().ShouldContain("#/components/schemas/ViewDefinition");
        Schema("ViewDefinition").GetProperty("properties").GetProperty("filters").GetProperty("type").ToString().ShouldContain("array");
        Types(Schema("CustomFieldWrite").GetProperty("properties").GetProperty("options")).ShouldBe(["array", "null"]);
        var modules = _document.GetProperty("paths").GetProperty("/api/v1/modules").GetProperty("patch").GetProperty("requestBody").GetProperty("content");
        modules.GetProperty("application/merge-patch+json").GetProperty("schema").GetProperty("$ref").GetString().ShouldBe("#/components/schemas/ModulesWrite");
        Types(Schema("ModulesWrite").GetProperty("properties").GetProperty("products")).ShouldBe(["boolean", "null"]);
    }

    [Fact]
    public void A_body_whose_members_a_provider_declares_allows_other_members()
    {
        var schema = Schema("ProviderSettingsWrite");

        Types(schema.GetProperty("properties").GetProperty("active")).ShouldBe(["boolean", "null"]);
        (schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False).ShouldBeFalse();
    }

    private static string[] Types(JsonElement schema) => schema.GetProperty("type") is { ValueKind: JsonValueKind.Array } types
        ? types.EnumerateArray().Select(t => t.GetString()!).Order().ToArray()
        : [schema.GetProperty("type").GetString()!];
}
