using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Activities;

/// <summary>Related-record validation, completing and reopening, and optimistic concurrency of activities.</summary>
public sealed class ActivityApiTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private Task<HttpClient> As(string role) => host.As(role);

    private static async Task<JsonElement> ErrorsOf(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        return (await response.JsonAsync()).GetProperty("errors");
    }

    [Fact]
    public async Task Relating_to_a_missing_record_is_a_field_error()
    {
        var response = await (await As("manager")).CreateActivityAsync(new { subject = "Ghost", relatedType = "lead", relatedId = Guid.NewGuid() });

        (await ErrorsOf(response)).TryGetProperty("relatedId", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Relating_to_an_unknown_record_type_is_a_field_error()
    {
        var response = await (await As("manager")).CreateActivityAsync(new { subject = "Odd", relatedType = "invoice", relatedId = Guid.NewGuid() });

        (await ErrorsOf(response)).TryGetProperty("relatedType", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Relating_to_another_tenants_record_is_a_field_error()
    {
        var other = await host.CreateTenantAsync("other");
        using var adminOfOther = await host.LoginAsync(other.Email("admin"));
        var foreignLead = await ActivityTestData.IdOf(await adminOfOther.PostAsJsonAsync("/api/v1/leads", new { lastName = "Elsewhere" }));

        var response = await (await As("admin")).CreateActivityAsync(new { subject = "Sneaky", relatedType = "lead", relatedId = foreignLead });

        (await ErrorsOf(response)).TryGetProperty("relatedId", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Agent_cannot_relate_an_activity_to_a_record_they_do_not_own()
    {
        var lead = await host.LeadOwnedByAsync("agent2");

        var response = await (await As("agent")).CreateActivityAsync(new { subject = "Not mine", relatedType = "lead", relatedId = lead });

        (await ErrorsOf(response)).TryGetProperty("relatedId", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Agent_cannot_write_a_note_on_a_record_they_do_not_own()
    {
        var lead = await host.LeadOwnedByAsync("agent2");

        var response = await (await As("agent")).PostAsJsonAsync("/api/v1/notes", new { body = "Hello", relatedType = "lead", relatedId = lead });

        (await ErrorsOf(response)).TryGetProperty("relatedId", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task A_note_needs_a_related_record()
    {
        var response = await (await As("manager")).PostAsJsonAsync("/api/v1/notes", new { body = "Floating" });

        (await ErrorsOf(response)).TryGetProperty("relatedType", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Agent_relates_an_activity_to_their_own_lead()
    {
        var lead = await host.LeadOwnedByAsync("agent");

        var response = await (await As("agent")).CreateActivityAsync(new { subject = "Mine", relatedType = "lead", relatedId = lead });

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Completing_stamps_completed_at_and_reopening_clears_it()
    {
        var agent = await As("agent");
        var task = await agent.ActivityAsync(new { subject = "Send the quote" });

        var completed = await (await agent.PostAsync($"/api/v1/activities/{task}/complete", null)).JsonAsync();
        var reopened = await (await agent.PatchAsJsonAsync($"/api/v1/activities/{task}", new { status = "pending" })).JsonAsync();

        completed.GetProperty("status").GetString().ShouldBe("completed");
        completed.GetProperty("completedAt").ValueKind.ShouldBe(JsonValueKind.String);
        reopened.GetProperty("status").GetString().ShouldBe("pending");
        reopened.GetProperty("completedAt").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Completing_through_a_patch_also_stamps_completed_at()
    {
        var agent = await As("agent");
        var task = await agent.ActivityAsync(new { subject = "Book the demo" });

        var completed = await (await agent.PatchAsJsonAsync($"/api/v1/activities/{task}", new { status = "completed" })).JsonAsync();

        completed.GetProperty("completedAt").ValueKind.ShouldBe(JsonValueKind.String);
    }

    [Fact]
    public async Task A_stale_if_match_is_refused()
    {
        var agent = await As("agent");
        var task = await agent.ActivityAsync(new { subject = "Versioned" });
        await agent.PatchAsJsonAsync($"/api/v1/activities/{task}", new { priority = "low" });
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/activities/{task}") { Content = JsonContent.Create(new { priority = "high" }) };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));

        (await agent.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task Changes_to_an_activity_are_audited()
    {
        var agent = await As("agent");
        var task = await agent.ActivityAsync(new { subject = "Audited" });
        await agent.PostAsync($"/api/v1/activities/{task}/complete", null);

        var audit = await (await As("admin")).GetFromJsonAsync<JsonElement>($"/api/v1/audit?entity=activity&entityId={task}");

        audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ShouldBe(["updated", "created"]);
    }

    [Fact]
    public async Task Listing_filters_by_related_record_and_status()
    {
        var manager = await As("manager");
        var lead = await host.LeadOwnedByAsync("agent");
        var open = await manager.ActivityAsync(new { subject = "Open", relatedType = "lead", relatedId = lead });
        var done = await manager.ActivityAsync(new { subject = "Done", relatedType = "lead", relatedId = lead });
        await manager.PostAsync($"/api/v1/activities/{done}/complete", null);

        var list = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/activities?relatedType=lead&relatedId={lead}&status=pending");

        list.Ids().ShouldBe([open]);
    }
}
