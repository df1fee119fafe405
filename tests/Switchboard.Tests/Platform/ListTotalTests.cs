using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Switchboard.Platform.Web;
using Switchboard.Testing;
using Switchboard.Ui.Lists;

namespace Switchboard.Tests.Platform;

/// <summary>
/// List totals are exact up to <see cref="PageRequest.ExactCountLimit"/> matching rows and PostgreSQL's estimate
/// beyond, flagged <c>totalIsEstimate</c>. The leads (1,100: more than the 1,000 the lists used to count) show the
/// exact side; the do-not-call list, whose rows are cheap to insert by the hundred thousand, shows both sides of the limit.
/// </summary>
public sealed class ListTotalTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>, IAsyncLifetime
{
    private const int Leads = 1_100;
    /// <summary>Do-not-call numbers starting +1555: exactly the limit, so a search for them counts exactly.</summary>
    private const int AtTheLimit = PageRequest.ExactCountLimit;
    /// <summary>More numbers, starting +1666, taking the whole list past the limit.</summary>
    private const int PastTheLimit = 50;

    public async Task InitializeAsync()
    {
        // Inserted by SQL in the tenant (row-level security on), as an import would; the class fixture is shared by the tests.
        await using var conn = new NpgsqlConnection(host.Database.OwnerConnectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        async Task RunAsync(string sql, params object[] values)
        {
            await using var command = new NpgsqlCommand(sql, conn, tx);
            foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
            await command.ExecuteNonQueryAsync();
        }
        await RunAsync("select set_config('app.tenant_id', $1, true)", host.Tenant.Id.ToString());
        await RunAsync("""
            insert into leads (tenant_id, id, first_name, last_name, status, owner_id, created_at, updated_at)
            select $1, gen_random_uuid(), 'Bulk', 'Lead ' || g, 'new', $2, now(), now() from generate_series(1, $3) g
            where not exists (select 1 from leads where first_name = 'Bulk')
            """, host.Tenant.Id, host.Tenant.Users["agent"], Leads);
        await RunAsync("""
            insert into dnc_numbers (tenant_id, phone, source, created_at)
            select $1, '+1555' || lpad(g::text, 7, '0'), 'import', now() from generate_series(1, $2) g
            union all
            select $1, '+1666' || lpad(g::text, 7, '0'), 'import', now() from generate_series(1, $3) g
            on conflict do nothing
            """, host.Tenant.Id, AtTheLimit, PastTheLimit);
        await tx.CommitAsync();
        await using var analyze = new NpgsqlCommand("analyze leads, dnc_numbers", conn);
        await analyze.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_list_of_a_thousand_and_more_rows_counts_them_exactly()
    {
        var page = await (await host.As("manager")).GetFromJsonAsync<JsonElement>("/api/v1/leads?pageSize=10&search=bulk");

        page.GetProperty("total").GetInt32().ShouldBe(Leads);
        page.GetProperty("totalIsLowerBound").GetBoolean().ShouldBeFalse();
        page.GetProperty("totalIsEstimate").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task The_lead_list_page_shows_the_exact_total_and_page_count()
    {
        var html = await PageAsync("/leads?q=bulk");

        html.ShouldContain($"<strong>{Leads:N0}</strong> leads");
        html.ShouldContain("of 22</span>");
    }

    [Fact]
    public async Task Exactly_the_limit_of_matching_rows_is_still_counted_exactly()
    {
        var page = await (await host.As("admin")).GetFromJsonAsync<JsonElement>("/api/v1/dnc?search=1555&pageSize=10");

        page.GetProperty("total").GetInt32().ShouldBe(AtTheLimit);
        page.GetProperty("totalIsEstimate").GetBoolean().ShouldBeFalse();
        page.GetProperty("totalIsLowerBound").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Past_the_limit_the_total_is_postgresqls_estimate_and_says_so()
    {
        var page = await (await host.As("admin")).GetFromJsonAsync<JsonElement>("/api/v1/dnc?pageSize=10");

        page.GetProperty("totalIsEstimate").GetBoolean().ShouldBeTrue();
        page.GetProperty("totalIsLowerBound").GetBoolean().ShouldBeFalse();
        // The table was analyzed: the planner knows its size to within a few percent; never fewer than were counted.
        page.GetProperty("total").GetInt32().ShouldBeInRange(PageRequest.ExactCountLimit + 1, (AtTheLimit + PastTheLimit) * 11 / 10);
    }

    [Fact]
    public async Task A_full_page_past_the_limit_keeps_a_next_page_whatever_the_estimate()
    {
        // Page 2,001 of 50 is rows 100,001–100,050: full, so the total is at least its end plus one (a Next link).
        var page = await (await host.As("admin")).GetFromJsonAsync<JsonElement>("/api/v1/dnc?pageSize=50&page=2001");

        page.GetProperty("items").GetArrayLength().ShouldBe(50);
        page.GetProperty("total").GetInt32().ShouldBeGreaterThan(AtTheLimit + PastTheLimit);
        page.GetProperty("totalIsEstimate").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task A_short_last_page_past_the_limit_knows_the_total_without_counting()
    {
        var page = await (await host.As("admin")).GetFromJsonAsync<JsonElement>("/api/v1/dnc?pageSize=40&page=2502");

        page.GetProperty("items").GetArrayLength().ShouldBe(10);
        page.GetProperty("total").GetInt32().ShouldBe(AtTheLimit + PastTheLimit);
        page.GetProperty("totalIsEstimate").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task The_do_not_call_page_marks_an_estimated_total_as_about()
    {
        var html = await PageAsync("/settings/dnc");

        html.ShouldMatch(@"of about [\d,]+ · about [\d,]+ numbers");
    }

    [Theory]
    [InlineData(1_034_567, "about 1,000,000")]
    [InlineData(123_456, "about 120,000")]
    [InlineData(100_001, "about 100,000")]
    [InlineData(155_000, "about 160,000")]
    public void An_estimate_reads_as_about_two_significant_digits(int total, string reads) =>
        ListTotals.Count(new PagedList<int>([], total, 1, 50) { TotalIsEstimate = true }).ShouldBe(reads);

    [Fact]
    public void A_lower_bound_reads_with_a_plus_and_an_exact_total_as_it_is()
    {
        ListTotals.Count(new PagedList<int>([], 1_001, 1, 50) { TotalIsLowerBound = true }).ShouldBe("1,001+");
        ListTotals.Count(new PagedList<int>([], 3_080, 1, 50)).ShouldBe("3,080");
        ListTotals.Pages(new PagedList<int>([], 3_080, 1, 50)).ShouldBe("62");
    }

    private async Task<string> PageAsync(string path)
    {
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, host.Tenant.Email("admin"));
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = host.BaseAddress };
        return System.Net.WebUtility.HtmlDecode(await browser.GetStringAsync(path));
    }
}
