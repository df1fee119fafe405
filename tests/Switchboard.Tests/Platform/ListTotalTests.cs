using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Switchboard.Platform.Web;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

/// <summary>List totals are counted up to <see cref="PageRequest.CountAhead"/> rows past the page, then reported as a lower bound.</summary>
public sealed class ListTotalTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>, IAsyncLifetime
{
    private const int Leads = PageRequest.CountAhead + 100;

    public async Task InitializeAsync()
    {
        // More leads than are counted exactly; inserted by SQL in the tenant (row-level security on), as an import would.
        await using var conn = new NpgsqlConnection(host.Database.OwnerConnectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var tenant = new NpgsqlCommand("select set_config('app.tenant_id', $1, true)", conn, tx) { Parameters = { new() { Value = host.Tenant.Id.ToString() } } })
            await tenant.ExecuteNonQueryAsync();
        await using (var insert = new NpgsqlCommand("""
            insert into leads (tenant_id, id, first_name, last_name, status, owner_id, created_at, updated_at)
            select $1, gen_random_uuid(), 'Bulk', 'Lead ' || g, 'new', $2, now(), now() from generate_series(1, $3) g
            where not exists (select 1 from leads where first_name = 'Bulk') -- the class fixture is shared by the tests
            """, conn, tx)
        {
            Parameters = { new() { Value = host.Tenant.Id }, new() { Value = host.Tenant.Users["agent"] }, new() { Value = Leads } },
        })
            await insert.ExecuteNonQueryAsync();
        await tx.CommitAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_list_longer_than_the_counted_rows_reports_its_total_as_a_lower_bound()
    {
        var page = await (await host.As("manager")).GetFromJsonAsync<JsonElement>("/api/v1/leads?pageSize=10");

        page.GetProperty("total").GetInt32().ShouldBe(PageRequest.CountAhead + 1);
        page.GetProperty("totalIsLowerBound").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task The_lead_list_page_shows_a_lower_bound_total_with_a_plus()
    {
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, host.Tenant.Email("manager"));
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = host.BaseAddress };

        var html = System.Net.WebUtility.HtmlDecode(await browser.GetStringAsync("/leads"));

        html.ShouldContain($"<strong>{PageRequest.CountAhead + 1:N0}+</strong> leads");
        html.ShouldContain("of 21+</span>");
    }

    [Fact]
    public async Task A_page_near_the_end_counts_the_total_exactly()
    {
        var page = await (await host.As("manager")).GetFromJsonAsync<JsonElement>("/api/v1/leads?pageSize=10&page=100");

        page.GetProperty("total").GetInt32().ShouldBe(Leads);
        page.GetProperty("totalIsLowerBound").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task A_filtered_list_shorter_than_a_page_counts_exactly()
    {
        var page = await (await host.As("manager")).GetFromJsonAsync<JsonElement>("/api/v1/leads?search=lead%20100&pageSize=50");

        page.GetProperty("total").GetInt32().ShouldBe(page.GetProperty("items").GetArrayLength());
        page.GetProperty("totalIsLowerBound").GetBoolean().ShouldBeFalse();
    }
}
