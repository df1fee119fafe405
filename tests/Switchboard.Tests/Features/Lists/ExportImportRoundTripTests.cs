using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using Switchboard.Tests.Features.Imports;

namespace Switchboard.Tests.Features.Lists;

/// <summary>An export is a file another Switchboard reads back: exported leads import into another tenant as the same records.</summary>
public sealed class ExportImportRoundTripTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private static readonly string[] Compared = ["firstName", "lastName", "company", "title", "email", "phone", "status", "source", "notes"];

    [Fact]
    public async Task Leads_exported_from_one_tenant_import_into_another_as_the_same_records()
    {
        var admin = await host.As("admin");
        var tag = "Roundtrip " + Guid.NewGuid().ToString("N")[..6];
        object[] leads =
        [
            new { firstName = "Ada", lastName = "Lovelace", company = tag, title = "Chief, Analytics", email = "ada@roundtrip.example", phone = "+44 20 7946 0958", status = "qualified", source = "Web form", notes = "Said \"call me\"\nafter 5", ownerId = host.Tenant.Users["manager"] },
            new { firstName = "Grace", lastName = "Hopper", company = tag, title = "=SUM(1)", email = "grace@roundtrip.example", phone = "+1 212 555 0100", status = "contacted", source = "-", ownerId = host.Tenant.Users["manager"] },
            new { firstName = "Émile", lastName = "Zola", company = tag, status = "new" },
        ];
        foreach (var lead in leads) (await admin.PostAsJsonAsync("/api/v1/leads", lead)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var csv = await admin.GetByteArrayAsync($"/api/v1/leads/export?filter.company=eq:{Uri.EscapeDataString(tag)}&columns={string.Join(',', Compared)},ownerId&sort=name");
        var other = await host.CreateTenantAsync("roundtrip");
        using var otherAdmin = await host.LoginAsync(other.Email("admin"));
        var import = await ImportClient.RunAsync(otherAdmin, csv, "lead");

        import.GetProperty("status").GetString().ShouldBe("completed", import.ToString());
        import.Count("created").ShouldBe(3);
        var original = await LeadsAsync(admin, tag);
        var copied = await LeadsAsync(otherAdmin, tag);
        copied.Select(Fields).ShouldBe(original.Select(Fields));
        copied.Select(l => l.GetProperty("ownerId").ToString()).ShouldBe(
            original.Select(l => l.GetProperty("ownerId").ValueKind == JsonValueKind.Null ? "" : other.Users["manager"].ToString()));
    }

    private static async Task<List<JsonElement>> LeadsAsync(HttpClient client, string company)
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/leads?filter.company=eq:{Uri.EscapeDataString(company)}&sort=name&pageSize=50");
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    private static string Fields(JsonElement lead) => string.Join(" | ", Compared.Select(f => lead.GetProperty(f).ToString()));
}
