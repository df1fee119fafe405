using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.CustomFields;

/// <summary>Custom fields on the leads API. Each test uses its own tenant, so one test's required fields never affect another's.</summary>
public sealed class LeadCustomFieldsApiTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>
{
    [Fact]
    public async Task Creating_a_lead_without_a_required_field_is_refused_naming_it()
    {
        var admin = await TenantWithFieldsAsync(new { entity = "lead", key = "region", label = "Region", type = "text", required = true });

        var response = await admin.PostAsJsonAsync("/api/v1/leads", new { lastName = "Byron" });

        await ShouldBeInvalidAsync(response, "custom.region");
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_refused()
    {
        var admin = await TenantWithFieldsAsync(new { entity = "lead", key = "score", label = "Score", type = "number" });

        var response = await admin.PostAsJsonAsync("/api/v1/leads", new { lastName = "Byron", custom = new { score = "lots" } });

        await ShouldBeInvalidAsync(response, "custom.score");
    }

    [Fact]
    public async Task An_unknown_key_is_refused()
    {
        var admin = await TenantWithFieldsAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/leads", new { lastName = "Byron", custom = new { colour = "red" } });

        await ShouldBeInvalidAsync(response, "custom.colour");
    }

    [Fact]
    public async Task Values_are_stored_normalized_and_returned_on_read()
    {
        var admin = await TenantWithFieldsAsync(
            new { entity = "lead", key = "tier", label = "Tier", type = "single-select", options = new[] { "Gold", "Silver" } },
            new { entity = "lead", key = "vip", label = "VIP", type = "boolean" });

        var id = await CreateLeadAsync(admin, new { lastName = "Byron", custom = new { tier = "gold", vip = "yes" } });
        var lead = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{id}");

        lead.GetProperty("custom").GetProperty("tier").GetString().ShouldBe("Gold");
        lead.GetProperty("custom").GetProperty("vip").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task A_merge_patch_changes_one_key_and_keeps_the_others()
    {
        var admin = await TenantWithFieldsAsync(
            new { entity = "lead", key = "region", label = "Region", type = "text" },
            new { entity = "lead", key = "score", label = "Score", type = "number" });
        var id = await CreateLeadAsync(admin, new { lastName = "Byron", custom = new { region = "North", score = 5 } });

        var response = await admin.PatchAsJsonAsync($"/api/v1/leads/{id}", new { custom = new { score = 8 } });

        var custom = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("custom");
        custom.GetProperty("region").GetString().ShouldBe("North");
        custom.GetProperty("score").GetDecimal().ShouldBe(8m);
    }

    [Fact]
    public async Task Null_clears_an_optional_field_but_not_a_required_one()
    {
        var admin = await TenantWithFieldsAsync(
            new { entity = "lead", key = "region", label = "Region", type = "text", required = true },
            new { entity = "lead", key = "nickname", label = "Nickname", type = "text" });
        var id = await CreateLeadAsync(admin, new { lastName = "Byron", custom = new { region = "North", nickname = "B" } });

        var cleared = await admin.PatchAsync($"/api/v1/leads/{id}", Json(new { custom = new Dictionary<string, object?> { ["nickname"] = null } }));
        var refused = await admin.PatchAsync($"/api/v1/leads/{id}", Json(new { custom = new Dictionary<string, object?> { ["region"] = null } }));

        var custom = (await cleared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("custom");
        custom.TryGetProperty("nickname", out _).ShouldBeFalse();
        custom.GetProperty("region").GetString().ShouldBe("North");
        await ShouldBeInvalidAsync(refused, "custom.region");
    }

    [Fact]
    public async Task Leads_filter_by_a_custom_field_with_the_value_normalized()
    {
        var admin = await TenantWithFieldsAsync(
            new { entity = "lead", key = "tier", label = "Tier", type = "single-select", options = new[] { "Gold", "Silver" } },
            new { entity = "lead", key = "vip", label = "VIP", type = "boolean" });
        var gold = await CreateLeadAsync(admin, new { lastName = "Gold VIP", custom = new { tier = "Gold", vip = true } });
        await CreateLeadAsync(admin, new { lastName = "Gold plain", custom = new { tier = "Gold", vip = false } });
        await CreateLeadAsync(admin, new { lastName = "Silver VIP", custom = new { tier = "Silver", vip = true } });

        var page = await admin.GetFromJsonAsync<JsonElement>("/api/v1/leads?custom.tier=gold&custom.vip=yes");

        page.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("id").GetGuid()).ShouldBe([gold]);
    }

    [Fact]
    public async Task Filtering_by_an_unknown_custom_field_is_refused()
    {
        var admin = await TenantWithFieldsAsync();

        var response = await admin.GetAsync("/api/v1/leads?custom.nothing=1");

        await ShouldBeInvalidAsync(response, "custom.nothing");
    }

    [Fact]
    public async Task Leads_sort_by_a_number_field_numerically()
    {
        var admin = await TenantWithFieldsAsync(new { entity = "lead", key = "score", label = "Score", type = "number" });
        await CreateLeadAsync(admin, new { lastName = "Ten", custom = new { score = 10 } });
        await CreateLeadAsync(admin, new { lastName = "Nine", custom = new { score = 9 } });
        await CreateLeadAsync(admin, new { lastName = "Eleven", custom = new { score = 11 } });

        var page = await admin.GetFromJsonAsync<JsonElement>("/api/v1/leads?sort=-custom.score");

        page.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("lastName").GetString()).ShouldBe(["Eleven", "Ten", "Nine"]);
    }

    private async Task<HttpClient> TenantWithFieldsAsync(params object[] fields)
    {
        var tenant = await host.CreateTenantAsync("cf");
        var admin = await host.LoginAsync(tenant.Email("admin"));
        foreach (var field in fields) await CustomFieldsApiTests.CreateAsync(admin, field);
        return admin;
    }

    private static async Task<Guid> CreateLeadAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/leads", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task ShouldBeInvalidAsync(HttpResponseMessage response, string field)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
