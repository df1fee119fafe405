using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Audit;

/// <summary>
/// The audit log's filters, in the API and on the page: actor (a member, or a kind of actor), action, and days in the
/// tenant's zone (America/New_York: 2024-03-05 03:30Z is still 4 March there). Rows with fixed times are written as
/// the runtime role inside the tenant, as any writer would.
/// </summary>
public sealed class AuditFilterTests(AuditFilterTests.Host host) : IClassFixture<AuditFilterTests.Host>
{
    public sealed class Host : SwitchboardHostWithTenant
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            (await (await As("manager")).PostAsJsonAsync("/api/v1/leads", new { lastName = "By the manager" })).EnsureSuccessStatusCode();
            (await (await As("admin")).PostAsJsonAsync("/api/v1/accounts", new { name = "By the admin" })).EnsureSuccessStatusCode();
            await using var conn = await new AuditSql(Database).RuntimeInTenantAsync(Tenant.Id);
            await AuditSql.InsertAsync(conn, Tenant.Id, "call.blocked", DateTimeOffset.Parse("2024-03-05T03:30:00Z", System.Globalization.CultureInfo.InvariantCulture), """{"day": "march 4"}""");
            await AuditSql.InsertAsync(conn, Tenant.Id, "call.blocked", DateTimeOffset.Parse("2024-03-05T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture), """{"day": "march 5"}""");
        }
    }

    private static IReadOnlyList<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray().ToList();

    private async Task<IReadOnlyList<JsonElement>> ListAsync(string query) =>
        Items(await (await host.As("admin")).GetFromJsonAsync<JsonElement>("/api/v1/audit?pageSize=200&" + query));

    [Fact]
    public async Task A_member_filter_lists_only_what_that_member_did()
    {
        var manager = host.Tenant.Users["manager"];

        var rows = await ListAsync($"actorType=user&actorId={manager}");

        rows.ShouldNotBeEmpty();
        rows.ShouldAllBe(r => r.GetProperty("actorId").GetGuid() == manager && r.GetProperty("actorType").GetString() == "user");
        rows.ShouldContain(r => r.GetProperty("entityType").GetString() == "lead" && r.GetProperty("action").GetString() == "created");
    }

    [Fact]
    public async Task An_actor_type_filter_lists_only_that_kind_of_actor()
    {
        var rows = await ListAsync("actorType=system");

        rows.Count.ShouldBe(2);
        rows.ShouldAllBe(r => r.GetProperty("actorType").GetString() == "system" && r.GetProperty("actorId").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task An_action_filter_lists_only_that_action()
    {
        var rows = await ListAsync("action=created&entity=account");

        rows.ShouldHaveSingleItem().GetProperty("actorId").GetGuid().ShouldBe(host.Tenant.Users["admin"]);
    }

    [Theory]
    [InlineData("from=2024-03-04&to=2024-03-04", "march 4")]
    [InlineData("from=2024-03-05&to=2024-03-05", "march 5")]
    [InlineData("from=2024-03-05&to=2024-03-31", "march 5")]
    public async Task Days_are_the_tenants_days(string range, string day)
    {
        var rows = await ListAsync("action=call.blocked&" + range);

        rows.ShouldHaveSingleItem().GetProperty("changes").GetProperty("day").GetString().ShouldBe(day);
    }

    [Fact]
    public async Task A_range_with_only_a_start_runs_to_now()
    {
        (await ListAsync("action=call.blocked&from=2024-03-05")).Count.ShouldBe(1);
        (await ListAsync("action=call.blocked&to=2024-03-03")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("action=sign-in", "action")]
    [InlineData("actorType=robot", "actorType")]
    [InlineData("actorId=me", "actorId")]
    [InlineData("from=2024-02-30", "from")]
    [InlineData("to=03/05/2024", "to")]
    [InlineData("from=2024-03-06&to=2024-03-05", "from")]
    public async Task A_malformed_filter_is_a_400_naming_it(string query, string field)
    {
        await AuditSql.ShouldBeInvalidOnAsync(await (await host.As("admin")).GetAsync("/api/v1/audit?" + query), field);
    }

    [Fact]
    public async Task The_page_offers_members_actor_kinds_and_the_logs_actions_and_filters_by_them()
    {
        using var admin = await BrowserAsync();
        var manager = host.Tenant.Users["manager"];

        var html = WebUtility.HtmlDecode(await admin.GetStringAsync($"/audit?actor={manager}&action=created&from=2024-01-01"));

        html.ShouldContain($"<option value=\"{manager}\" selected=\"selected\">manager User</option>");
        html.ShouldContain("<option value=\"system\">System</option>");
        html.ShouldContain("<option value=\"ai\">AI</option>");
        html.ShouldContain("<option value=\"created\" selected=\"selected\">Created</option>");
        html.ShouldContain("<option value=\"call.blocked\">Call blocked</option>");
        html.ShouldContain("value=\"2024-01-01\"");
        html.ShouldContain("<span class=\"cell-main\">manager User</span>");
        html.ShouldNotContain("<span class=\"cell-main\">admin User</span>");
        html.ShouldContain("Clear filters");
    }

    [Fact]
    public async Task A_bad_filter_on_the_page_is_shown_not_a_server_error()
    {
        using var admin = await BrowserAsync();

        var response = await admin.GetAsync("/audit?from=tomorrow");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("From must be a date written YYYY-MM-DD.");
    }

    private async Task<HttpClient> BrowserAsync()
    {
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, host.Tenant.Email("admin"));
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
    }
}
