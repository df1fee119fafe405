using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Leads;

/// <summary>The lead list's search parameter: a case-insensitive substring of name, company or email, or of the phone's digits.</summary>
public sealed class LeadListSearchTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        var manager = await host.As("manager");
        if ((await Names(manager, "Wolstenholme")).Count > 0) return; // the class fixture is shared
        (await manager.PostAsJsonAsync("/api/v1/leads", new { firstName = "Edith", lastName = "Wolstenholme", company = "Tarn_Valley Mills", email = "edith@tarnvalley.example", phone = "(212) 555-0134" })).EnsureSuccessStatusCode();
        (await manager.PostAsJsonAsync("/api/v1/leads", new { firstName = "Edwin", lastName = "Wolstencroft", company = "TarnXValley Works", phone = "(212) 555-0135" })).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("EDITH WOLST", "Wolstenholme")]        // across first and last name, any case
    [InlineData("tarn_valley", "Wolstenholme")]        // an underscore is a character, not a wildcard
    [InlineData("tarnvalley.example", "Wolstenholme")] // email
    [InlineData("555 0135", "Wolstencroft")]           // phone digits, written any way
    public async Task Search_matches_a_substring_of_name_company_email_or_phone_digits(string search, string expected)
    {
        (await Names(await host.As("manager"), search)).ShouldBe([expected]);
    }

    [Fact]
    public async Task A_shared_prefix_finds_both()
    {
        (await Names(await host.As("manager"), "wolsten")).Count.ShouldBe(2);
    }

    private static async Task<List<string>> Names(HttpClient client, string search) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/leads?search={Uri.EscapeDataString(search)}&pageSize=50"))
            .GetProperty("items").EnumerateArray().Select(l => l.GetProperty("lastName").GetString()!).ToList();
}
