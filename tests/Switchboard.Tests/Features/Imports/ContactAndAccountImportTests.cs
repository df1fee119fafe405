using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using static Switchboard.Tests.Features.Imports.ImportClient;

namespace Switchboard.Tests.Features.Imports;

public sealed class ContactAndAccountImportTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private static string Unique() => Guid.NewGuid().ToString("N")[..8];

    private async Task<List<JsonElement>> ListAsync(string collection, string q)
    {
        var admin = await host.As("admin");
        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/{collection}?q={Uri.EscapeDataString(q)}&pageSize=50");
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    [Fact]
    public async Task Accounts_import_with_normalized_domains_and_match_on_domain()
    {
        var tag = Unique();
        var admin = await host.As("admin");
        (await admin.PostAsJsonAsync("/api/v1/accounts", new { name = $"Old {tag}", domain = $"old-{tag}.example" })).EnsureSuccessStatusCode();
        var csv = $"Company,Website,Employees,Country,External Id\nRenamed {tag},https://www.OLD-{tag}.example/about,11-50,us,acc-{tag}-1\nFresh {tag},fresh-{tag}.example,,GB,acc-{tag}-2\n";

        var import = await RunAsync(admin, Utf8(csv), "accounts", mode: "upsert");

        import.GetProperty("matchOn").EnumerateArray().Select(k => k.GetString()).ShouldBe(["domain"]);
        (import.Count("created"), import.Count("updated")).ShouldBe((1, 1));
        var renamed = (await ListAsync("accounts", $"old-{tag}")).Single();
        (renamed.GetProperty("name").GetString(), renamed.GetProperty("size").GetString(), renamed.GetProperty("country").GetString())
            .ShouldBe(($"Renamed {tag}", "11-50", "US"));
        (await ListAsync("accounts", $"fresh-{tag}")).Single().GetProperty("country").GetString().ShouldBe("GB");
    }

    [Fact]
    public async Task Contacts_import_links_accounts_by_name_and_adds_a_new_email_to_a_matched_contact()
    {
        var tag = Unique();
        var admin = await host.As("admin");
        var account = await (await admin.PostAsJsonAsync("/api/v1/accounts", new { name = $"Globex {tag}" })).Content.ReadFromJsonAsync<JsonElement>();
        (await admin.PostAsJsonAsync("/api/v1/contacts", new { lastName = "Simpson", phones = new[] { "+14155550177" }, emails = new[] { $"homer.{tag}@example.com" } }))
            .EnsureSuccessStatusCode();
        var csv = $"first,last,email,phone,account\nHomer,Simpson,homer.work.{tag}@example.com,(415) 555-0177,globex {tag}\nMarge,Simpson,marge.{tag}@example.com,,Nope {tag}\n";

        var import = await RunAsync(admin, Utf8(csv), "contacts", mode: "upsert", matchOn: "phone");

        (import.Count("updated"), import.Count("failed")).ShouldBe((1, 1));
        var homer = (await ListAsync("contacts", $"homer.{tag}")).Single();
        homer.GetProperty("emails").EnumerateArray().Select(e => e.GetString()).ShouldBe([$"homer.{tag}@example.com", $"homer.work.{tag}@example.com"]);
        homer.GetProperty("accountId").GetGuid().ShouldBe(account.GetProperty("id").GetGuid());
        (await ErrorsAsync(admin, import.Id()))[1][3].ShouldBe($"No account is named 'Nope {tag}' or has it as external id.");
    }

    [Fact]
    public async Task Matching_on_a_key_the_entity_lacks_is_a_400()
    {
        var admin = await host.As("admin");

        var response = await admin.PostAsync("/api/v1/imports", Form(Utf8("name\nX\n"), "accounts", mode: "upsert", matchOn: "email"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("matchOn")[0].GetString()!.ShouldContain("not a match key for accounts");
    }

    [Fact]
    public async Task Upsert_without_a_mapped_match_key_is_a_400()
    {
        var admin = await host.As("admin");

        var response = await admin.PostAsync("/api/v1/imports", Form(Utf8("last\nX\n"), "contacts", mode: "upsert"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("matchOn")[0].GetString()!.ShouldContain("needs a match key");
    }

    [Fact]
    public async Task A_draft_can_be_previewed_remapped_and_started()
    {
        var tag = Unique();
        var admin = await host.As("admin");
        var created = await admin.PostAsync("/api/v1/imports", Form(Utf8($"Who,Mail,Tel\nDraft {tag},draft.{tag}@example.com,12\n"), "leads", start: false));
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).Id();

        var patched = await admin.PatchAsJsonAsync($"/api/v1/imports/{id}", new { mapping = JsonSerializer.Serialize(new { Who = "lastName", Mail = "email", Tel = "phone" }) });
        patched.StatusCode.ShouldBe(HttpStatusCode.OK);
        var preview = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}/preview");
        var row = preview.GetProperty("rows")[0];
        row.GetProperty("cells").EnumerateArray().Select(c => c.GetString()).ShouldBe([$"Draft {tag}", $"draft.{tag}@example.com", "12"]);
        row.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("column").GetString()).ShouldBe(["Tel"]);
        (await admin.PostAsync($"/api/v1/imports/{id}/start", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var done = await WaitAsync(admin, id);
        (done.Count("created"), done.Count("failed")).ShouldBe((0, 1));
        (await admin.PostAsync($"/api/v1/imports/{id}/start", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_draft_mapping_naming_a_column_the_file_lacks_is_a_400()
    {
        var admin = await host.As("admin");
        var created = await admin.PostAsync("/api/v1/imports", Form(Utf8("email;last\na@example.com;A\n"), "leads", start: false));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).Id();

        var response = await admin.PatchAsJsonAsync($"/api/v1/imports/{id}", new { delimiter = "comma", mapping = JsonSerializer.Serialize(new { email = "email" }) });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("mapping")[0].GetString().ShouldBe("The file has no column 'email'.");
    }

    [Fact]
    public async Task A_draft_never_started_is_deleted_with_its_file_when_its_week_is_up()
    {
        var admin = await host.As("admin");
        var created = await admin.PostAsync("/api/v1/imports", Form(Utf8("email,last\na@example.com,A\n"), "leads", start: false));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).Id();
        await using var connection = new Npgsql.NpgsqlConnection(host.Database.SuperuserConnectionString);
        await connection.OpenAsync();
        await using (var due = new Npgsql.NpgsqlCommand($"update jobs set run_at = now() where idempotency_key = 'import-expire:{id}' and run_at > now() + interval '6 days'", connection))
            (await due.ExecuteNonQueryAsync()).ShouldBe(1);

        await Eventually.Until(async () => (await admin.GetAsync($"/api/v1/imports/{id}")).StatusCode,
            status => status == HttpStatusCode.NotFound, "the expired draft to be deleted");
        await using var files = new Npgsql.NpgsqlCommand($"select count(*) from import_files where import_id = '{id}'", connection);
        ((long)(await files.ExecuteScalarAsync())!).ShouldBe(0);
    }

    [Fact]
    public async Task Another_tenants_import_is_a_404()
    {
        var admin = await host.As("admin");
        var import = await RunAsync(admin, Utf8($"email,lastName\nt.{Unique()}@example.com,T\n"), "leads");
        var other = await host.CreateTenantAsync("other-imports");
        var outsider = await host.LoginAsync(other.Email("admin"));

        (await outsider.GetAsync($"/api/v1/imports/{import.Id()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await outsider.GetAsync($"/api/v1/imports/{import.Id()}/errors")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await outsider.PostAsync($"/api/v1/imports/{import.Id()}/undo", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
