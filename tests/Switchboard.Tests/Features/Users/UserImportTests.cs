using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Users;

/// <summary>
/// POST /api/v1/users/import (superadmins): a CSV of people added to the tenant in one transaction, bad rows reported.
/// Tenant admins invite from a CSV instead (see InvitationImportTests).
/// </summary>
public sealed class UserImportTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private const string Header = "email,firstName,lastName,role,department,phone";
    private const string InitialPassword = "Imported-harbor-key-81";

    [Fact]
    public async Task Admin_imports_new_people_who_become_members_with_their_role_department_and_phone()
    {
        var email = Unique("ada");
        var csv = $"{Header}\n{email},Ada,Lovelace,manager,Sales,(212) 555-0101\n{Unique("alan")},Alan,Turing,agent,,\n";

        var result = await ImportAsync(await host.As("superadmin"), Utf8(csv));
        var member = await MemberAsync(email);

        result.GetProperty("created").GetInt32().ShouldBe(2);
        result.GetProperty("errors").GetArrayLength().ShouldBe(0);
        member.GetProperty("role").GetString().ShouldBe("manager");
        member.GetProperty("department").GetString().ShouldBe("Sales");
        member.GetProperty("phone").GetString().ShouldBe("+12125550101");
    }

    [Fact]
    public async Task An_imported_new_account_signs_in_with_the_initial_password()
    {
        var email = Unique("grace");

        await ImportAsync(await host.As("superadmin"), Utf8($"{Header}\n{email},Grace,Hopper,agent,,\n"));
        using var anonymous = host.CreateClient();
        var login = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = InitialPassword, tenant = host.Tenant.Slug });

        login.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_person_with_an_account_in_another_tenant_is_added_to_this_tenant_instead_of_duplicated()
    {
        var other = await host.CreateTenantAsync("elsewhere");
        var existing = other.Email("agent");

        var result = await ImportAsync(await host.As("superadmin"), Utf8($"{Header}\n{existing},Someone,Else,readonly,Support,\n"));
        var member = await MemberAsync(existing);

        result.GetProperty("addedToTenant").GetInt32().ShouldBe(1);
        result.GetProperty("created").GetInt32().ShouldBe(0);
        member.GetProperty("id").GetGuid().ShouldBe(other.Users["agent"]);
        member.GetProperty("role").GetString().ShouldBe("readonly");
    }

    [Fact]
    public async Task A_person_who_is_already_a_member_is_skipped_and_keeps_their_role()
    {
        var member = host.Tenant.Email("agent2");

        var result = await ImportAsync(await host.As("superadmin"), Utf8($"{Header}\n{member},Agent,Two,admin,,\n"));

        result.GetProperty("skipped").GetInt32().ShouldBe(1);
        (await MemberAsync(member)).GetProperty("role").GetString().ShouldBe("agent");
    }

    [Fact]
    public async Task Rows_with_a_bad_email_role_or_phone_are_reported_and_the_good_rows_are_imported()
    {
        var good = Unique("good");
        var csv = $"{Header}\nnot-an-email,Bad,Email,agent,,\n{Unique("role")},Bad,Role,owner,,\n{Unique("phone")},Bad,Phone,agent,,12\n{good},Good,Row,agent,,\n";

        var result = await ImportAsync(await host.As("superadmin"), Utf8(csv));
        var errors = result.GetProperty("errors").EnumerateArray()
            .Select(e => (Row: e.GetProperty("row").GetInt32(), Column: e.GetProperty("column").GetString(), Value: e.GetProperty("value").GetString()))
            .ToList();

        result.GetProperty("created").GetInt32().ShouldBe(1);
        errors.ShouldBe([(2, "email", "not-an-email"), (3, "role", "owner"), (4, "phone", "12")]);
        (await MemberAsync(good)).GetProperty("lastName").GetString().ShouldBe("Row");
    }

    [Fact]
    public async Task A_new_person_in_a_file_sent_without_an_initial_password_is_reported_and_existing_people_still_join()
    {
        var other = await host.CreateTenantAsync("nopassword");
        var csv = $"{Header}\n{Unique("new")},New,Person,agent,,\n{other.Email("manager")},Known,Person,agent,,\n";

        var result = await ImportAsync(await host.As("superadmin"), Utf8(csv), password: null);

        result.GetProperty("addedToTenant").GetInt32().ShouldBe(1);
        result.GetProperty("errors").EnumerateArray().Single().GetProperty("row").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task A_semicolon_separated_UTF8_file_with_a_BOM_and_quoted_fields_is_read()
    {
        var email = Unique("zoe");
        var csv = $"{Header.Replace(',', ';')}\r\n\"{email}\";\"Zoë\";\"Du; Pont\";agent;\"R&D \"\"Labs\"\"\";\r\n";

        var result = await ImportAsync(await host.As("superadmin"), [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)]);
        var member = await MemberAsync(email);

        result.GetProperty("created").GetInt32().ShouldBe(1);
        member.GetProperty("firstName").GetString().ShouldBe("Zoë");
        member.GetProperty("lastName").GetString().ShouldBe("Du; Pont");
        member.GetProperty("department").GetString().ShouldBe("R&D \"Labs\"");
    }

    [Fact]
    public async Task A_tab_separated_Windows_1252_file_keeps_its_accented_names()
    {
        var email = Unique("jose");
        var csv = $"{Header.Replace(',', '\t')}\n{email}\tJosé\tMüller\tagent\tVentes €\t\n";
        var windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

        await ImportAsync(await host.As("superadmin"), windows1252.GetBytes(csv));
        var member = await MemberAsync(email);

        member.GetProperty("firstName").GetString().ShouldBe("José");
        member.GetProperty("lastName").GetString().ShouldBe("Müller");
        member.GetProperty("department").GetString().ShouldBe("Ventes €");
    }

    [Fact]
    public async Task A_file_without_the_required_columns_is_refused_as_a_whole()
    {
        var response = await PostAsync(await host.As("superadmin"), Utf8($"mail,name\n{Unique("x")},X\n"), InitialPassword);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("file")[0].GetString()!.ShouldContain("Unknown column");
    }

    [Fact]
    public async Task A_weak_initial_password_is_refused_before_any_row_is_imported()
    {
        var email = Unique("weak");

        var response = await PostAsync(await host.As("superadmin"), Utf8($"{Header}\n{email},Weak,Password,agent,,\n"), "short");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await MemberOrNullAsync(email)).ShouldBeNull();
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("agent")]
    [InlineData("readonly")]
    public async Task Only_administrators_may_import_users(string role)
    {
        var email = Unique("denied");

        var response = await PostAsync(await host.As(role), Utf8($"{Header}\n{email},Denied,Person,agent,,\n"), InitialPassword);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await MemberOrNullAsync(email)).ShouldBeNull();
    }

    [Fact]
    public async Task Importing_into_one_tenant_leaves_another_tenants_members_untouched()
    {
        var other = await host.CreateTenantAsync("isolated");
        var newcomer = Unique("newcomer");
        var csv = $"{Header}\n{newcomer},New,Comer,agent,,\n{other.Email("manager")},Other,Manager,admin,,\n";

        await ImportAsync(await host.As("superadmin"), Utf8(csv));
        using var otherAdmin = await host.LoginAsync(other.Email("admin"));
        var otherMembers = (await otherAdmin.GetFromJsonAsync<JsonElement>("/api/v1/users?pageSize=200"))!.GetProperty("items").EnumerateArray().ToList();

        otherMembers.ShouldNotContain(m => m.GetProperty("email").GetString() == newcomer);
        otherMembers.Single(m => m.GetProperty("email").GetString() == other.Email("manager")).GetProperty("role").GetString().ShouldBe("manager");
    }

    [Fact]
    public async Task The_import_is_audited_with_its_counts()
    {
        await ImportAsync(await host.As("superadmin"), Utf8($"{Header}\n{Unique("audited")},Audited,Person,agent,,\nbad,Bad,Row,agent,,\n"));
        var admin = await host.As("admin");

        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=users.imported&pageSize=200");
        var entry = audit.GetProperty("items").EnumerateArray().First();

        entry.GetProperty("changes").GetProperty("created").GetInt32().ShouldBe(1);
        entry.GetProperty("changes").GetProperty("errors").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Admin_invites_from_a_file_on_the_users_page_and_sees_the_refused_rows_in_the_result_table()
    {
        using var browser = await Activities.PageForms.BrowserAsync(host, "admin");
        var token = Activities.PageForms.Token(await browser.GetStringAsync("/users"));
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Utf8($"{Header}\n{Unique("page")},Page,Import,agent,,\n{Unique("bad")},Bad,Role,boss,,\n")), "importFile", "people.csv" },
            { new StringContent(token), "__RequestVerificationToken" },
        };

        var response = await browser.PostAsync("/users?handler=Import", form);
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain("<strong>1</strong> invited");
        html.ShouldContain("<td>3</td><td>role</td><td>boss</td>");
    }

    [Fact]
    public async Task Tenant_admins_cannot_create_accounts_from_a_file()
    {
        var response = await PostAsync(await host.As("admin"), Utf8($"{Header}\n{Unique("nope")},No,Pe,agent,,\n"), InitialPassword);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldContain("POST /api/v1/invitations/import");
    }

    [Fact]
    public async Task A_cell_with_a_NUL_character_is_reported_instead_of_failing_the_file()
    {
        var good = Unique("clean");
        var csv = $"{Header}\n{Unique("nul")},Nul,Byte,agent,Sa\0les,\n{good},Clean,Row,agent,,\n";

        var result = await ImportAsync(await host.As("superadmin"), Utf8(csv));

        result.GetProperty("created").GetInt32().ShouldBe(1);
        result.GetProperty("errors")[0].GetProperty("column").GetString().ShouldBe("department");
    }

    [Fact]
    public async Task A_server_error_in_the_middle_of_a_file_leaves_none_of_its_rows_written()
    {
        // A failure only the database can raise, after the first row's account has been inserted.
        await using (var owner = new NpgsqlConnection(host.Database.OwnerConnectionString))
        {
            await owner.OpenAsync();
            await using var command = new NpgsqlCommand("""
                create or replace function fail_import_test() returns trigger language plpgsql as
                $$ begin if new.department = 'Explodes' then raise exception 'simulated failure'; end if; return new; end $$;
                create or replace trigger fail_import_test before insert on tenant_memberships for each row execute function fail_import_test();
                """, owner);
            await command.ExecuteNonQueryAsync();
        }
        var first = Unique("first");
        var csv = $"{Header}\n{first},First,Row,agent,Fine,\n{Unique("second")},Second,Row,agent,Explodes,\n";

        var response = await PostAsync(await host.As("superadmin"), Utf8(csv), InitialPassword);
        await using var check = new NpgsqlConnection(host.Database.OwnerConnectionString);
        await check.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from users where normalized_email = upper(@email)", check);
        count.Parameters.AddWithValue("email", first);

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        ((long)(await count.ExecuteScalarAsync())!).ShouldBe(0);
    }

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}@import.test";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, byte[] file, string? password)
    {
        using var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(part, "file", "people.csv");
        if (password is not null) content.Add(new StringContent(password), "password");
        return await client.PostAsync("/api/v1/users/import", content);
    }

    private static async Task<JsonElement> ImportAsync(HttpClient client, byte[] file, string? password = InitialPassword)
    {
        var response = await PostAsync(client, file, password);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement?> MemberOrNullAsync(string email)
    {
        var admin = await host.As("admin");
        var members = await admin.GetFromJsonAsync<JsonElement>("/api/v1/users?pageSize=200");
        return members.GetProperty("items").EnumerateArray().Cast<JsonElement?>()
            .SingleOrDefault(m => string.Equals(m!.Value.GetProperty("email").GetString(), email, StringComparison.OrdinalIgnoreCase));
    }

    private async Task<JsonElement> MemberAsync(string email) =>
        await MemberOrNullAsync(email) ?? throw new ShouldAssertException($"{email} is not a member of the tenant.");
}
