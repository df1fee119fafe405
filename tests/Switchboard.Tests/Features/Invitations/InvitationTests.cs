using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Invitations;

/// <summary>
/// Invitations (issue 12 §2) through the real SMTP server: invite → email → accept → signed in; an address that already
/// has an account joins only by accepting with its own password, and nothing an admin sees tells the two apart.
/// </summary>
public sealed class InvitationTests(MailHost host) : IClassFixture<MailHost>
{
    [Fact]
    public async Task An_invited_person_accepts_with_a_new_account_and_is_signed_in_with_the_invited_role()
    {
        var admin = await host.As("admin");
        var email = $"new-{Guid.NewGuid():N}@example.test";

        var invited = await admin.PostAsJsonAsync("/api/v1/invitations", new { email, role = "manager" });
        invited.StatusCode.ShouldBe(HttpStatusCode.Created);
        var token = await host.LinkTokenAsync(email, "/invitations/accept");

        using var anonymous = host.CreateClient();
        var preview = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/invitations/accept?token={token}");
        preview.GetProperty("hasAccount").GetBoolean().ShouldBeFalse();
        preview.GetProperty("role").GetString().ShouldBe("manager");
        var accepted = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token, firstName = "Nia", lastName = "New", password = "Copper-orbit-lantern-72" });
        accepted.StatusCode.ShouldBe(HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync());
        var pair = await accepted.Content.ReadFromJsonAsync<SwitchboardHost.Tokens>();

        using var member = host.CreateClient(pair!.AccessToken);
        var me = await member.GetFromJsonAsync<JsonElement>("/api/v1/auth/me");
        me.GetProperty("role").GetString().ShouldBe("manager");
        me.GetProperty("tenantId").GetGuid().ShouldBe(host.Tenant.Id);
        (await host.LoginAsync(email, password: "Copper-orbit-lantern-72")).Dispose();

        // Single use: the link is spent.
        var again = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token, firstName = "Nia", lastName = "New", password = "Copper-orbit-lantern-72" });
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await again.Content.ReadAsStringAsync()).ShouldContain("already accepted");
    }

    [Fact]
    public async Task Inviting_an_address_with_an_account_answers_exactly_as_for_one_without_and_adds_no_one_until_accepted()
    {
        var other = await host.CreateTenantAsync("elsewhere");
        var existing = other.Email("agent"); // has an account, in another tenant
        var unknown = $"nobody-{Guid.NewGuid():N}@example.test";
        var admin = await host.As("admin");

        var forExisting = await admin.PostAsJsonAsync("/api/v1/users", new { email = existing, role = "agent" });
        var forUnknown = await admin.PostAsJsonAsync("/api/v1/users", new { email = unknown, role = "agent" });

        forExisting.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        forUnknown.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        Shape(await forExisting.Content.ReadFromJsonAsync<JsonElement>()).ShouldBe(Shape(await forUnknown.Content.ReadFromJsonAsync<JsonElement>()));
        (await forExisting.Content.ReadAsStringAsync()).ShouldNotContain("agent User", Case.Sensitive); // the account's name is not revealed
        var members = await admin.GetStringAsync("/api/v1/users?pageSize=100");
        members.ShouldNotContain(existing);

        // The account's owner joins by accepting with their own password; names are theirs already.
        var token = await host.LinkTokenAsync(existing, "/invitations/accept", m => m.TextBody!.Contains(host.Tenant.Slug));
        using var anonymous = host.CreateClient();
        var wrong = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token, password = "not-their-password" });
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token, password = SwitchboardHost.Password })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.GetStringAsync("/api/v1/users?pageSize=100")).ShouldContain(existing);
    }

    [Fact]
    public async Task Tenant_admins_cannot_set_a_password_for_someone_else()
    {
        var admin = await host.As("admin");

        var response = await admin.PostAsJsonAsync("/api/v1/users", new { email = $"x-{Guid.NewGuid():N}@example.test", role = "agent", firstName = "X", lastName = "Y", password = "Some-passw0rd1" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("People choose their own password when they accept the invitation");
    }

    [Fact]
    public async Task A_resend_replaces_the_link_and_a_revoked_invitation_no_longer_opens()
    {
        var admin = await host.As("admin");
        var email = $"resend-{Guid.NewGuid():N}@example.test";
        var id = (await (await admin.PostAsJsonAsync("/api/v1/invitations", new { email, role = "agent" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var first = await host.LinkTokenAsync(email, "/invitations/accept");

        (await admin.PostAsync($"/api/v1/invitations/{id}/resend", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var second = await host.LinkTokenAsync(email, "/invitations/accept", m => !m.TextBody!.Contains(first));
        using var anonymous = host.CreateClient();
        (await anonymous.GetAsync($"/api/v1/invitations/accept?token={first}")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await anonymous.GetAsync($"/api/v1/invitations/accept?token={second}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var pending = await admin.GetFromJsonAsync<JsonElement>("/api/v1/invitations");
        pending.EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == id).GetProperty("status").GetString().ShouldBe("pending");
        (await admin.DeleteAsync($"/api/v1/invitations/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var revoked = await anonymous.GetAsync($"/api/v1/invitations/accept?token={second}");
        revoked.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await revoked.Content.ReadAsStringAsync()).ShouldContain("not valid");
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/invitations")).EnumerateArray().ShouldNotContain(i => i.GetProperty("id").GetGuid() == id);
    }

    [Fact]
    public async Task Members_and_pending_invitations_are_refused_and_other_roles_and_tenants_cannot_touch_invitations()
    {
        var admin = await host.As("admin");
        var email = $"dup-{Guid.NewGuid():N}@example.test";
        var id = (await (await admin.PostAsJsonAsync("/api/v1/invitations", new { email, role = "agent" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        (await admin.PostAsJsonAsync("/api/v1/invitations", new { email = email.ToUpperInvariant(), role = "agent" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.PostAsJsonAsync("/api/v1/invitations", new { email = host.Tenant.Email("agent"), role = "agent" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var invalid = await admin.PostAsJsonAsync("/api/v1/invitations", new { email = "nope", role = "boss" });
        invalid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.TryGetProperty("email", out _).ShouldBeTrue();
        errors.TryGetProperty("role", out _).ShouldBeTrue();

        var manager = await host.As("manager");
        (await manager.PostAsJsonAsync("/api/v1/invitations", new { email = "m@example.test", role = "agent" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await manager.DeleteAsync($"/api/v1/invitations/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var otherTenant = await host.CreateTenantAsync("other-inv");
        using var otherAdmin = await host.LoginAsync(otherTenant.Email("admin"));
        (await otherAdmin.DeleteAsync($"/api/v1/invitations/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await otherAdmin.PostAsync($"/api/v1/invitations/{id}/resend", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_link_with_a_made_up_or_malformed_token_is_refused_with_a_field_message()
    {
        using var anonymous = host.CreateClient();
        foreach (var token in new[] { "abc", new string('A', 43), "%00", "" })
        {
            var response = await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token, password = "whatever-1A" });
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, token);
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("token", out _).ShouldBeTrue(token);
        }
    }

    /// <summary>The names and kinds of a JSON object's properties, with values that identify the invitation left out.</summary>
    private static string Shape(JsonElement element) =>
        string.Join(",", element.EnumerateObject().Where(p => p.Name is not ("id" or "email")).Select(p => $"{p.Name}:{(p.Value.ValueKind == JsonValueKind.String && p.Name.EndsWith("At") ? "date" : p.Value.ToString())}"));
}

/// <summary>Inviting from a CSV and accepting on the page (issue 12 §2: bulk invite; the link's page).</summary>
public sealed class InvitationImportAndPageTests(MailHost host) : IClassFixture<MailHost>
{
    [Fact]
    public async Task Admins_invite_a_file_of_people_members_and_invited_ones_are_skipped_and_each_is_greeted_by_name()
    {
        var admin = await host.As("admin");
        var first = $"csv-a-{Guid.NewGuid():N}@example.test";
        var second = $"csv-b-{Guid.NewGuid():N}@example.test";
        var csv = $"email,role,firstName,lastName,department\n{first},agent,Ada,Lovelace,Sales\n{second},manager,,,\n{host.Tenant.Email("agent")},agent,,,\nbad-address,agent,,,\n";
        using var content = new MultipartFormDataContent { { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv)), "file", "people.csv" } };

        var response = await admin.PostAsync("/api/v1/invitations/import", content);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        result.GetProperty("invited").GetInt32().ShouldBe(2);
        result.GetProperty("skipped").GetInt32().ShouldBe(1);
        result.GetProperty("errors")[0].GetProperty("row").GetInt32().ShouldBe(5);
        (await host.Smtp.WaitForAsync(first)).TextBody!.ShouldContain("Hello Ada Lovelace,");
        (await host.Smtp.WaitForAsync(second)).TextBody!.ShouldContain("as Manager");

        // Importing the same file again invites no one twice.
        using var again = new MultipartFormDataContent { { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv)), "file", "people.csv" } };
        (await (await admin.PostAsync("/api/v1/invitations/import", again)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invited").GetInt32().ShouldBe(0);

        // The department comes with the membership once accepted.
        var token = await host.LinkTokenAsync(first, "/invitations/accept");
        using var anonymous = host.CreateClient();
        (await anonymous.PostAsJsonAsync("/api/v1/invitations/accept", new { token, firstName = "Ada", lastName = "Lovelace", password = "Analytical-Engine-1" })).EnsureSuccessStatusCode();
        var members = await admin.GetFromJsonAsync<JsonElement>("/api/v1/users?pageSize=200");
        members.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("email").GetString() == first).GetProperty("department").GetString().ShouldBe("Sales");
    }

    [Fact]
    public async Task The_accept_page_creates_the_account_signs_the_person_in_and_explains_a_spent_link()
    {
        var admin = await host.As("admin");
        var email = $"page-{Guid.NewGuid():N}@example.test";
        (await admin.PostAsJsonAsync("/api/v1/invitations", new { email, role = "agent" })).EnsureSuccessStatusCode();
        var token = await host.LinkTokenAsync(email, "/invitations/accept");
        using var visitor = PageClient.Anonymous(host);

        var page = await visitor.GetStringAsync($"/invitations/accept?token={token}");
        page.ShouldContain($"Join Tenant {host.Tenant.Slug}");
        var mismatch = await visitor.PostFormAsync($"/invitations/accept?token={token}", new()
        {
            ["Token"] = token, ["Form.FirstName"] = "Pat", ["Form.LastName"] = "Page", ["Form.Password"] = "Velvet-summit-radio-9", ["Form.ConfirmPassword"] = "other",
        }, formPage: $"/invitations/accept?token={token}");
        (await mismatch.Content.ReadAsStringAsync()).ShouldContain("The two passwords are not the same.");

        var accepted = await visitor.PostFormAsync($"/invitations/accept?token={token}", new()
        {
            ["Token"] = token, ["Form.FirstName"] = "Pat", ["Form.LastName"] = "Page", ["Form.Password"] = "Velvet-summit-radio-9", ["Form.ConfirmPassword"] = "Velvet-summit-radio-9",
        }, formPage: $"/invitations/accept?token={token}");
        accepted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        accepted.Headers.Location!.OriginalString.ShouldBe("/");
        (await visitor.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK); // signed in

        using var later = PageClient.Anonymous(host);
        (await later.GetStringAsync($"/invitations/accept?token={token}")).ShouldContain("This invitation was already accepted.");
        (await later.GetStringAsync("/invitations/accept?token=nonsense")).ShouldContain("This link does not work");
    }
}
