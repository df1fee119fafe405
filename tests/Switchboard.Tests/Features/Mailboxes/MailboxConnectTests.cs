using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Mailboxes;

/// <summary>Connecting a mailbox tries both real servers first; its password is encrypted and never comes back; other tenants never see it.</summary>
public sealed class MailboxConnectTests(MailboxHost host) : IClassFixture<MailboxHost>
{
    [Fact]
    public async Task Connecting_with_good_credentials_stores_the_mailbox_and_never_echoes_the_password()
    {
        var agent = await host.As("agent");
        var address = MailboxHost.Unique("agent");

        var response = await agent.PostAsJsonAsync("/api/v1/mailboxes", await host.MailboxBodyAsync(address));

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        text.ShouldNotContain(MailboxHost.ImapPassword);
        var mailbox = JsonDocument.Parse(text).RootElement;
        mailbox.GetProperty("authKind").GetString().ShouldBe("password");
        mailbox.GetProperty("ownerId").GetGuid().ShouldBe(host.Tenant.Users["agent"]);
        var again = await agent.GetStringAsync($"/api/v1/mailboxes/{mailbox.GetProperty("id").GetGuid()}");
        again.ShouldNotContain(MailboxHost.ImapPassword);
        var stored = await StoredSecretAsync(mailbox.GetProperty("id").GetGuid());
        stored.ShouldNotContain(MailboxHost.ImapPassword);
        stored.Length.ShouldBeGreaterThan(20);
        var audit = await (await host.As("admin")).GetStringAsync($"/api/v1/audit?entity=mailbox&entityId={mailbox.GetProperty("id").GetGuid()}");
        audit.ShouldContain("\"created\"");
        audit.ShouldNotContain(MailboxHost.ImapPassword);
        audit.ShouldNotContain(stored);
    }

    [Fact]
    public async Task A_mail_server_on_a_link_local_metadata_address_is_refused_before_any_connection()
    {
        var agent = await host.As("agent");
        var body = JsonSerializer.SerializeToNode(await host.MailboxBodyAsync(MailboxHost.Unique("metadata")), JsonSerializerOptions.Web)!.AsObject();
        body["imapHost"] = "169.254.169.254";

        var response = await agent.PostAsJsonAsync("/api/v1/mailboxes", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").GetProperty("imap")[0].GetString()!.ShouldContain("link-local, metadata or reserved");
    }

    [Fact]
    public async Task Connecting_with_a_wrong_password_answers_400_with_the_imap_servers_message()
    {
        var agent = await host.As("agent");

        var response = await agent.PostAsJsonAsync("/api/v1/mailboxes", await host.MailboxBodyAsync(MailboxHost.Unique("wrong"), password: "not-the-password"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var message = problem.GetProperty("errors").GetProperty("imap")[0].GetString();
        message.ShouldStartWith("The IMAP server refused:");
        message.ShouldContain("Authentication failed", Case.Insensitive);
    }

    [Fact]
    public async Task An_smtp_server_that_refuses_the_login_answers_400_under_smtp()
    {
        var agent = await host.As("agent");
        var address = MailboxHost.Unique("smtpbad");
        var body = await host.MailboxBodyAsync(address);
        // The IMAP login is right; the SMTP server expects another user name.
        var json = JsonSerializer.SerializeToNode(body, JsonSerializerOptions.Web)!.AsObject();
        json["smtpUsername"] = "someone-else@example.test";

        var response = await agent.PostAsJsonAsync("/api/v1/mailboxes", json);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").GetProperty("smtp")[0].GetString()!.ShouldStartWith("The SMTP server refused:");
    }

    [Fact]
    public async Task Only_administrators_create_a_shared_inbox()
    {
        var agent = await host.As("agent");
        var admin = await host.As("admin");

        (await agent.PostAsJsonAsync("/api/v1/mailboxes", await host.MailboxBodyAsync(MailboxHost.Unique("team"), kind: "shared"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var created = await admin.PostAsJsonAsync("/api/v1/mailboxes", await host.MailboxBodyAsync(MailboxHost.Unique("team"), kind: "shared", memberIds: [host.Tenant.Users["agent2"]]));
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var agent2 = await host.As("agent2");
        var seen = await agent2.GetFromJsonAsync<JsonElement>($"/api/v1/mailboxes/{id}");
        seen.GetProperty("kind").GetString().ShouldBe("shared");
        seen.GetProperty("status").ValueKind.ShouldBe(JsonValueKind.Null);
        (await agent.GetAsync($"/api/v1/mailboxes/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_tenants_mailbox_and_email_are_not_found()
    {
        var admin = await host.As("admin");
        var mailbox = await host.ConnectAsync(admin, MailboxHost.Unique("mine"));
        var other = await host.CreateTenantAsync("other");
        using var stranger = await host.LoginAsync(other.Email("admin"));

        (await stranger.GetAsync($"/api/v1/mailboxes/{mailbox}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.PostAsync($"/api/v1/mailboxes/{mailbox}/sync", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.PostAsJsonAsync("/api/v1/emails", new { mailboxId = mailbox, to = new[] { "x@example.test" }, subject = "Hi", text = "Hi" }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var list = await stranger.GetFromJsonAsync<JsonElement>("/api/v1/mailboxes");
        list.GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    private async Task<string> StoredSecretAsync(Guid id)
    {
        await using var conn = new Npgsql.NpgsqlConnection(host.Database.OwnerConnectionString);
        await conn.OpenAsync();
        await using (var enter = new Npgsql.NpgsqlCommand("select set_config('app.tenant_id', @tenant, false)", conn))
        {
            enter.Parameters.AddWithValue("tenant", host.Tenant.Id.ToString());
            await enter.ExecuteScalarAsync();
        }
        await using var cmd = new Npgsql.NpgsqlCommand("select secret from mailboxes where id = @id", conn);
        cmd.Parameters.AddWithValue("id", id);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }
}
