using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Activities;

/// <summary>A lead with a call, a note and a task (and an owner change) shows all of them on its timeline, newest first.</summary>
public sealed class TimelineTests(TimelineTests.Host host) : IClassFixture<TimelineTests.Host>
{
    /// <summary>The app's clock is the test's: each step of a timeline happens at a moment the test chooses.</summary>
    public sealed class Host : SwitchboardHostWithTenant
    {
        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }

    private async Task InsertCallAsync(Guid leadId, DateTimeOffset createdAt)
    {
        await using var connection = new NpgsqlConnection(host.Database.SuperuserConnectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand("""
            insert into calls (tenant_id, id, direction, from_number, to_number, lead_id, agent_id, provider, status, created_at, updated_at, notes)
            values (@tenant, @id, 'outbound', '+12125550100', '+12125550150', @lead, @agent, 'twilio', 'completed', @created, @created, 'Asked about pricing')
            """, connection);
        insert.Parameters.AddWithValue("tenant", host.Tenant.Id);
        insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
        insert.Parameters.AddWithValue("lead", leadId);
        insert.Parameters.AddWithValue("agent", host.Tenant.Users["agent"]);
        insert.Parameters.AddWithValue("created", createdAt);
        await insert.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_leads_timeline_lists_its_call_note_task_and_changes_newest_first()
    {
        var lead = await host.LeadOwnedByAsync("agent2");
        var manager = await host.As("manager");
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        await manager.PatchAsJsonAsync($"/api/v1/leads/{lead}", new { ownerId = host.Tenant.Users["agent"] });
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        await InsertCallAsync(lead, host.Clock.GetUtcNow());
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var agent = await host.As("agent");
        var note = await agent.NoteAsync(lead, "Wants **pricing**");
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var task = await agent.ActivityAsync(new { subject = "Send pricing", relatedType = "lead", relatedId = lead });

        var timeline = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/timeline?relatedType=lead&relatedId={lead}");

        var items = timeline.GetProperty("items").EnumerateArray().ToList();
        var kinds = items.Select(i => i.GetProperty("kind").GetString()).ToList();
        kinds.ShouldBe(["activity", "note", "call", "change", "change"]);
        items[0].GetProperty("id").GetGuid().ShouldBe(task);
        items[1].GetProperty("id").GetGuid().ShouldBe(note);
        items[1].GetProperty("html").GetString()!.ShouldContain("<strong>pricing</strong>");
        items[3].GetProperty("changes")[0].GetProperty("field").GetString().ShouldBe("owner");
        var times = items.Select(i => i.GetProperty("occurredAt").GetDateTimeOffset()).ToList();
        times.ShouldBe(times.OrderByDescending(t => t).ToList());
    }

    [Fact]
    public async Task Agent_cannot_read_the_timeline_of_another_agents_lead()
    {
        var lead = await host.LeadOwnedByAsync("agent2");

        var response = await (await host.As("agent")).GetAsync($"/api/v1/timeline?relatedType=lead&relatedId={lead}");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_timeline_is_paged()
    {
        var lead = await host.LeadOwnedByAsync("agent");
        var agent = await host.As("agent");
        for (var i = 0; i < 3; i++) await agent.NoteAsync(lead, $"Note {i}");

        var page = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/timeline?relatedType=lead&relatedId={lead}&pageSize=2&page=2");

        page.GetProperty("total").GetInt32().ShouldBe(4); // three notes and the lead's creation
        page.GetProperty("items").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task The_lead_page_shows_the_timeline_card()
    {
        var lead = await host.LeadOwnedByAsync("agent");
        await (await host.As("agent")).NoteAsync(lead, "Visible on the page <script>alert(1)</script>");
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, host.Tenant.Email("agent"));
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = host.BaseAddress };

        var html = await browser.GetStringAsync($"/leads/{lead}");

        html.ShouldContain("data-testid=\"record-timeline\"");
        html.ShouldContain("Visible on the page");
        html.ShouldNotContain("<script>alert(1)</script>");
    }
}
