using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using static Switchboard.Tests.Features.Imports.ImportClient;

namespace Switchboard.Tests.Features.Imports;

/// <summary>
/// Issue 11, defect 6: a choice value the entity does not know (HubSpot's "open", "In Progress") no longer costs the
/// row: each distinct unknown value maps to an option or to "leave empty", suggested automatically and remembered
/// per tenant; owner columns map by member email or full name; error rows are the rows a spreadsheet shows.
/// </summary>
public sealed class ImportValueMappingTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private static string Unique() => Guid.NewGuid().ToString("N")[..8];

    private async Task<Dictionary<string, JsonElement>> LeadsByEmailAsync(string tag)
    {
        var admin = await host.As("admin");
        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/leads?search={tag}&pageSize=200");
        return page.GetProperty("items").EnumerateArray().ToDictionary(l => l.GetProperty("email").GetString()!, l => l);
    }

    private string HubSpotCsv(string tag) =>
        "First Name,Last Name,Email,Lead Status,Contact owner\n" +
        $"Ann,One,ann.{tag}@example.com,open,{host.Tenant.Email("agent")}\n" +
        $"Bob,Two,bob.{tag}@example.com,In Progress,Manager User\n" +
        $"Cy,Three,cy.{tag}@example.com,Attempted to contact,AGENT@{host.Tenant.Slug.ToUpperInvariant()}.TEST\n" +
        $"Di,Four,di.{tag}@example.com,Connected,admin  user\n" +
        $"Ed,Five,ed.{tag}@example.com,Bad Timing,\n" +
        $"Flo,Six,flo.{tag}@example.com,Open Deal,{host.Tenant.Email("manager")}\n" +
        $"Gus,Seven,gus.{tag}@example.com,Unqualified,Manager User\n" +
        $"Hal,Eight,hal.{tag}@example.com,NEW,\n" +
        $"Ivy,Nine,ivy.{tag}@example.com,Legacy {tag},\n" +
        $"Jo,Ten,jo.{tag}@example.com,Ghost {tag},\n";

    [Fact]
    public async Task A_HubSpot_export_with_unknown_statuses_and_owner_names_imports_every_row_with_suggested_and_explicit_value_mappings()
    {
        var tag = Unique();
        var admin = await host.As("admin");
        var valueMapping = JsonSerializer.Serialize(new Dictionary<string, Dictionary<string, string?>>
        {
            ["status"] = new() { [$"Legacy {tag}"] = "qualified", [$"Ghost {tag}"] = null },
        });

        var response = await admin.PostAsync("/api/v1/imports", WithValueMapping(Form(Utf8(HubSpotCsv(tag)), "leads"), valueMapping));
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var started = await response.Content.ReadFromJsonAsync<JsonElement>();
        started.GetProperty("mapping").GetProperty("Contact owner").GetString().ShouldBe("owner");
        started.GetProperty("mapping").GetProperty("Lead Status").GetString().ShouldBe("status");
        var import = await WaitAsync(admin, started.Id());

        (import.Count("created"), import.Count("failed"), import.Count("skipped")).ShouldBe((10, 0, 0),
            string.Join("\n", (await ErrorsAsync(admin, import.Id())).Select(e => string.Join(",", e))));
        var leads = await LeadsByEmailAsync(tag);
        string Status(string name) => leads[$"{name}.{tag}@example.com"].GetProperty("status").GetString()!;
        Guid? Owner(string name) => leads[$"{name}.{tag}@example.com"].GetProperty("ownerId") is { ValueKind: JsonValueKind.String } id ? id.GetGuid() : null;
        (Status("ann"), Status("bob"), Status("cy"), Status("di"), Status("ed")).ShouldBe(("new", "contacted", "contacted", "contacted", "contacted"));
        (Status("flo"), Status("gus"), Status("hal"), Status("ivy"), Status("jo")).ShouldBe(("qualified", "unqualified", "new", "qualified", "new"));
        var (agent, manager, adminUser) = (host.Tenant.Users["agent"], host.Tenant.Users["manager"], host.Tenant.Users["admin"]);
        (Owner("ann"), Owner("bob"), Owner("cy"), Owner("di"), Owner("flo"), Owner("gus"), Owner("ed")).ShouldBe((agent, manager, agent, adminUser, manager, manager, null));
    }

    [Fact]
    public async Task An_owner_name_two_members_share_fails_its_row_and_asks_for_the_email()
    {
        var tag = Unique();
        var admin = await host.As("admin");

        // The fixture tenant has two agents named "agent User" (agent@ and agent2@).
        var import = await RunAsync(admin, Utf8($"Last Name,Email,Owner\nA,a.{tag}@example.com,Agent User\nB,b.{tag}@example.com,Manager User\n"), "leads");

        (import.Count("created"), import.Count("failed")).ShouldBe((1, 1));
        (await ErrorsAsync(admin, import.Id()))[1][3].ShouldBe("More than one member is named 'Agent User': use the owner's email.");
    }

    [Fact]
    public async Task A_draft_lists_each_unknown_value_with_its_row_count_and_suggestion_and_a_patch_changes_it()
    {
        var tag = Unique();
        var admin = await host.As("admin");
        var csv = $"Last Name,Email,Lead Status\nA,a.{tag}@example.com,In Progress\nB,b.{tag}@example.com,in progress\nC,c.{tag}@example.com,Odd {tag}\nD,d.{tag}@example.com,new\n";
        var draft = await (await admin.PostAsync("/api/v1/imports", Form(Utf8(csv), "leads", start: false))).Content.ReadFromJsonAsync<JsonElement>();

        draft.GetProperty("valueMapping").GetProperty("status").GetProperty("In Progress").GetString().ShouldBe("contacted");
        var values = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{draft.Id()}/preview")).GetProperty("values").EnumerateArray()
            .ToDictionary(v => v.GetProperty("value").GetString()!);
        values.Keys.Order().ShouldBe(["In Progress", $"Odd {tag}"]);
        (values["In Progress"].GetProperty("rows").GetInt32(), values["In Progress"].GetProperty("field").GetString(), values["In Progress"].GetProperty("column").GetString())
            .ShouldBe((2, "status", "Lead Status"));
        values["In Progress"].GetProperty("mappedTo").GetString().ShouldBe("contacted");
        values[$"Odd {tag}"].GetProperty("mapped").GetBoolean().ShouldBeFalse();
        values[$"Odd {tag}"].GetProperty("options").EnumerateArray().Select(o => o.GetString()).ShouldBe(["new", "contacted", "qualified", "unqualified"]);

        var patched = await admin.PatchAsJsonAsync($"/api/v1/imports/{draft.Id()}",
            new { valueMapping = JsonSerializer.Serialize(new { status = new Dictionary<string, string?> { [$"Odd {tag}"] = "Unqualified" } }), start = true });

        patched.StatusCode.ShouldBe(HttpStatusCode.OK, await patched.Content.ReadAsStringAsync());
        var import = await WaitAsync(admin, draft.Id());
        (import.Count("created"), import.Count("failed")).ShouldBe((4, 0));
        (await LeadsByEmailAsync(tag))[$"c.{tag}@example.com"].GetProperty("status").GetString().ShouldBe("unqualified");
    }

    [Fact]
    public async Task A_value_mapping_is_remembered_for_the_tenants_next_import()
    {
        var tag = Unique();
        var admin = await host.As("admin");
        var first = await admin.PostAsync("/api/v1/imports", WithValueMapping(
            Form(Utf8($"Last Name,Email,Lead Status\nA,a.{tag}@example.com,Warm {tag}\n"), "leads"),
            JsonSerializer.Serialize(new { status = new Dictionary<string, string?> { [$"Warm {tag}"] = "qualified" } })));
        await WaitAsync(admin, (await first.Content.ReadFromJsonAsync<JsonElement>()).Id());

        var second = await (await admin.PostAsync("/api/v1/imports",
            Form(Utf8($"Last Name,Email,Status\nB,b.{tag}@example.com,WARM {tag}\n"), "leads", start: false))).Content.ReadFromJsonAsync<JsonElement>();

        second.GetProperty("valueMapping").GetProperty("status").GetProperty($"WARM {tag}").GetString().ShouldBe("qualified");
        var other = await host.CreateTenantAsync("valuemap-" + tag);
        using var otherAdmin = await host.LoginAsync(other.Email("admin"));
        var elsewhere = await (await otherAdmin.PostAsync("/api/v1/imports",
            Form(Utf8($"Last Name,Email,Status\nB,b.{tag}@example.com,WARM {tag}\n"), "leads", start: false))).Content.ReadFromJsonAsync<JsonElement>();
        var remembered = elsewhere.GetProperty("valueMapping").TryGetProperty("status", out var status) && status.TryGetProperty($"WARM {tag}", out _);
        remembered.ShouldBeFalse("another tenant's mapping is not suggested");
    }

    [Fact]
    public async Task Custom_select_values_map_case_space_and_punctuation_insensitively_and_by_explicit_mapping()
    {
        var tag = Unique();
        var admin = await host.As("admin");
        var key = "tier" + tag;
        (await admin.PostAsJsonAsync("/api/v1/custom-fields", new { entity = "lead", key, label = "Tier " + tag, type = "single-select", options = new[] { "Gold Plus", "Silver" } }))
            .EnsureSuccessStatusCode();
        var valueMapping = JsonSerializer.Serialize(new Dictionary<string, Dictionary<string, string?>> { ["custom." + key] = new() { ["Bronze"] = "silver" } });

        var response = await admin.PostAsync("/api/v1/imports", WithValueMapping(
            Form(Utf8($"email,lastName,Tier {tag}\ng.{tag}@example.com,G,gold-plus\nb.{tag}@example.com,B,Bronze\n"), "leads"), valueMapping));
        var import = await WaitAsync(admin, (await response.Content.ReadFromJsonAsync<JsonElement>()).Id());

        (import.Count("created"), import.Count("failed")).ShouldBe((2, 0));
        var leads = await LeadsByEmailAsync(tag);
        leads[$"g.{tag}@example.com"].GetProperty("custom").GetProperty(key).GetString().ShouldBe("Gold Plus");
        leads[$"b.{tag}@example.com"].GetProperty("custom").GetProperty(key).GetString().ShouldBe("Silver");
    }

    [Fact]
    public async Task A_value_mapping_to_a_value_that_is_not_an_option_or_of_a_field_without_options_is_a_400()
    {
        var admin = await host.As("admin");
        var valueMapping = JsonSerializer.Serialize(new { status = new { open = "won" }, email = new { x = "y" } });

        var response = await admin.PostAsync("/api/v1/imports", WithValueMapping(Form(Utf8("lastName,status\nA,open\n"), "leads"), valueMapping));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("valueMapping");
        errors.GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task Error_report_rows_are_the_rows_a_spreadsheet_shows_counting_blank_lines_and_multi_line_cells_once()
    {
        var tag = Unique();
        var admin = await host.As("admin");
        // Row 1 header, row 2 a note over two lines (one spreadsheet row), row 3 blank, row 4 a bad email, row 5 no last name.
        var csv = $"email,lastName,notes\r\nok.{tag}@example.com,Ok,\"line one\r\nline two\"\r\n\r\nnot-an-email,Bad,\r\nnolast.{tag}@example.com,,\r\n";

        var import = await RunAsync(admin, Utf8(csv), "leads");

        (import.Count("created"), import.Count("failed")).ShouldBe((1, 2));
        (await ErrorsAsync(admin, import.Id())).Skip(1).Select(e => (e[0], e[1])).ShouldBe([("4", "email"), ("5", "lastName")]);
    }

    private static MultipartFormDataContent WithValueMapping(MultipartFormDataContent form, string valueMapping)
    {
        form.Add(new StringContent(valueMapping), "valueMapping");
        return form;
    }
}
