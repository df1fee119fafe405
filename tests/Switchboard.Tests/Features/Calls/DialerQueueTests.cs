using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Calls;

/// <summary>Saved dialer queues through the API: private to their user, edited by merge patch, deleted, audited.</summary>
public sealed class DialerQueueTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private const string Queues = "/api/v1/dialer/queues";

    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private async Task<Guid> QueueAsync(string role = "agent", object? body = null)
    {
        var response = await (await host.As(role)).PostAsJsonAsync(Queues, body ?? new { name = "Fresh leads", statuses = new[] { "new" } });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await Json(response)).GetProperty("id").GetGuid();
    }

    private async Task<JsonElement> AuditAsync(Guid queue, string action) =>
        await (await host.As("admin")).GetFromJsonAsync<JsonElement>($"/api/v1/audit?entity=dialer-queue&entityId={queue}&action={action}");

    [Fact]
    public async Task Agent_renames_their_queue_and_its_filter_is_kept()
    {
        var queue = await QueueAsync();
        var agent = await host.As("agent");

        var response = await agent.PatchAsJsonAsync($"{Queues}/{queue}", new { name = "  Hot today  " });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var renamed = await agent.GetFromJsonAsync<JsonElement>($"{Queues}/{queue}");
        renamed.GetProperty("name").GetString().ShouldBe("Hot today");
        renamed.GetProperty("filter").GetProperty("statuses").EnumerateArray().Select(s => s.GetString()).ShouldBe(["new"]);
    }

    [Fact]
    public async Task A_rename_is_audited_with_the_old_and_new_name_only()
    {
        var queue = await QueueAsync();

        (await (await host.As("agent")).PatchAsJsonAsync($"{Queues}/{queue}", new { name = "Audited" })).EnsureSuccessStatusCode();

        var audit = await AuditAsync(queue, "updated");
        audit.GetProperty("total").GetInt32().ShouldBe(1);
        var changes = audit.GetProperty("items")[0].GetProperty("changes");
        changes.GetProperty("name").GetProperty("old").GetString().ShouldBe("Fresh leads");
        changes.GetProperty("name").GetProperty("new").GetString().ShouldBe("Audited");
        changes.TryGetProperty("filter", out _).ShouldBeFalse(changes.GetRawText());
    }

    [Fact]
    public async Task A_merge_patch_changes_only_the_criteria_it_names()
    {
        var queue = await QueueAsync(body: new { name = "Stale", statuses = new[] { "contacted" }, lastCalledBefore = "2026-01-15" });
        var agent = await host.As("agent");

        var response = await agent.PatchAsJsonAsync($"{Queues}/{queue}", new { neverCalled = true, lastCalledBefore = (string?)null });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var patched = await Json(response);
        var filter = patched.GetProperty("filter");
        filter.GetProperty("neverCalled").GetBoolean().ShouldBeTrue();
        filter.GetProperty("lastCalledBefore").ValueKind.ShouldBe(JsonValueKind.Null);
        filter.GetProperty("statuses").EnumerateArray().Select(s => s.GetString()).ShouldBe(["contacted"]);
        patched.GetProperty("name").GetString().ShouldBe("Stale");
    }

    [Fact]
    public async Task An_invalid_patch_is_a_400_naming_each_field_and_changes_nothing()
    {
        var queue = await QueueAsync();
        var agent = await host.As("agent");

        var response = await agent.PatchAsJsonAsync($"{Queues}/{queue}", new { name = "", statuses = new[] { "hot" }, lastCalledBefore = "tomorrow", color = "red" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await Json(response)).GetProperty("errors");
        errors.GetProperty("name")[0].GetString().ShouldBe("Name is required.");
        errors.GetProperty("statuses")[0].GetString().ShouldBe("'hot' is not a lead status.");
        errors.TryGetProperty("lastCalledBefore", out _).ShouldBeTrue();
        errors.TryGetProperty("color", out _).ShouldBeTrue();
        (await agent.GetFromJsonAsync<JsonElement>($"{Queues}/{queue}")).GetProperty("name").GetString().ShouldBe("Fresh leads");
    }

    [Fact]
    public async Task A_name_longer_than_100_characters_is_refused()
    {
        var queue = await QueueAsync();

        var response = await (await host.As("agent")).PatchAsJsonAsync($"{Queues}/{queue}", new { name = new string('q', 101) });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Json(response)).GetProperty("errors").GetProperty("name")[0].GetString().ShouldBe("Name must be at most 100 characters.");
    }

    [Fact]
    public async Task Never_called_and_last_called_before_together_are_refused()
    {
        var queue = await QueueAsync(body: new { name = "Old", lastCalledBefore = "2026-01-15" });

        var response = await (await host.As("agent")).PatchAsJsonAsync($"{Queues}/{queue}", new { neverCalled = true });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Json(response)).GetProperty("errors").TryGetProperty("lastCalledBefore", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Agent_deletes_their_queue_and_the_delete_is_audited()
    {
        var queue = await QueueAsync();
        var agent = await host.As("agent");

        var response = await agent.DeleteAsync($"{Queues}/{queue}");

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await agent.GetAsync($"{Queues}/{queue}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await agent.GetFromJsonAsync<JsonElement>(Queues)).EnumerateArray().ShouldNotContain(q => q.GetProperty("id").GetGuid() == queue);
        (await AuditAsync(queue, "deleted")).GetProperty("total").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Another_agents_queue_is_not_found_for_reading_renaming_or_deleting()
    {
        var queue = await QueueAsync("agent");
        var other = await host.As("agent2");

        (await other.GetAsync($"{Queues}/{queue}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.PatchAsJsonAsync($"{Queues}/{queue}", new { name = "Mine now" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.DeleteAsync($"{Queues}/{queue}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await host.As("agent")).GetFromJsonAsync<JsonElement>($"{Queues}/{queue}")).GetProperty("name").GetString().ShouldBe("Fresh leads");
    }

    [Fact]
    public async Task Queues_are_private_even_from_the_tenants_admin()
    {
        var queue = await QueueAsync("agent");
        var admin = await host.As("admin");

        (await admin.PatchAsJsonAsync($"{Queues}/{queue}", new { name = "Admin's" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.DeleteAsync($"{Queues}/{queue}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_tenants_queue_is_not_found()
    {
        var queue = await QueueAsync("agent");
        var otherTenant = await host.CreateTenantAsync("elsewhere");
        using var outsider = await host.LoginAsync(otherTenant.Email("admin"));

        (await outsider.PatchAsJsonAsync($"{Queues}/{queue}", new { name = "Stolen" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await outsider.DeleteAsync($"{Queues}/{queue}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await host.As("agent")).GetAsync($"{Queues}/{queue}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Readonly_user_cannot_create_rename_or_delete_queues()
    {
        var queue = await QueueAsync("agent");
        var readonlyUser = await host.As("readonly");

        (await readonlyUser.PostAsJsonAsync(Queues, new { name = "Peek" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await readonlyUser.PatchAsJsonAsync($"{Queues}/{queue}", new { name = "Peek" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await readonlyUser.DeleteAsync($"{Queues}/{queue}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await (await host.As("agent")).GetAsync($"{Queues}/{queue}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_agents_queue_always_dials_their_own_leads_whatever_owner_the_patch_names()
    {
        var queue = await QueueAsync("agent");

        var response = await (await host.As("agent")).PatchAsJsonAsync($"{Queues}/{queue}", new { ownerId = host.Tenant.Users["agent2"] });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Json(response)).GetProperty("filter").GetProperty("ownerId").GetGuid().ShouldBe(host.Tenant.Users["agent"]);
    }
}
