using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Accounts;

/// <summary>List search takes %, _ and \ in a term as text (emails are full of underscores), in every CRM list.</summary>
public sealed class CrmListSearchTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Theory]
    [InlineData("/api/v1/accounts", "name", "q")]
    [InlineData("/api/v1/opportunities", "name", "q")]
    [InlineData("/api/v1/products", "name", "q")]
    public async Task An_underscore_in_the_term_matches_only_an_underscore(string path, string field, string param)
    {
        var admin = await host.As("admin");
        var tag = Guid.NewGuid().ToString("N")[..8];
        foreach (var name in new[] { $"Tarn_{tag} Mills", $"TarnX{tag} Works" })
        {
            object body = path.EndsWith("products") ? new { name, price = 10, currency = "USD" } : new Dictionary<string, object> { [field] = name };
            (await admin.PostAsJsonAsync(path, body)).EnsureSuccessStatusCode();
        }

        var found = await admin.GetFromJsonAsync<JsonElement>($"{path}?{param}={Uri.EscapeDataString($"tarn_{tag}")}&pageSize=50");

        found.GetProperty("items").EnumerateArray().Select(i => i.GetProperty(field).GetString()).ShouldBe([$"Tarn_{tag} Mills"]);
    }

    [Fact]
    public async Task A_contact_is_found_by_an_email_with_an_underscore()
    {
        var admin = await host.As("admin");
        var tag = Guid.NewGuid().ToString("N")[..8];
        (await admin.PostAsJsonAsync("/api/v1/contacts", new { lastName = "Underscore", emails = new[] { $"jo_{tag}@example.com" } })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/contacts", new { lastName = "Lookalike", emails = new[] { $"joX{tag}@example.com" } })).EnsureSuccessStatusCode();

        var found = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/contacts?q={Uri.EscapeDataString($"jo_{tag}")}");

        found.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("lastName").GetString()).ShouldBe(["Underscore"]);
    }
}
