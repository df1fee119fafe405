using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Leads;

/// <summary>Every role against every lead action of the role matrix, through the API.</summary>
public sealed class LeadRoleMatrixTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private TestTenant _tenant => host.Tenant;

    private Task<HttpClient> As(string role) => host.As(role);

    private async Task<Guid> LeadOwnedBy(string role)
    {
        var manager = await As("manager");
        var response = await manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Owned by " + role, ownerId = _tenant.Users[role] });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Theory]
    [InlineData("superadmin", true)]
    [InlineData("admin", true)]
    [InlineData("manager", true)]
    [InlineData("agent", false)]
    [InlineData("readonly", true)]
    public async Task Viewing_another_agents_lead_follows_the_role_matrix(string role, bool allowed)
    {
        var lead = await LeadOwnedBy("agent2");
        var client = await As(role);

        var single = await client.GetAsync($"/api/v1/leads/{lead}");
        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/leads?pageSize=200");

        single.StatusCode.ShouldBe(allowed ? HttpStatusCode.OK : HttpStatusCode.NotFound);
        list.GetProperty("items").EnumerateArray().Any(l => l.GetProperty("id").GetGuid() == lead).ShouldBe(allowed);
    }

    [Fact]
    public async Task Agent_sees_only_leads_assigned_to_them()
    {
        var own = await LeadOwnedBy("agent");
        await LeadOwnedBy("agent2");
        var agent = await As("agent");

        var list = await agent.GetFromJsonAsync<JsonElement>("/api/v1/leads?pageSize=200");

        var owners = list.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("ownerId").GetGuid()).Distinct().ToList();
        owners.ShouldBe([_tenant.Users["agent"]]);
        list.GetProperty("items").EnumerateArray().ShouldContain(l => l.GetProperty("id").GetGuid() == own);
    }

    [Theory]
    [InlineData("superadmin", HttpStatusCode.Created)]
    [InlineData("admin", HttpStatusCode.Created)]
    [InlineData("manager", HttpStatusCode.Created)]
    [InlineData("agent", HttpStatusCode.Created)]
    [InlineData("readonly", HttpStatusCode.Forbidden)]
    public async Task Creating_a_lead_follows_the_role_matrix(string role, HttpStatusCode expected)
    {
        var client = await As(role);

        var response = await client.PostAsJsonAsync("/api/v1/leads", new { firstName = "New", lastName = "Prospect" });

        response.StatusCode.ShouldBe(expected);
    }

    [Fact]
    public async Task Agent_creating_a_lead_gets_it_assigned_to_themselves()
    {
        var agent = await As("agent");

        var lead = await (await agent.PostAsJsonAsync("/api/v1/leads", new { lastName = "Mine" })).Content.ReadFromJsonAsync<JsonElement>();

        lead.GetProperty("ownerId").GetGuid().ShouldBe(_tenant.Users["agent"]);
    }

    [Fact]
    public async Task Agent_cannot_create_a_lead_assigned_to_someone_else()
    {
        var agent = await As("agent");

        var response = await agent.PostAsJsonAsync("/api/v1/leads", new { lastName = "Theirs", ownerId = _tenant.Users["agent2"] });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("superadmin", "agent2", HttpStatusCode.OK)]
    [InlineData("admin", "agent2", HttpStatusCode.OK)]
    [InlineData("manager", "agent2", HttpStatusCode.OK)]
    [InlineData("agent", "agent", HttpStatusCode.OK)]
    [InlineData("agent", "agent2", HttpStatusCode.NotFound)]
    [InlineData("readonly", "agent2", HttpStatusCode.Forbidden)]
    public async Task Editing_a_lead_follows_the_role_matrix(string role, string owner, HttpStatusCode expected)
    {
        var lead = await LeadOwnedBy(owner);
        var client = await As(role);

        var response = await client.PatchAsJsonAsync($"/api/v1/leads/{lead}", new { notes = "Edited by " + role });

        response.StatusCode.ShouldBe(expected);
    }

    [Theory]
    [InlineData("superadmin", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("manager", HttpStatusCode.OK)]
    [InlineData("agent", HttpStatusCode.Forbidden)]
    [InlineData("readonly", HttpStatusCode.Forbidden)]
    public async Task Reassigning_a_lead_follows_the_role_matrix(string role, HttpStatusCode expected)
    {
        var lead = await LeadOwnedBy(role is "agent" ? "agent" : "agent2");
        var client = await As(role);

        var response = await client.PatchAsJsonAsync($"/api/v1/leads/{lead}", new { ownerId = _tenant.Users["manager"] });

        response.StatusCode.ShouldBe(expected);
        var stored = await (await As("manager")).GetFromJsonAsync<JsonElement>($"/api/v1/leads/{lead}");
        (stored.GetProperty("ownerId").GetGuid() == _tenant.Users["manager"]).ShouldBe(expected == HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("superadmin", HttpStatusCode.NoContent)]
    [InlineData("admin", HttpStatusCode.NoContent)]
    [InlineData("manager", HttpStatusCode.Forbidden)]
    [InlineData("agent", HttpStatusCode.Forbidden)]
    [InlineData("readonly", HttpStatusCode.Forbidden)]
    public async Task Deleting_a_lead_follows_the_role_matrix(string role, HttpStatusCode expected)
    {
        var lead = await LeadOwnedBy(role is "agent" ? "agent" : "agent2");
        var client = await As(role);

        var response = await client.DeleteAsync($"/api/v1/leads/{lead}");

        response.StatusCode.ShouldBe(expected);
        var after = await (await As("manager")).GetAsync($"/api/v1/leads/{lead}");
        after.StatusCode.ShouldBe(expected == HttpStatusCode.NoContent ? HttpStatusCode.NotFound : HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("superadmin", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("manager", HttpStatusCode.Forbidden)]
    [InlineData("agent", HttpStatusCode.Forbidden)]
    [InlineData("readonly", HttpStatusCode.Forbidden)]
    public async Task Viewing_the_audit_log_follows_the_role_matrix(string role, HttpStatusCode expected)
    {
        var client = await As(role);

        var response = await client.GetAsync("/api/v1/audit");

        response.StatusCode.ShouldBe(expected);
    }

    [Theory]
    [InlineData("superadmin", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.Forbidden)]
    [InlineData("manager", HttpStatusCode.Forbidden)]
    [InlineData("agent", HttpStatusCode.Forbidden)]
    [InlineData("readonly", HttpStatusCode.Forbidden)]
    public async Task Managing_tenants_is_for_superadmins_only(string role, HttpStatusCode expected)
    {
        var client = await As(role);

        var response = await client.GetAsync("/api/v1/tenants");

        response.StatusCode.ShouldBe(expected);
    }

    [Theory]
    [InlineData("superadmin", HttpStatusCode.Created)]
    [InlineData("admin", HttpStatusCode.Accepted)] // an invitation (ADR 0040)
    [InlineData("manager", HttpStatusCode.Forbidden)]
    [InlineData("agent", HttpStatusCode.Forbidden)]
    [InlineData("readonly", HttpStatusCode.Forbidden)]
    public async Task Managing_users_is_for_admins_and_superadmins(string role, HttpStatusCode expected)
    {
        var client = await As(role);

        var email = $"new-{role}-{Guid.NewGuid():N}@matrix.test";
        var response = role == "superadmin"
            ? await client.PostAsJsonAsync("/api/v1/users", new { email, firstName = "New", lastName = "Person", role = "agent", password = SwitchboardHost.Password })
            : await client.PostAsJsonAsync("/api/v1/users", new { email, role = "agent" });

        response.StatusCode.ShouldBe(expected);
    }

    [Fact]
    public async Task Lead_changes_are_audited_with_old_and_new_values()
    {
        var lead = await LeadOwnedBy("agent");
        await (await As("manager")).PatchAsJsonAsync($"/api/v1/leads/{lead}", new { status = "qualified" });
        var admin = await As("admin");

        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?entity=lead&entityId={lead}");

        var entries = audit.GetProperty("items").EnumerateArray().ToList();
        entries.Select(e => e.GetProperty("action").GetString()).ShouldBe(["updated", "created"]);
        var status = entries[0].GetProperty("changes").GetProperty("status");
        status.GetProperty("old").GetString().ShouldBe("new");
        status.GetProperty("new").GetString().ShouldBe("qualified");
        entries[0].GetProperty("actorId").GetGuid().ShouldBe(_tenant.Users["manager"]);
    }
}
