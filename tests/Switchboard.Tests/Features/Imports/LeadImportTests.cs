using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Switchboard.Testing;
using static Switchboard.Tests.Features.Imports.ImportClient;

namespace Switchboard.Tests.Features.Imports;

/// <summary>Importing leads through /api/v1/imports, end to end: upload, background run, records, error CSV, undo.</summary>
public sealed class LeadImportTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private static string Unique() => Guid.NewGuid().ToString("N")[..8];

    private async Task<JsonElement?> LeadByEmailAsync(string email)
    {
        var admin = await host.As("admin");
        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/leads?search={Uri.EscapeDataString(email)}&pageSize=5");
        var items = page.GetProperty("items").EnumerateArray().Where(l => l.GetProperty("email").GetString() == email).ToList();
        items.Count.ShouldBeLessThanOrEqualTo(1);
        return items.Count == 1 ? items[0] : null;
    }

    [Fact]
    public async Task Create_mode_imports_leads_with_phones_in_E164_using_the_tenants_country()
    {
        var tag = Unique();
        var admin = await host.As("admin");
        var csv = $"First Name,Last Name,E-mail,Phone,Company\nAda,Lovelace,ada.{tag}@example.com,(415) 555-0100,Analytical\nAlan,Turing,ALAN.{tag}@example.com,+44 20 7946 0018,Bletchley\n";

        var import = await RunAsync(admin, Utf8(csv), "leads");

        import.GetProperty("status").GetString().ShouldBe("completed");
        (import.Count("total"), import.Count("created"), import.Count("updated"), import.Count("skipped"), import.Count("failed")).ShouldBe((2, 2, 0, 0, 0));
        var ada = (await LeadByEmailAsync($"ada.{tag}@example.com"))!.Value;
        ada.GetProperty("phone").GetString().ShouldBe("+14155550100");
        ada.GetProperty("company").GetString().ShouldBe("Analytical");
        ada.GetProperty("status").GetString().ShouldBe("new");
        (await LeadByEmailAsync($"alan.{tag}@example.com"))!.Value.GetProperty("phone").GetString().ShouldBe("+442079460018");
    }

    [Fact]
    public async Task Duplicates_inside_the_file_are_skipped_and_reported_with_the_row_they_repeat()
    {
        var tag = Unique();
        var admin = await host.As("admin");
        var csv = $"email,lastName\nsame.{tag}@example.com,First\nother.{tag}@example.com,Other\nSAME.{tag}@example.com,Second\n";

        var import = await RunAsync(admin, Utf8(csv), "leads", matchOn: "email");

        (import.Count("created"), import.Count("skipped")).ShouldBe((2, 1));
        (await LeadByEmailAsync($"same.{tag}@example.com"))!.Value.GetProperty("lastName").GetString().ShouldBe("First");
        var errors = await ErrorsAsync(admin, import.Id());
        errors[0].ShouldBe(["row", "column", "value", "reason"]);
        errors[1].ShouldBe(["4", "email", $"same.{tag}@example.com", "Duplicate of row 2 (same email)."]);
    }

    [Fact]
    public async Task Create_mode_skips_rows_that_match_an_existing_lead()
    {
        var tag = Unique();
        var admin = await host.As("admin");
        (await admin.PostAsJsonAsync("/api/v1/leads", new { lastName = "Existing", email = $"known.{tag}@example.com" })).EnsureSuccessStatusCode();

        var import = await RunAsync(admin, Utf8($"email,lastName\nknown.{tag}@example.com,Imported\nnew.{tag}@example.com,New\n"), "leads", mode: "create", matchOn: "email");

        (import.Count("created"), import.Count("skipped")).ShouldBe((1, 1));
        (await LeadByEmailAsync($"known.{tag}@example.com"))!.Value.GetProperty("lastName").GetString().ShouldBe("Existing");
        (await ErrorsAsync(admin, import.Id()))[1][3].ShouldBe("A lead with this email already exists.");
    }

    [Fact]
    public async Task Upsert_updates_matched_leads_keeping_values_of_blank_cells_and_creates_the_rest()
    {
        var tag = Unique();
        var admin = await host.As("admin");
        (await admin.PostAsJsonAsync("/api/v1/leads", new { firstName = "Grace", lastName = "Hopper", company = "Navy", email = $"grace.{tag}@example.com" })).EnsureSuccessStatusCode();

        var import = await RunAsync(admin, Utf8($"email,lastName,company,title\ngrace.{tag}@example.com,,,Rear Admiral\nnew.{tag}@example.com,Newcomer,,\n"),
            "leads", mode: "upsert", matchOn: "email");

        (import.Count("created"), import.Count("updated")).ShouldBe((1, 1));
        var grace = (await LeadByEmailAsync($"grace.{tag}@example.com"))!.Value;
        (grace.GetProperty("lastName").GetString(), grace.GetProperty("company").GetString(), grace.GetProperty("title").GetString())
            .ShouldBe(("Hopper", "Navy", "Rear Admiral"));
        grace.GetProperty("version").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task Update_mode_changes_matches_only_and_reports_rows_without_a_match()
    {
        var tag = Unique();
        var admin = await host.As("admin");
        (await admin.PostAsJsonAsync("/api/v1/leads", new { lastName = "Known", phone = "+14155550111", email = $"p.{tag}@example.com" })).EnsureSuccessStatusCode();

        var import = await RunAsync(admin, Utf8("phone,company\n(415) 555-0111,Matched Co\n(415) 555-0999,Nobody Co\n"), "leads", mode: "update", matchOn: "phone");

        (import.Count("created"), import.Count("updated"), import.Count("skipped")).ShouldBe((0, 1, 1));
        (await LeadByEmailAsync($"p.{tag}@example.com"))!.Value.GetProperty("company").GetString().ShouldBe("Matched Co");
        (await ErrorsAsync(admin, import.Id()))[1].ShouldBe(["3", "", "", "No existing lead matches this row."]);
    }

    [Fact]
    public async Task Upsert_on_external_id_updates_the_lead_imported_with_that_id_and_the_API_shows_it()
    {
        var tag = Unique();
        var admin = await host.As("admin");
        await RunAsync(admin, Utf8($"External ID,email,lastName,company\ncrm-{tag},x.{tag}@example.com,Ext,First Co\n"), "leads", mode: "upsert", matchOn: "externalId");

        var second = await RunAsync(admin, Utf8($"External ID,company\ncrm-{tag},Second Co\n"), "leads", mode: "upsert", matchOn: "externalId");

        (second.Count("created"), second.Count("updated")).ShouldBe((0, 1));
        var lead = (await LeadByEmailAsync($"x.{tag}@example.com"))!.Value;
        (lead.GetProperty("externalId").GetString(), lead.GetProperty("company").GetString()).ShouldBe(($"crm-{tag}", "Second Co"));
    }

    [Fact]
    public async Task Bad_rows_are_reported_in_the_error_CSV_and_never_stop_good_ones()
    {
        var tag = Unique();
        var admin = await host.As("admin");
        var csv = $"email,lastName,phone,status\nok.{tag}@example.com,Good,,\nnot-an-email,Bad,,\nok2.{tag}@example.com,,,\nok3.{tag}@example.com,Bad phone,12,\nok4.{tag}@example.com,Bad status,,won\n";

        var import = await RunAsync(admin, Utf8(csv), "leads");

        (import.Count("created"), import.Count("failed")).ShouldBe((1, 4));
        var errors = await ErrorsAsync(admin, import.Id());
        errors.Skip(1).Select(e => (e[0], e[1])).ShouldBe([("3", "email"), ("4", "lastName"), ("5", "phone"), ("6", "status")]);
        errors[2][3].ShouldBe("Last name is required to create a lead.");
        errors[1][3].ShouldContain("not a valid email");
    }

    [Fact]
    public async Task Undo_deletes_created_leads_and_restores_updated_ones()
    {
        var tag = Unique();
        var admin = await host.As("admin");
        (await admin.PostAsJsonAsync("/api/v1/leads", new { lastName = "Before", company = "Old Co", email = $"u.{tag}@example.com" })).EnsureSuccessStatusCode();
        var import = await RunAsync(admin, Utf8($"email,lastName,company\nu.{tag}@example.com,After,New Co\nc.{tag}@example.com,Created,\n"), "leads", mode: "upsert", matchOn: "email");

        var response = await admin.PostAsync($"/api/v1/imports/{import.Id()}/undo", null);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var undone = await response.Content.ReadFromJsonAsync<JsonElement>();
        undone.GetProperty("status").GetString().ShouldBe("undone");
        var undo = undone.GetProperty("undo");
        (undo.GetProperty("deleted").GetInt32(), undo.GetProperty("restored").GetInt32(), undo.GetProperty("keptChanged").GetInt32()).ShouldBe((1, 1, 0));
        (await LeadByEmailAsync($"c.{tag}@example.com")).ShouldBeNull();
        var restored = (await LeadByEmailAsync($"u.{tag}@example.com"))!.Value;
        (restored.GetProperty("lastName").GetString(), restored.GetProperty("company").GetString()).ShouldBe(("Before", "Old Co"));
        (await admin.PostAsync($"/api/v1/imports/{import.Id()}/undo", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Undo_keeps_a_lead_that_was_edited_after_the_import()
    {
        var tag = Unique();
        var admin = await host.As("admin");
        var import = await RunAsync(admin, Utf8($"email,lastName\nedited.{tag}@example.com,Imported\n"), "leads");
        var lead = (await LeadByEmailAsync($"edited.{tag}@example.com"))!.Value;
        (await admin.PatchAsJsonAsync($"/api/v1/leads/{lead.GetProperty("id").GetGuid()}", new { company = "Worked on" })).EnsureSuccessStatusCode();

        var undone = await (await admin.PostAsync($"/api/v1/imports/{import.Id()}/undo", null)).Content.ReadFromJsonAsync<JsonElement>();

        undone.GetProperty("undo").GetProperty("keptChanged").GetInt32().ShouldBe(1);
        (await LeadByEmailAsync($"edited.{tag}@example.com")).ShouldNotBeNull();
    }

    [Fact]
    public async Task Windows_1252_with_semicolons_and_quoted_line_breaks_is_read_correctly()
    {
        var tag = Unique();
        var admin = await host.As("admin");
        var csv = $"Nom;Last name;Email;Notes\r\nRenée;Müller;r.{tag}@example.com;\"first line\r\nsecond; line\"\r\n";
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var file = Encoding.GetEncoding(1252).GetBytes(csv);

        var import = await RunAsync(admin, file, "leads", mapping: JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["Nom"] = "firstName", ["Last name"] = "lastName", ["Email"] = "email", ["Notes"] = "notes",
        }));

        (import.GetProperty("encoding").GetString(), import.GetProperty("delimiter").GetString()).ShouldBe(("windows-1252", "semicolon"));
        var lead = (await LeadByEmailAsync($"r.{tag}@example.com"))!.Value;
        (lead.GetProperty("firstName").GetString(), lead.GetProperty("lastName").GetString()).ShouldBe(("Renée", "Müller"));
        lead.GetProperty("notes").GetString().ShouldBe("first line\r\nsecond; line");
    }

    [Fact]
    public async Task UTF8_with_a_byte_order_mark_and_tabs_keeps_its_first_header()
    {
        var tag = Unique();
        var admin = await host.As("admin");
        var file = Encoding.UTF8.GetPreamble().Concat(Utf8($"email\tlastName\nbom.{tag}@example.com\tZoë\n")).ToArray();

        var import = await RunAsync(admin, file, "leads");

        import.GetProperty("mapping").GetProperty("email").GetString().ShouldBe("email");
        (import.GetProperty("encoding").GetString(), import.GetProperty("delimiter").GetString()).ShouldBe(("utf-8", "tab"));
        (await LeadByEmailAsync($"bom.{tag}@example.com"))!.Value.GetProperty("lastName").GetString().ShouldBe("Zoë");
    }

    [Fact]
    public async Task A_malformed_quote_and_a_10_MB_line_fail_only_their_own_rows()
    {
        var tag = Unique();
        var admin = await host.As("admin");
        var csv = new StringBuilder($"email,lastName,notes\ngood.{tag}@example.com,Good,ok\nquote.{tag}@example.com,\"Bro\"ken,x\nhuge.{tag}@example.com,Huge,");
        csv.Append('x', 10 * 1024 * 1024).Append($"\nafter.{tag}@example.com,After,ok\n");

        var import = await RunAsync(admin, Utf8(csv.ToString()), "leads");

        (import.Count("created"), import.Count("failed")).ShouldBe((2, 2));
        var errors = await ErrorsAsync(admin, import.Id());
        errors[1][0].ShouldBe("3");
        errors[1][3].ShouldContain("after a closing quote");
        errors[2][0].ShouldBe("4");
        errors[2][3].ShouldContain("longer than");
        (await LeadByEmailAsync($"after.{tag}@example.com")).ShouldNotBeNull();
    }

    [Fact]
    public async Task A_NUL_character_in_a_cell_fails_only_its_row()
    {
        var tag = Unique();
        var admin = await host.As("admin");

        var import = await RunAsync(admin, Utf8($"email,lastName\nnul.{tag}@example.com,Bad\0Name\nok.{tag}@example.com,Good\n"), "leads");

        (import.GetProperty("status").GetString(), import.Count("created"), import.Count("failed")).ShouldBe(("completed", 1, 1));
        var errors = await ErrorsAsync(admin, import.Id());
        (errors[1][0], errors[1][1], errors[1][2]).ShouldBe(("2", "lastName", "Bad Name"));
    }

    [Fact]
    public async Task An_empty_file_is_a_400()
    {
        var admin = await host.As("admin");

        var response = await admin.PostAsync("/api/v1/imports", Form([], "leads"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("file")[0].GetString().ShouldBe("The file is empty.");
    }

    [Fact]
    public async Task A_wrong_delimiter_is_a_400_that_says_so()
    {
        var admin = await host.As("admin");

        var response = await admin.PostAsync("/api/v1/imports", Form(Utf8("email,lastName\na@example.com,A\n"), "leads", delimiter: "semicolon"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("mapping")[0].GetString();
        message!.ShouldContain("is the delimiter right?");
    }

    [Theory]
    [InlineData("agent")]
    [InlineData("readonly")]
    public async Task Only_admins_and_managers_may_import(string role)
    {
        var client = await host.As(role);

        var response = await client.PostAsync("/api/v1/imports", Form(Utf8("email,lastName\nx@example.com,X\n"), "leads"));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Custom_fields_are_imported_and_validated()
    {
        var tag = Unique();
        var admin = await host.As("admin");
        var key = "tier" + tag;
        (await admin.PostAsJsonAsync("/api/v1/custom-fields", new { entity = "lead", key, label = "Tier " + tag, type = "single-select", options = new[] { "Gold", "Silver" } }))
            .EnsureSuccessStatusCode();

        var import = await RunAsync(admin, Utf8($"email,lastName,Tier {tag}\ng.{tag}@example.com,G,gold\nb.{tag}@example.com,B,bronze\n"), "leads");

        (import.Count("created"), import.Count("failed")).ShouldBe((1, 1));
        (await LeadByEmailAsync($"g.{tag}@example.com"))!.Value.GetProperty("custom").GetProperty(key).GetString().ShouldBe("Gold");
        (await ErrorsAsync(admin, import.Id()))[1][1].ShouldBe($"Tier {tag}");
    }
}
