using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Switchboard.Platform.Audit;
using Switchboard.Platform.Csv;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Audit;

/// <summary>The audit export (CSV and JSON): the rows the filters select, oldest first, checkable on their own, audited, one tenant's only.</summary>
public sealed class AuditExportTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private static string Tag() => "exp" + Guid.NewGuid().ToString("N")[..8];

    private static async Task CreateLeadAsync(HttpClient client, string company) =>
        (await client.PostAsJsonAsync("/api/v1/leads", new { lastName = "Exported", company })).EnsureSuccessStatusCode();

    private static async Task<JsonElement> JsonExportAsync(HttpClient client, string query = "")
    {
        var response = await client.GetAsync("/api/v1/audit/export?format=json" + query);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task The_json_export_holds_the_whole_chain_in_order_and_every_row_checks_against_its_hash()
    {
        var admin = await host.As("admin");
        await CreateLeadAsync(admin, "Naïve \"Quotes\", Inc.\nSecond line");

        var rows = (await JsonExportAsync(admin)).EnumerateArray().ToList();

        rows.Count.ShouldBeGreaterThan(3);
        rows.Select(r => r.GetProperty("seq").GetInt64()).ShouldBe(Enumerable.Range(1, rows.Count).Select(i => (long)i));
        string? previous = null;
        foreach (var row in rows)
        {
            var chained = new ChainRow
            {
                Id = row.GetProperty("id").GetGuid(), TenantId = row.GetProperty("tenantId").GetGuid(), Seq = row.GetProperty("seq").GetInt64(),
                OccurredAt = DateTimeOffset.Parse(row.GetProperty("occurredAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                ActorType = row.GetProperty("actorType").GetString()!, ActorId = row.GetProperty("actorId").ValueKind == JsonValueKind.Null ? null : row.GetProperty("actorId").GetGuid(),
                ActorName = row.GetProperty("actorName").GetString(), Action = row.GetProperty("action").GetString()!,
                EntityType = row.GetProperty("entityType").GetString(), EntityId = row.GetProperty("entityId").GetString(),
                Changes = row.GetProperty("changes").ValueKind == JsonValueKind.Null ? null : row.GetProperty("changes").GetRawText(),
                Ip = row.GetProperty("ip").GetString(), UserAgent = row.GetProperty("userAgent").GetString(),
                PrevHash = row.GetProperty("prevHash").GetString() is { } prev ? Convert.FromHexString(prev) : null,
            };
            row.GetProperty("prevHash").GetString().ShouldBe(previous);
            Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(AuditCanonical.Of(chained)))).ShouldBe(row.GetProperty("rowHash").GetString());
            previous = row.GetProperty("rowHash").GetString();
        }
    }

    [Fact]
    public async Task The_csv_export_has_a_header_and_one_record_per_row_the_filters_select()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        await CreateLeadAsync(await host.As("manager"), tag);

        var response = await admin.GetAsync($"/api/v1/audit/export?format=csv&entity=lead&action=created&actorType=user&actorId={host.Tenant.Users["manager"]}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        response.Content.Headers.ContentDisposition!.FileName!.Trim('"').ShouldStartWith($"audit-{host.Tenant.Slug}-");
        var records = await CsvAsync(response);
        records[0].ShouldBe(["id", "tenant_id", "seq", "occurred_at", "actor_type", "actor_id", "actor_name", "action", "entity_type", "entity_id", "changes", "ip", "user_agent", "prev_hash", "row_hash"]);
        records.Skip(1).ShouldAllBe(r => r[7] == "created" && r[8] == "lead" && r[5] == host.Tenant.Users["manager"].ToString());
        records.Skip(1).Count(r => r[10].Contains(tag)).ShouldBe(1);
        records.Skip(1).Select(r => long.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture)).ShouldBeInOrder();
    }

    [Fact]
    public async Task Another_tenants_rows_never_appear_in_an_export()
    {
        var other = await host.CreateTenantAsync("elsewhere");
        using var otherAdmin = await host.LoginAsync(other.Email("admin"));
        var theirs = Tag();
        await CreateLeadAsync(otherAdmin, theirs);
        var admin = await host.As("admin");

        var csv = await (await admin.GetAsync("/api/v1/audit/export?format=csv")).Content.ReadAsStringAsync();
        var json = await JsonExportAsync(admin);
        var theirsExported = await JsonExportAsync(otherAdmin);

        csv.ShouldNotContain(theirs);
        csv.ShouldNotContain(other.Id.ToString());
        json.EnumerateArray().ShouldAllBe(r => r.GetProperty("tenantId").GetGuid() == host.Tenant.Id);
        theirsExported.EnumerateArray().ShouldAllBe(r => r.GetProperty("tenantId").GetGuid() == other.Id);
        theirsExported.GetRawText().ShouldContain(theirs);
    }

    [Fact]
    public async Task An_export_is_audited_with_what_was_asked_and_how_many_rows_left()
    {
        var admin = await host.As("admin");
        var exported = (await JsonExportAsync(admin, "&entity=lead")).GetArrayLength();

        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=audit.exported&pageSize=1");

        var entry = audit.GetProperty("items")[0];
        entry.GetProperty("actorId").GetGuid().ShouldBe(host.Tenant.Users["admin"]);
        entry.GetProperty("entityType").GetString().ShouldBe("audit-log");
        entry.GetProperty("changes").GetProperty("format").GetString().ShouldBe("json");
        entry.GetProperty("changes").GetProperty("filters").GetProperty("entity").GetString().ShouldBe("lead");
        entry.GetProperty("changes").GetProperty("rows").GetInt64().ShouldBe(exported);
        entry.GetProperty("changes").GetProperty("completed").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Days_before_the_first_row_export_nothing_but_the_header()
    {
        var records = await CsvAsync(await (await host.As("admin")).GetAsync("/api/v1/audit/export?format=csv&from=2001-01-01&to=2001-12-31"));

        records.ShouldHaveSingleItem()[0].ShouldBe("id");
    }

    [Theory]
    [InlineData("format=xml", "format")]
    [InlineData("format=csv&from=yesterday", "from")]
    [InlineData("format=json&action=export", "action")]
    public async Task A_bad_export_request_is_a_400_naming_the_field(string query, string field)
    {
        await AuditSql.ShouldBeInvalidOnAsync(await (await host.As("admin")).GetAsync("/api/v1/audit/export?" + query), field);
    }

    [Fact]
    public async Task Only_administrators_export_the_audit_log()
    {
        (await (await host.As("manager")).GetAsync("/api/v1/audit/export?format=csv")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_pages_export_link_downloads_the_filtered_rows()
    {
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, host.Tenant.Email("admin"));
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        var tag = Tag();
        await CreateLeadAsync(await host.As("admin"), tag);

        var page = await browser.GetStringAsync("/audit?entity=lead");
        var link = System.Text.RegularExpressions.Regex.Match(page, "href=\"([^\"]*handler=export[^\"]*format=csv[^\"]*)\"").Groups[1].Value;
        var response = await browser.GetAsync(System.Net.WebUtility.HtmlDecode(link));

        link.ShouldContain("entity=lead");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var records = await CsvAsync(response);
        records.Skip(1).ShouldAllBe(r => r[8] == "lead");
        records.Skip(1).ShouldContain(r => r[10].Contains(tag));
    }

    /// <summary>The records of a CSV response, read by the import's parser.</summary>
    private static async Task<List<string[]>> CsvAsync(HttpResponseMessage response)
    {
        var parser = new CsvParser(new StringReader((await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF')), ',');
        var records = new List<string[]>();
        while (parser.Read() is { } row) records.Add([.. row.Fields]);
        return records;
    }
}
