using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Accounts;

/// <summary>Every role against every account and contact action of the role matrix, through the API.</summary>
public sealed class AccountRoleMatrixTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private TestTenant _tenant => host.Tenant;

    private static object NewRecord(string collection, string name) =>
        collection == "accounts" ? new { name } : new { lastName = name };

    private async Task<Guid> RecordOwnedBy(string collection, string role)
    {
        var manager = await host.As("manager");
        var body = collection == "accounts"
            ? (object)new { name = "Owned by " + role, ownerId = _tenant.Users[role] }
            : new { lastName = "Owned by " + role, ownerId = _tenant.Users[role] };
        var response = await manager.PostAsJsonAsync($"/api/v1/{collection}", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Theory]
    [InlineData("accounts", "superadmin", true)]
    [InlineData("accounts", "admin", true)]
    [InlineData("accounts", "manager", true)]
    [InlineData("accounts", "agent", false)]
    [InlineData("accounts", "readonly", true)]
    [InlineData("contacts", "superadmin", true)]
    [InlineData("contacts", "admin", true)]
    [InlineData("contacts", "manager", true)]
    [InlineData("contacts", "agent", false)]
    [InlineData("contacts", "readonly", true)]
    public async Task Viewing_another_agents_record_follows_the_role_matrix(string collection, string role, bool allowed)
    {
        var record = await RecordOwnedBy(collection, "agent2");
        var client = await host.As(role);

        var single = await client.GetAsync($"/api/v1/{collection}/{record}");
        var list = await client.GetFromJsonAsync<JsonElement>($"/api/v1/{collection}?pageSize=200");

        single.StatusCode.ShouldBe(allowed ? HttpStatusCode.OK : HttpStatusCode.NotFound);
        list.GetProperty("items").EnumerateArray().Any(r => r.GetProperty("id").GetGuid() == record).ShouldBe(allowed);
    }

    [Theory]
    [InlineData("accounts", "superadmin", HttpStatusCode.Created)]
    [InlineData("accounts", "admin", HttpStatusCode.Created)]
    [InlineData("accounts", "manager", HttpStatusCode.Created)]
    [InlineData("accounts", "agent", HttpStatusCode.Created)]
    [InlineData("accounts", "readonly", HttpStatusCode.Forbidden)]
    [InlineData("contacts", "superadmin", HttpStatusCode.Created)]
    [InlineData("contacts", "admin", HttpStatusCode.Created)]
    [InlineData("contacts", "manager", HttpStatusCode.Created)]
    [InlineData("contacts", "agent", HttpStatusCode.Created)]
    [InlineData("contacts", "readonly", HttpStatusCode.Forbidden)]
    public async Task Creating_a_record_follows_the_role_matrix(string collection, string role, HttpStatusCode expected)
    {
        var client = await host.As(role);

        var response = await client.PostAsJsonAsync($"/api/v1/{collection}", NewRecord(collection, "Created by " + role));

        response.StatusCode.ShouldBe(expected);
    }

    [Theory]
    [InlineData("accounts")]
    [InlineData("contacts")]
    public async Task Agent_creating_a_record_gets_it_assigned_to_themselves(string collection)
    {
        var agent = await host.As("agent");

        var created = await (await agent.PostAsJsonAsync($"/api/v1/{collection}", NewRecord(collection, "Mine"))).Content.ReadFromJsonAsync<JsonElement>();

        created.GetProperty("ownerId").GetGuid().ShouldBe(_tenant.Users["agent"]);
    }

    [Theory]
    [InlineData("accounts", "superadmin", "agent2", HttpStatusCode.OK)]
    [InlineData("accounts", "admin", "agent2", HttpStatusCode.OK)]
    [InlineData("accounts", "manager", "agent2", HttpStatusCode.OK)]
    [InlineData("accounts", "agent", "agent", HttpStatusCode.OK)]
    [InlineData("accounts", "agent", "agent2", HttpStatusCode.NotFound)]
    [InlineData("accounts", "readonly", "agent2", HttpStatusCode.Forbidden)]
    [InlineData("contacts", "superadmin", "agent2", HttpStatusCode.OK)]
    [InlineData("contacts", "admin", "agent2", HttpStatusCode.OK)]
    [InlineData("contacts", "manager", "agent2", HttpStatusCode.OK)]
    [InlineData("contacts", "agent", "agent", HttpStatusCode.OK)]
    [InlineData("contacts", "agent", "agent2", HttpStatusCode.NotFound)]
    [InlineData("contacts", "readonly", "agent2", HttpStatusCode.Forbidden)]
    public async Task Editing_a_record_follows_the_role_matrix(string collection, string role, string owner, HttpStatusCode expected)
    {
        var record = await RecordOwnedBy(collection, owner);
        var client = await host.As(role);

        var response = await client.PatchAsJsonAsync($"/api/v1/{collection}/{record}", 
            collection == "accounts" ? new { industry = $"Edited by {role}" } : (object)new { title = $"Edited by {role}" });

        response.StatusCode.ShouldBe(expected);
    }

    [Theory]
    [InlineData("accounts", "superadmin", HttpStatusCode.OK)]
    [InlineData("accounts", "manager", HttpStatusCode.OK)]
    [InlineData("accounts", "agent", HttpStatusCode.Forbidden)]
    [InlineData("contacts", "admin", HttpStatusCode.OK)]
    [InlineData("contacts", "manager", HttpStatusCode.OK)]
    [InlineData("contacts", "agent", HttpStatusCode.Forbidden)]
    public async Task Reassigning_a_record_follows_the_role_matrix(string collection, string role, HttpStatusCode expected)
    {
        var record = await RecordOwnedBy(collection, role is "agent" ? "agent" : "agent2");
        var client = await host.As(role);

        var response = await client.PatchAsJsonAsync($"/api/v1/{collection}/{record}", new { ownerId = _tenant.Users["manager"] });

        response.StatusCode.ShouldBe(expected);
    }

    [Theory]
    [InlineData("accounts", "superadmin", HttpStatusCode.NoContent)]
    [InlineData("accounts", "admin", HttpStatusCode.NoContent)]
    [InlineData("accounts", "manager", HttpStatusCode.Forbidden)]
    [InlineData("accounts", "agent", HttpStatusCode.Forbidden)]
    [InlineData("accounts", "readonly", HttpStatusCode.Forbidden)]
    [InlineData("contacts", "superadmin", HttpStatusCode.NoContent)]
    [InlineData("contacts", "admin", HttpStatusCode.NoContent)]
    [InlineData("contacts", "manager", HttpStatusCode.Forbidden)]
    [InlineData("contacts", "agent", HttpStatusCode.Forbidden)]
    [InlineData("contacts", "readonly", HttpStatusCode.Forbidden)]
    public async Task Deleting_a_record_is_for_admins_only(string collection, string role, HttpStatusCode expected)
    {
        var record = await RecordOwnedBy(collection, role is "agent" ? "agent" : "agent2");
        var client = await host.As(role);

        var response = await client.DeleteAsync($"/api/v1/{collection}/{record}");

        response.StatusCode.ShouldBe(expected);
        var after = await (await host.As("manager")).GetAsync($"/api/v1/{collection}/{record}");
        after.StatusCode.ShouldBe(expected == HttpStatusCode.NoContent ? HttpStatusCode.NotFound : HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("accounts", "account")]
    [InlineData("contacts", "contact")]
    public async Task Changes_are_audited_with_old_and_new_values(string collection, string entity)
    {
        var record = await RecordOwnedBy(collection, "agent");
        await (await host.As("manager")).PatchAsJsonAsync($"/api/v1/{collection}/{record}", new { ownerId = _tenant.Users["agent2"] });
        var admin = await host.As("admin");

        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?entity={entity}&entityId={record}");

        var entries = audit.GetProperty("items").EnumerateArray().ToList();
        entries.Select(e => e.GetProperty("action").GetString()).ShouldBe(["update", "create"]);
        var owner = entries[0].GetProperty("changes").GetProperty("ownerId");
        owner.GetProperty("old").GetGuid().ShouldBe(_tenant.Users["agent"]);
        owner.GetProperty("new").GetGuid().ShouldBe(_tenant.Users["agent2"]);
    }
}
