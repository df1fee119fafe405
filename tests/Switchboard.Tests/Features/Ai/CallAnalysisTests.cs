using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using Switchboard.Tests.Features.Calls;

namespace Switchboard.Tests.Features.Ai;

/// <summary>
/// A transcript, whichever way it comes in, becomes an analysis: a summary note on the lead, tasks for what the agent
/// promised, the lead's pending tasks the call shows done, each with the words it came from. Re-running replaces the
/// analysis without duplicating anything; undo takes back exactly what the AI changed.
/// </summary>
public sealed class CallAnalysisTests(CallingHost host) : IClassFixture<CallingHost>
{
    private static readonly object Promise = AnalysisSteps.Promise;

    [Fact]
    public async Task A_transcript_pushed_by_the_api_becomes_a_summary_note_and_a_task_with_its_quote()
    {
        var (lead, callId) = await CallAsync();
        var agent = await host.As("agent");

        var put = await agent.PutAsJsonAsync($"/api/v1/calls/{callId}/transcript", Promise);
        put.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var analysis = await AnalysedAsync(agent, callId);

        analysis.GetProperty("engine").GetString().ShouldBe("rules");
        analysis.GetProperty("summary").GetString().ShouldNotBeNullOrWhiteSpace();
        var item = analysis.GetProperty("actionItems").EnumerateArray().Single(i => i.GetProperty("type").GetString() == "email");
        item.GetProperty("quote").GetString()!.ShouldContain("pricing sheet");
        item.GetProperty("state").GetString().ShouldBe("created");
        var task = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/activities/{item.GetProperty("activityId").GetGuid()}");
        task.GetProperty("assigneeId").GetGuid().ShouldBe(host.Tenant.Users["agent"]);
        task.GetProperty("relatedId").GetGuid().ShouldBe(lead);
        task.GetProperty("sourceCallId").GetGuid().ShouldBe(callId);
        task.GetProperty("isAutoCreated").GetBoolean().ShouldBeTrue();
        task.GetProperty("dueAt").GetDateTimeOffset().DayOfWeek.ShouldBe(DayOfWeek.Friday);
        var notes = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/notes?relatedType=lead&relatedId={lead}");
        notes.GetProperty("items").EnumerateArray().ShouldContain(n => n.GetProperty("id").GetGuid() == analysis.GetProperty("noteId").GetGuid());
        var talk = analysis.GetProperty("talk");
        (talk.GetProperty("agentShare").GetDouble() + talk.GetProperty("contactShare").GetDouble()).ShouldBe(1.0, 0.011);
    }

    [Fact]
    public async Task A_provider_transcription_callback_is_analysed_like_any_other_transcript()
    {
        var (_, callId, sid) = await PlacedCallAsync();

        var callback = new Dictionary<string, string>
        {
            ["CallSid"] = sid, ["TranscriptionSid"] = $"TR{callId:N}", ["TranscriptionStatus"] = "completed",
            ["TranscriptionText"] = "Thanks for your time today. I'll send you the pricing sheet by Friday.",
        };
        (await host.PostSignedAsync(host.Webhook("transcription"), callback)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var analysis = await AnalysedAsync(await host.As("agent"), callId);
        analysis.GetProperty("actionItems").EnumerateArray().ShouldContain(i => i.GetProperty("type").GetString() == "email");
        analysis.GetProperty("talk").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Running_the_analysis_again_replaces_it_and_creates_nothing_twice()
    {
        var (lead, callId) = await CallAsync();
        var agent = await host.As("agent");
        await agent.PutAsJsonAsync($"/api/v1/calls/{callId}/transcript", Promise);
        var first = await AnalysedAsync(agent, callId);

        (await agent.PostAsync($"/api/v1/calls/{callId}/analysis", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var second = await AnalysedAsync(agent, callId, runs: 2);

        second.GetProperty("actionItems").GetArrayLength().ShouldBe(first.GetProperty("actionItems").GetArrayLength());
        var tasks = await TasksOfAsync(agent, lead);
        tasks.Count(t => t.GetProperty("sourceCallId").ValueKind == JsonValueKind.String).ShouldBe(CreatedItems(second).Count());
        var notes = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/notes?relatedType=lead&relatedId={lead}");
        notes.GetProperty("items").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task A_task_the_agent_changed_survives_a_rerun_and_is_not_created_again()
    {
        var (lead, callId) = await CallAsync();
        var agent = await host.As("agent");
        await agent.PutAsJsonAsync($"/api/v1/calls/{callId}/transcript", Promise);
        var taskId = CreatedItems(await AnalysedAsync(agent, callId)).First();
        (await agent.PatchAsJsonAsync($"/api/v1/activities/{taskId}", new { priority = "high" })).EnsureSuccessStatusCode();

        await agent.PostAsync($"/api/v1/calls/{callId}/analysis", null);
        var rerun = await AnalysedAsync(agent, callId, runs: 2);

        CreatedItems(rerun).ShouldContain(taskId);
        (await TasksOfAsync(agent, lead)).Count(t => t.GetProperty("sourceCallId").ValueKind == JsonValueKind.String).ShouldBe(CreatedItems(rerun).Count());
    }

    [Fact]
    public async Task A_pending_task_the_call_shows_done_is_completed_with_the_quote_and_undo_reopens_it()
    {
        var (lead, callId) = await CallAsync();
        var agent = await host.As("agent");
        var created = await agent.PostAsJsonAsync("/api/v1/activities",
            new { type = "email", subject = "Send the pricing sheet", relatedType = "lead", relatedId = lead, assigneeId = host.Tenant.Users["agent"] });
        var pendingId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        await agent.PutAsJsonAsync($"/api/v1/calls/{callId}/transcript",
            new { text = "Agent: Hi Dana, I've just sent you the pricing sheet.\nContact: Got it, thanks. I'll review it with my team." });
        var analysis = await AnalysedAsync(agent, callId);

        analysis.GetProperty("fulfilled").EnumerateArray().ShouldContain(f => f.GetProperty("activityId").GetGuid() == pendingId);
        var done = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/activities/{pendingId}");
        done.GetProperty("status").GetString().ShouldBe("completed");
        done.GetProperty("completedByCallId").GetGuid().ShouldBe(callId);
        done.GetProperty("completionNote").GetString()!.ShouldContain("sent you the pricing sheet");

        var undone = await agent.PostAsync($"/api/v1/calls/{callId}/analysis/undo", null);
        undone.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await agent.GetFromJsonAsync<JsonElement>($"/api/v1/activities/{pendingId}")).GetProperty("status").GetString().ShouldBe("pending");
        var notes = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/notes?relatedType=lead&relatedId={lead}");
        notes.GetProperty("items").GetArrayLength().ShouldBe(0);
        (await agent.PostAsync($"/api/v1/calls/{callId}/analysis/undo", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Undo_deletes_the_tasks_the_ai_created_and_the_audit_names_the_ai_and_the_agent()
    {
        var (lead, callId) = await CallAsync();
        var agent = await host.As("agent");
        await agent.PutAsJsonAsync($"/api/v1/calls/{callId}/transcript", Promise);
        var taskIds = CreatedItems(await AnalysedAsync(agent, callId)).ToList();
        taskIds.ShouldNotBeEmpty();

        var undone = await (await agent.PostAsync($"/api/v1/calls/{callId}/analysis/undo", null)).Content.ReadFromJsonAsync<JsonElement>();

        undone.GetProperty("undoneAt").ValueKind.ShouldBe(JsonValueKind.String);
        undone.GetProperty("actionItems").EnumerateArray().Where(i => i.GetProperty("state").GetString() == "undone").Count().ShouldBe(taskIds.Count);
        foreach (var id in taskIds) (await agent.GetAsync($"/api/v1/activities/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var admin = await host.As("admin");
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?entity=activity&entityId={taskIds[0]}");
        var rows = audit.GetProperty("items").EnumerateArray().ToList();
        rows.ShouldContain(r => r.GetProperty("action").GetString() == "created" && r.GetProperty("actorName").GetString() == "ai:rules");
        rows.ShouldContain(r => r.GetProperty("action").GetString() == "deleted" && r.GetProperty("actorType").GetString() == "user");
    }

    [Fact]
    public async Task When_the_tenant_wants_no_tasks_at_once_items_are_suggestions_the_agent_accepts_or_dismisses()
    {
        var admin = await host.As("admin");
        (await admin.PatchAsJsonAsync("/api/v1/ai/settings", new { autoCreateMinPriority = "none" })).EnsureSuccessStatusCode();
        try
        {
            var (lead, callId) = await CallAsync();
            var agent = await host.As("agent");
            await agent.PutAsJsonAsync($"/api/v1/calls/{callId}/transcript", new
            {
                text = "Agent: I'll send you the pricing sheet by Friday. I'll also call you back next Tuesday to go over it.",
            });
            var analysis = await AnalysedAsync(agent, callId);
            var items = analysis.GetProperty("actionItems").EnumerateArray().ToList();
            items.Count.ShouldBeGreaterThanOrEqualTo(2);
            items.ShouldAllBe(i => i.GetProperty("state").GetString() == "suggested");
            (await TasksOfAsync(agent, lead)).ShouldBeEmpty();

            var accepted = await (await agent.PostAsync($"/api/v1/calls/{callId}/analysis/items/0/accept", null)).Content.ReadFromJsonAsync<JsonElement>();
            var dismissed = await agent.PostAsync($"/api/v1/calls/{callId}/analysis/items/1/dismiss", null);

            var first = accepted.GetProperty("actionItems")[0];
            first.GetProperty("state").GetString().ShouldBe("accepted");
            (await agent.GetFromJsonAsync<JsonElement>($"/api/v1/activities/{first.GetProperty("activityId").GetGuid()}"))
                .GetProperty("subject").GetString().ShouldBe(first.GetProperty("title").GetString());
            (await dismissed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("actionItems")[1].GetProperty("state").GetString().ShouldBe("dismissed");
            (await agent.PostAsync($"/api/v1/calls/{callId}/analysis/items/1/accept", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await agent.PostAsync($"/api/v1/calls/{callId}/analysis/items/9/accept", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        }
        finally
        {
            (await admin.PatchAsJsonAsync("/api/v1/ai/settings", new { autoCreateMinPriority = "medium" })).EnsureSuccessStatusCode();
        }
    }

    [Theory]
    [InlineData("""{"text": "Hello", "utterances": [{"speaker": "agent", "text": "Hi"}]}""", "text")]
    [InlineData("""{"text": "   "}""", "text")]
    [InlineData("""{}""", "text")]
    [InlineData("""{"utterances": []}""", "utterances")]
    [InlineData("""{"utterances": [{"speaker": "robot", "text": "Hi"}]}""", "utterances[0].speaker")]
    [InlineData("""{"utterances": [{"speaker": "agent", "start": 5, "end": 2, "text": "Hi"}]}""", "utterances[0].end")]
    [InlineData("""{"utterances": [{"speaker": "agent", "text": ""}]}""", "utterances[0].text")]
    [InlineData("""{"text": "Hi", "language": "en"}""", "language")]
    public async Task A_transcript_that_is_not_well_formed_is_refused_naming_the_field(string body, string field)
    {
        var (_, callId) = await CallAsync();
        var response = await (await host.As("agent")).PutAsync($"/api/v1/calls/{callId}/transcript", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Only_people_who_may_see_the_call_and_work_calls_can_push_a_transcript_or_read_the_analysis()
    {
        var (_, callId) = await CallAsync();
        var body = new { text = "Agent: I'll send you the pricing sheet by Friday." };

        (await (await host.As("agent2")).PutAsJsonAsync($"/api/v1/calls/{callId}/transcript", body)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await host.As("agent2")).GetAsync($"/api/v1/calls/{callId}/analysis")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await host.As("readonly")).PutAsJsonAsync($"/api/v1/calls/{callId}/transcript", body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var other = await host.LoginAsync((await host.CreateTenantAsync("other")).Email("admin"));
        (await other.GetAsync($"/api/v1/calls/{callId}/analysis")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.PutAsJsonAsync($"/api/v1/calls/{callId}/transcript", body)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await host.As("agent")).GetAsync($"/api/v1/calls/{callId}/analysis")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_api_key_with_calls_write_pushes_a_transcript_and_one_with_calls_read_only_reads()
    {
        var (_, callId) = await CallAsync();
        var admin = await host.As("admin");
        using var writer = await KeyAsync(admin, "calls:write");
        using var reader = await KeyAsync(admin, "calls:read");
        var body = new { text = "Agent: I'll send you the pricing sheet by Friday." };

        (await reader.PutAsJsonAsync($"/api/v1/calls/{callId}/transcript", body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await writer.PutAsJsonAsync($"/api/v1/calls/{callId}/transcript", body)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await AnalysedAsync(reader, callId);
    }

    private async Task<HttpClient> KeyAsync(HttpClient admin, string scope)
    {
        var created = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = $"Transcripts {scope}", scopes = new[] { scope } });
        created.EnsureSuccessStatusCode();
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());
        return client;
    }

    private async Task<(Guid Lead, Guid CallId)> CallAsync()
    {
        var (lead, callId, _) = await PlacedCallAsync();
        return (lead, callId);
    }

    private Task<(Guid Lead, Guid CallId, string Sid)> PlacedCallAsync() => AnalysisSteps.PlacedCallAsync(host);

    private static Task<JsonElement> AnalysedAsync(HttpClient client, Guid callId, int runs = 1) => AnalysisSteps.AnalysedAsync(client, callId, runs);

    private static IEnumerable<Guid> CreatedItems(JsonElement analysis) => AnalysisSteps.CreatedItems(analysis);

    private static Task<List<JsonElement>> TasksOfAsync(HttpClient client, Guid lead) => AnalysisSteps.TasksOfAsync(client, lead);
}
