using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.CustomFields;

/// <summary>Every CRM entity's API validates custom fields the way leads do (required, type, unknown key, merge by key).</summary>
public sealed class CrmCustomFieldsTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>
{
    public static TheoryData<string, string, string> Entities => new()
    {
        { "account", "/api/v1/accounts", """{"name":"Globex"}""" },
        { "contact", "/api/v1/contacts", """{"lastName":"Simpson"}""" },
        { "opportunity", "/api/v1/opportunities", """{"name":"Globex renewal"}""" },
    };

    [Theory]
    [MemberData(nameof(Entities))]
    public async Task Required_typed_and_unknown_custom_fields_are_checked_on_create_and_patch(string entity, string path, string body)
    {
        var tenant = await host.CreateTenantAsync("crmcf");
        var admin = await host.LoginAsync(tenant.Email("admin"));
        (await admin.PostAsJsonAsync("/api/v1/custom-fields", new { entity, key = "seats", label = "Seats", type = "number", required = true })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/custom-fields", new { entity, key = "tier", label = "Tier", type = "single-select", options = new[] { "Gold", "Silver" } })).EnsureSuccessStatusCode();
        JsonElement With(string custom) => JsonDocument.Parse(body.TrimEnd('}') + $",\"custom\":{custom}}}").RootElement;

        await ShouldBeInvalidAsync(await admin.PostAsJsonAsync(path, JsonDocument.Parse(body).RootElement), "custom.seats");
        await ShouldBeInvalidAsync(await admin.PostAsJsonAsync(path, With("""{"seats":"many"}""")), "custom.seats");
        await ShouldBeInvalidAsync(await admin.PostAsJsonAsync(path, With("""{"seats":3,"colour":"red"}""")), "custom.colour");
        var created = await admin.PostAsJsonAsync(path, With("""{"seats":"12","tier":"gold"}"""));
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var record = await created.Content.ReadFromJsonAsync<JsonElement>();
        record.GetProperty("custom").GetProperty("seats").GetDecimal().ShouldBe(12m);
        record.GetProperty("custom").GetProperty("tier").GetString().ShouldBe("Gold");

        var id = record.GetProperty("id").GetGuid();
        var cleared = await admin.PatchAsync($"{path}/{id}", JsonContent.Create(new { custom = new { seats = (int?)null } }));
        await ShouldBeInvalidAsync(cleared, "custom.seats");
        var patched = await admin.PatchAsync($"{path}/{id}", JsonContent.Create(new { custom = new { tier = "Silver" } }));
        patched.StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = (await patched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("custom");
        after.GetProperty("seats").GetDecimal().ShouldBe(12m);
        after.GetProperty("tier").GetString().ShouldBe("Silver");
    }

    private static async Task ShouldBeInvalidAsync(HttpResponseMessage response, string field)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue($"expected an error on {field}");
    }
}
