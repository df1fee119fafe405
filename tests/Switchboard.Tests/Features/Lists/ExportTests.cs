using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Switchboard.Features.Export;
using Switchboard.Testing;
using static Switchboard.Tests.Features.Lists.ListApi;

namespace Switchboard.Tests.Features.Lists;

/// <summary>GET /api/v1/{entity}/export: the list's filters and columns as CSV, for admins and managers, audited.</summary>
public sealed class ExportTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private static async Task<List<List<string>>> CsvAsync(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"Export failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        return ParseCsv(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_export_has_the_lists_filters_columns_and_sort()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        await CreateAsync(admin, "/api/v1/leads", new { lastName = "Beta", company = tag, status = "qualified", email = $"b{tag}@x.example" });
        await CreateAsync(admin, "/api/v1/leads", new { lastName = "Alpha", company = tag, status = "qualified", email = $"a{tag}@x.example" });
        await CreateAsync(admin, "/api/v1/leads", new { lastName = "Gamma", company = tag, status = "new" });

        var csv = await CsvAsync(await admin.GetAsync($"/api/v1/leads/export?filter.company=eq:{tag}&filter.status=eq:qualified&columns=lastName,email,status&sort=name"));

        csv.ShouldBe([["Last name", "Email", "Status"], ["Alpha", $"a{tag}@x.example", "qualified"], ["Beta", $"b{tag}@x.example", "qualified"]]);
    }

    [Fact]
    public async Task Without_columns_an_export_writes_the_name_then_the_default_columns_and_phones_as_they_are()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        await CreateAsync(admin, "/api/v1/leads", new { firstName = "Ada", lastName = "Lovelace", company = tag, phone = "+1 415 555 0100" });

        var csv = await CsvAsync(await admin.GetAsync($"/api/v1/leads/export?filter.company=eq:{tag}"));

        csv[0].ShouldBe(["Name", "Company", "Status", "Owner", "Phone", "Created"]);
        csv[1][0].ShouldBe("Ada Lovelace");
        csv[1][4].ShouldBe("+14155550100");
    }

    [Fact]
    public async Task Name_and_email_are_columns_an_export_can_ask_for()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        await CreateAsync(admin, "/api/v1/leads", new { firstName = "Ada", lastName = "Lovelace", company = tag, email = $"ada{tag}@x.example" });

        var csv = await CsvAsync(await admin.GetAsync($"/api/v1/leads/export?filter.company=eq:{tag}&columns=email,name"));

        csv.ShouldBe([["Email", "Name"], [$"ada{tag}@x.example", "Ada Lovelace"]]);
    }

    [Fact]
    public async Task Custom_fields_export_as_columns()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        var tags = await CustomFieldAsync(admin, "account", "multi-select", "Partner", "Reseller", "Press");
        var budget = await CustomFieldAsync(admin, "account", "currency");
        await CreateAsync(admin, "/api/v1/accounts", new { name = $"Acme {tag}", custom = new Dictionary<string, object> { [tags] = new[] { "Press", "Partner" }, [budget] = 1250.5 } });

        var csv = await CsvAsync(await admin.GetAsync($"/api/v1/accounts/export?q={tag}&columns=name,custom.{tags},custom.{budget}"));

        csv.ShouldBe([["Name", "Field " + tags, "Field " + budget], [$"Acme {tag}", "Partner;Press", "1250.50"]]);
    }

    [Fact]
    public async Task A_manager_exports_opportunities_with_stage_names()
    {
        var manager = await host.As("manager");
        var tag = Tag();
        await CreateAsync(manager, "/api/v1/opportunities", new { name = $"Deal {tag}", amount = 900 });

        var csv = await CsvAsync(await manager.GetAsync($"/api/v1/opportunities/export?q={tag}&columns=name,stageId,status,amount"));

        csv.Count.ShouldBe(2);
        csv[1][0].ShouldBe($"Deal {tag}");
        csv[1][1].ShouldNotBeEmpty();
        Guid.TryParse(csv[1][1], out _).ShouldBeFalse();
        csv[1][2..].ShouldBe(["open", "900.00"]);
    }

    [Fact]
    public async Task A_contact_export_follows_a_saved_view()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        await CreateAsync(admin, "/api/v1/contacts", new { lastName = "Chosen", title = $"CFO {tag}" });
        await CreateAsync(admin, "/api/v1/contacts", new { lastName = "Other", title = $"Intern {tag}" });
        var view = await CreateAsync(admin, "/api/v1/views", new
        {
            entity = "contact", name = "CFOs",
            definition = new { filters = new[] { new { field = "title", op = "starts", value = "cfo" } }, columns = new[] { "lastName", "title" } },
        });

        var csv = await CsvAsync(await admin.GetAsync($"/api/v1/contacts/export?viewId={view}&filter.title=contains:{tag}"));

        csv.ShouldBe([["Last name", "Title"], ["Chosen", $"CFO {tag}"]]);
    }

    [Theory]
    [InlineData("agent")]
    [InlineData("readonly")]
    public async Task Agents_and_readonly_users_cannot_export(string role)
    {
        var response = await (await host.As(role)).GetAsync("/api/v1/leads/export");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_bad_filter_is_a_400_before_anything_is_streamed()
    {
        var response = await (await host.As("admin")).GetAsync("/api/v1/leads/export?filter.shoeSize=eq:42");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorsAsync(response)).Keys.ShouldContain("filter.shoeSize");
    }

    [Fact]
    public async Task Another_users_private_view_cannot_be_exported()
    {
        var view = await CreateAsync(await host.As("agent"), "/api/v1/views", new { entity = "lead", name = "Private", definition = new { } });

        (await (await host.As("admin")).GetAsync($"/api/v1/leads/export?viewId={view}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Every_export_is_audited_with_its_filters_and_row_count()
    {
        var manager = await host.As("manager");
        var tag = Tag();
        await CreateAsync(manager, "/api/v1/leads", new { lastName = "One", company = tag });
        await CreateAsync(manager, "/api/v1/leads", new { lastName = "Two", company = tag });

        (await CsvAsync(await manager.GetAsync($"/api/v1/leads/export?filter.company=eq:{tag}"))).Count.ShouldBe(3);

        var audit = await (await host.As("admin")).GetFromJsonAsync<JsonElement>("/api/v1/audit?action=export.downloaded&entity=lead&pageSize=200");
        var entry = audit.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("changes").GetProperty("filters").ToString().Contains(tag));
        entry.GetProperty("actorId").GetGuid().ShouldBe(host.Tenant.Users["manager"]);
        entry.GetProperty("changes").GetProperty("rows").GetInt64().ShouldBe(2);
        entry.GetProperty("changes").GetProperty("completed").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Quotes_commas_line_breaks_and_formulas_come_back_intact_and_inert()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        await CreateAsync(admin, "/api/v1/leads", new { lastName = "=HYPERLINK(\"http://evil.example\")", firstName = "@SUM(A1)", company = tag, notes = "Line one,\r\n\"quoted\" line two" });

        var csv = await CsvAsync(await admin.GetAsync($"/api/v1/leads/export?filter.company=eq:{tag}&columns=lastName,firstName,notes"));

        csv[1].ShouldBe(["'=HYPERLINK(\"http://evil.example\")", "'@SUM(A1)", "Line one,\r\n\"quoted\" line two"]);
    }

    [Fact]
    public async Task Five_thousand_leads_stream_out_complete_and_well_formed()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        await using (var conn = new NpgsqlConnection(host.Database.SuperuserConnectionString))
        {
            await conn.OpenAsync();
            await using var insert = new NpgsqlCommand("""
                insert into leads (tenant_id, id, first_name, last_name, company, status, created_at, updated_at)
                select $1, gen_random_uuid(), 'Bulk, "' || n || '"', 'Lead' || lpad(n::text, 5, '0'), $2, 'new', now(), now()
                from generate_series(1, 5000) n
                """, conn);
            insert.Parameters.Add(new NpgsqlParameter { Value = host.Tenant.Id });
            insert.Parameters.Add(new NpgsqlParameter { Value = tag });
            await insert.ExecuteNonQueryAsync();
        }

        using var response = await admin.GetAsync($"/api/v1/leads/export?filter.company=eq:{tag}&columns=lastName,firstName&sort=name", HttpCompletionOption.ResponseHeadersRead);
        var csv = await CsvAsync(response);

        csv.Count.ShouldBe(5001);
        csv.Skip(1).Select(r => r[0]).ShouldBe(Enumerable.Range(1, 5000).Select(n => $"Lead{n:00000}"));
        csv.Skip(1).All(r => r.Count == 2 && r[1] == $"Bulk, \"{int.Parse(r[0][4..])}\"").ShouldBeTrue();
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1 212", "'+1 212")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0")]
    [InlineData("\tx", "'\tx")]
    [InlineData("+14155550100", "+14155550100")]
    [InlineData("-2", "-2")]
    [InlineData("-12.5", "-12.5")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("=a,b", "\"'=a,b\"")]
    [InlineData("", "")]
    public void A_cell_is_quoted_per_RFC_4180_and_guarded_against_formulas(string text, string cell) =>
        Csv.Cell(text).ShouldBe(cell);
}
