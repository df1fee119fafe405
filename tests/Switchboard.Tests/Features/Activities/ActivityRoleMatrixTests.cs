using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Activities;

/// <summary>Every role against the activity and note rows of the role matrix, through the API.</summary>
public sealed class ActivityRoleMatrixTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private Task<HttpClient> As(string role) => host.As(role);

    /// <summary>A task agent2 created for themselves about their own lead: nothing ties it to "agent" (or the manager).</summary>
    private async Task<Guid> ForeignTaskAsync()
    {
        var lead = await host.LeadOwnedByAsync("agent2");
        return await (await As("agent2")).ActivityAsync(new { subject = "Call back", relatedType = "lead", relatedId = lead });
    }

    [Theory]
    [InlineData("superadmin", true)]
    [InlineData("admin", true)]
    [InlineData("manager", true)]
    [InlineData("agent", false)]
    [InlineData("readonly", true)]
    public async Task Viewing_another_agents_activity_follows_the_role_matrix(string role, bool allowed)
    {
        var task = await ForeignTaskAsync();
        var client = await As(role);

        var single = await client.GetAsync($"/api/v1/activities/{task}");
        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/activities?pageSize=200");

        single.StatusCode.ShouldBe(allowed ? HttpStatusCode.OK : HttpStatusCode.NotFound);
        list.Ids().Contains(task).ShouldBe(allowed);
    }

    [Fact]
    public async Task Agent_sees_activities_assigned_to_them_created_by_them_or_about_their_records()
    {
        var ownLead = await host.LeadOwnedByAsync("agent");
        var manager = await As("manager");
        var assigned = await manager.ActivityAsync(new { subject = "Assigned to agent", assigneeId = host.Tenant.Users["agent"] });
        var aboutOwnLead = await manager.ActivityAsync(new { subject = "About agent's lead", assigneeId = host.Tenant.Users["agent2"], relatedType = "lead", relatedId = ownLead });
        var created = await (await As("agent")).ActivityAsync(new { subject = "Created by agent" });
        var foreign = await ForeignTaskAsync();

        var list = await (await As("agent")).GetFromJsonAsync<JsonElement>("/api/v1/activities?pageSize=200");

        list.Ids().ShouldContain(assigned);
        list.Ids().ShouldContain(aboutOwnLead);
        list.Ids().ShouldContain(created);
        list.Ids().ShouldNotContain(foreign);
    }

    [Theory]
    [InlineData("admin", HttpStatusCode.Created)]
    [InlineData("manager", HttpStatusCode.Created)]
    [InlineData("agent", HttpStatusCode.Created)]
    [InlineData("readonly", HttpStatusCode.Forbidden)]
    public async Task Creating_an_activity_follows_the_role_matrix(string role, HttpStatusCode expected) =>
        (await (await As(role)).CreateActivityAsync(new { subject = "Follow up" })).StatusCode.ShouldBe(expected);

    [Fact]
    public async Task Agent_cannot_assign_an_activity_to_someone_else()
    {
        var response = await (await As("agent")).CreateActivityAsync(new { subject = "For agent2", assigneeId = host.Tenant.Users["agent2"] });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Manager_can_assign_an_activity_to_an_agent()
    {
        var response = await (await As("manager")).CreateActivityAsync(new { subject = "For agent", assigneeId = host.Tenant.Users["agent"] });

        (await response.JsonAsync()).GetProperty("assigneeId").GetGuid().ShouldBe(host.Tenant.Users["agent"]);
    }

    [Theory]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("manager", HttpStatusCode.OK)]
    [InlineData("agent", HttpStatusCode.NotFound)]
    [InlineData("readonly", HttpStatusCode.Forbidden)]
    public async Task Editing_another_agents_activity_follows_the_role_matrix(string role, HttpStatusCode expected)
    {
        var task = await ForeignTaskAsync();

        var response = await (await As(role)).PatchAsJsonAsync($"/api/v1/activities/{task}", new { priority = "high" });

        response.StatusCode.ShouldBe(expected);
    }

    [Theory]
    [InlineData("admin", HttpStatusCode.NoContent)]
    [InlineData("manager", HttpStatusCode.Forbidden)]
    [InlineData("readonly", HttpStatusCode.Forbidden)]
    public async Task Deleting_an_activity_is_for_administrators(string role, HttpStatusCode expected)
    {
        var task = await ForeignTaskAsync();

        (await (await As(role)).DeleteAsync($"/api/v1/activities/{task}")).StatusCode.ShouldBe(expected);
    }

    [Fact]
    public async Task Creator_may_delete_their_own_pending_task()
    {
        var agent = await As("agent");
        var task = await agent.ActivityAsync(new { subject = "Oops" });

        (await agent.DeleteAsync($"/api/v1/activities/{task}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Creator_cannot_delete_their_task_once_completed()
    {
        var agent = await As("agent");
        var task = await agent.ActivityAsync(new { subject = "Done" });
        await agent.PostAsync($"/api/v1/activities/{task}/complete", null);

        (await agent.DeleteAsync($"/api/v1/activities/{task}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Agent_cannot_edit_another_agents_note_on_their_own_lead()
    {
        var lead = await host.LeadOwnedByAsync("agent");
        var note = await (await As("manager")).NoteAsync(lead, "Manager's note");
        var agent = await As("agent");

        var read = await agent.GetAsync($"/api/v1/notes/{note}");
        var edit = await agent.PatchAsJsonAsync($"/api/v1/notes/{note}", new { body = "Rewritten" });

        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        edit.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("agent", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("manager", HttpStatusCode.Forbidden)]
    public async Task Notes_are_edited_by_their_author_or_an_administrator(string role, HttpStatusCode expected)
    {
        var lead = await host.LeadOwnedByAsync("agent");
        var note = await (await As("agent")).NoteAsync(lead, "Agent's note");

        var response = await (await As(role)).PatchAsJsonAsync($"/api/v1/notes/{note}", new { body = "Edited" });

        response.StatusCode.ShouldBe(expected);
    }

    [Fact]
    public async Task Agent_cannot_see_notes_about_another_agents_lead()
    {
        var lead = await host.LeadOwnedByAsync("agent2");
        var note = await (await As("agent2")).NoteAsync(lead, "Private to agent2's lead");

        (await (await As("agent")).GetAsync($"/api/v1/notes/{note}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Readonly_cannot_write_a_note()
    {
        var lead = await host.LeadOwnedByAsync("agent");

        var response = await (await As("readonly")).PostAsJsonAsync("/api/v1/notes", new { body = "Hi", relatedType = "lead", relatedId = lead });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
