using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using Switchboard.Tests.Features.Calls;

namespace Switchboard.Tests.Features.Ai;

/// <summary>
/// GET …/call-prep from a seeded history: an analysed call whose promise is still a pending task, notes and tasks, the
/// workspace's script filled for the record; and who may read it (the record's visibility, API key scopes).
/// </summary>
public sealed class CallPrepTests(CallingHost host) : IClassFixture<CallingHost>
{
    private static readonly object Promise = AnalysisSteps.Promise;

    [Fact]
    public async Task The_last_calls_promise_whose_task_is_pending_is_an_open_promise_with_its_quote()
    {
        var (lead, callId) = await AnalysedCallAsync();
        var agent = await host.As("agent");

        var prep = await PrepAsync(agent, $"/api/v1/leads/{lead}/call-prep");

        var last = prep.GetProperty("lastCall");
        last.GetProperty("id").GetGuid().ShouldBe(callId);
        last.GetProperty("analysisStatus").GetString().ShouldBe("completed");
        last.GetProperty("summary").GetString().ShouldNotBeNullOrWhiteSpace();
        var promise = last.GetProperty("openPromises").EnumerateArray().Single(p => p.GetProperty("quote").GetString()!.Contains("pricing sheet by Friday"));
        promise.GetProperty("state").GetString().ShouldBe("task");
        promise.GetProperty("callId").GetGuid().ShouldBe(callId);
        var task = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/activities/{promise.GetProperty("activityId").GetGuid()}");
        task.GetProperty("status").GetString().ShouldBe("pending");
        prep.GetProperty("openTasks").EnumerateArray().ShouldContain(t => t.GetProperty("id").GetGuid() == task.GetProperty("id").GetGuid());
        prep.GetProperty("talkingPointsSource").GetString().ShouldBe("history");
        var points = prep.GetProperty("talkingPoints").EnumerateArray().Select(p => p.GetString()!).ToList();
        points.Count.ShouldBe(7);
        points.ShouldContain(p => p.Contains("pricing sheet"));
    }

    [Fact]
    public async Task A_promise_whose_task_is_done_is_no_longer_open()
    {
        var (lead, _) = await AnalysedCallAsync();
        var agent = await host.As("agent");
        var promise = (await PrepAsync(agent, $"/api/v1/leads/{lead}/call-prep")).GetProperty("lastCall").GetProperty("openPromises").EnumerateArray()
            .First(p => p.GetProperty("state").GetString() == "task");

        (await agent.PostAsync($"/api/v1/activities/{promise.GetProperty("activityId").GetGuid()}/complete", null)).EnsureSuccessStatusCode();

        (await PrepAsync(agent, $"/api/v1/leads/{lead}/call-prep")).GetProperty("lastCall").GetProperty("openPromises").EnumerateArray()
            .ShouldNotContain(p => p.GetProperty("activityId").ValueKind == JsonValueKind.String && p.GetProperty("activityId").GetGuid() == promise.GetProperty("activityId").GetGuid());
    }

    [Fact]
    public async Task The_last_interactions_are_the_five_newest_across_calls_notes_and_tasks()
    {
        var (lead, _) = await AnalysedCallAsync();
        var agent = await host.As("agent");
        var notes = new List<Guid>();
        for (var i = 1; i <= 4; i++) notes.Add(await NoteAsync(agent, "lead", lead, $"Note {i}: **budget** talk"));
        var task = await agent.PostAsJsonAsync("/api/v1/activities",
            new { type = "task", subject = "Book the demo room", relatedType = "lead", relatedId = lead, dueAt = DateTimeOffset.UtcNow.AddDays(-1) });
        task.EnsureSuccessStatusCode();
        var taskId = (await task.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var prep = await PrepAsync(agent, $"/api/v1/leads/{lead}/call-prep");

        var interactions = prep.GetProperty("lastInteractions").EnumerateArray().ToList();
        interactions.Select(i => i.GetProperty("id").GetGuid()).ShouldBe([taskId, notes[3], notes[2], notes[1], notes[0]]);
        interactions[0].GetProperty("kind").GetString().ShouldBe("task");
        interactions[1].GetProperty("summary").GetString().ShouldBe("Note 4: budget talk");
        interactions.Select(i => i.GetProperty("at").GetDateTimeOffset()).ShouldBeInOrder(SortDirection.Descending);
        var open = prep.GetProperty("openTasks").EnumerateArray().ToList();
        open[0].GetProperty("id").GetGuid().ShouldBe(taskId); // overdue: due soonest
        open[0].GetProperty("overdue").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task The_script_of_the_agents_queue_comes_with_the_records_merge_fields_filled_and_escaped()
    {
        var admin = await host.As("admin");
        (await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { callScript = "Hi {first name}, calling about {company}. I'm {agent first name}." })).EnsureSuccessStatusCode();
        try
        {
            var lead = await host.LeadAsync(extra: new { firstName = "Dana", company = "<Acme & Co>" });
            var agent = await host.As("agent");
            var queue = await agent.PostAsJsonAsync("/api/v1/dialer/queues", new { name = "Morning calls" });
            queue.EnsureSuccessStatusCode();
            var queueId = (await queue.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

            var script = (await PrepAsync(agent, $"/api/v1/leads/{lead}/call-prep?queueId={queueId}")).GetProperty("script");

            script.GetProperty("queueId").GetGuid().ShouldBe(queueId);
            script.GetProperty("name").GetString().ShouldBe("Morning calls");
            var html = script.GetProperty("html").GetString()!;
            html.ShouldContain("<span class=\"merge-value\">Dana</span>");
            html.ShouldContain("&lt;Acme &amp; Co&gt;");
            html.ShouldNotContain("<Acme");
            html.ShouldNotContain("{agent first name}");
            var plain = (await PrepAsync(agent, $"/api/v1/leads/{lead}/call-prep")).GetProperty("script");
            plain.GetProperty("queueId").ValueKind.ShouldBe(JsonValueKind.Null);
            plain.GetProperty("name").GetString().ShouldBe("Call script");

            var others = await (await host.As("agent2")).PostAsJsonAsync("/api/v1/dialer/queues", new { name = "Not yours" });
            var othersId = (await others.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var refused = await agent.GetAsync($"/api/v1/leads/{lead}/call-prep?queueId={othersId}");
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("queueId", out _).ShouldBeTrue();
        }
        finally
        {
            (await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { callScript = (string?)null })).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task A_lead_with_no_history_has_no_last_call_no_script_and_fewer_talking_points()
    {
        var lead = await host.LeadAsync(extra: new { firstName = "Nia", timeZone = "Europe/Paris" });

        var prep = await PrepAsync(await host.As("agent"), $"/api/v1/leads/{lead}/call-prep");

        prep.GetProperty("lastCall").ValueKind.ShouldBe(JsonValueKind.Null);
        prep.GetProperty("script").ValueKind.ShouldBe(JsonValueKind.Null);
        prep.GetProperty("lastInteractions").GetArrayLength().ShouldBe(0);
        prep.GetProperty("talkingPoints").GetArrayLength().ShouldBeInRange(1, 6);
        var record = prep.GetProperty("record");
        record.GetProperty("name").GetString().ShouldBe("Nia Prospect");
        record.GetProperty("timeZone").GetString().ShouldBe("Europe/Paris");
        record.GetProperty("localTime").GetDateTimeOffset().Offset.ShouldBeOneOf(TimeSpan.FromHours(1), TimeSpan.FromHours(2));
        record.GetProperty("owner").GetProperty("id").GetGuid().ShouldBe(host.Tenant.Users["agent"]);
    }

    [Fact]
    public async Task Another_agents_lead_and_another_tenants_lead_are_not_found()
    {
        var lead = await host.LeadAsync();

        (await (await host.As("agent2")).GetAsync($"/api/v1/leads/{lead}/call-prep")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await host.As("manager")).GetAsync($"/api/v1/leads/{lead}/call-prep")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var other = await host.LoginAsync((await host.CreateTenantAsync("prep-other")).Email("admin"));
        (await other.GetAsync($"/api/v1/leads/{lead}/call-prep")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await host.As("agent")).GetAsync($"/api/v1/leads/{Guid.NewGuid()}/call-prep")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_api_key_reads_the_call_prep_of_the_entities_it_has_a_scope_for()
    {
        var lead = await host.LeadAsync();
        var contact = await ContactAsync("agent");
        var admin = await host.As("admin");
        using var leads = await KeyAsync(admin, "leads:read");
        using var calls = await KeyAsync(admin, "calls:read");
        using var contacts = await KeyAsync(admin, "contacts:read");

        (await leads.GetAsync($"/api/v1/leads/{lead}/call-prep")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await calls.GetAsync($"/api/v1/leads/{lead}/call-prep")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await leads.GetAsync($"/api/v1/contacts/{contact}/call-prep")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await contacts.GetAsync($"/api/v1/contacts/{contact}/call-prep")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_contacts_call_prep_shows_its_account_and_history_and_hides_it_from_other_agents()
    {
        var admin = await host.As("admin");
        var account = await admin.PostAsJsonAsync("/api/v1/accounts", new { name = "Globex", ownerId = host.Tenant.Users["agent"] });
        account.EnsureSuccessStatusCode();
        var accountId = (await account.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var contact = await ContactAsync("agent", accountId);
        var agent = await host.As("agent");
        var note = await NoteAsync(agent, "contact", contact, "Wants a quote before the board meeting");
        (await agent.PostAsJsonAsync("/api/v1/activities", new { type = "email", subject = "Send the quote", relatedType = "contact", relatedId = contact }))
            .EnsureSuccessStatusCode();

        var prep = await PrepAsync(agent, $"/api/v1/contacts/{contact}/call-prep");

        var record = prep.GetProperty("record");
        record.GetProperty("type").GetString().ShouldBe("contact");
        record.GetProperty("company").GetString().ShouldBe("Globex");
        record.GetProperty("title").GetString().ShouldBe("Head of Ops");
        record.GetProperty("status").ValueKind.ShouldBe(JsonValueKind.Null);
        record.GetProperty("email").GetString().ShouldBe("rae@globex.test");
        prep.GetProperty("lastInteractions").EnumerateArray().ShouldContain(i => i.GetProperty("id").GetGuid() == note);
        prep.GetProperty("openTasks").EnumerateArray().Single().GetProperty("subject").GetString().ShouldBe("Send the quote");
        prep.GetProperty("talkingPoints").EnumerateArray().ShouldContain(p => p.GetString()!.Contains("Globex"));
        (await (await host.As("agent2")).GetAsync($"/api/v1/contacts/{contact}/call-prep")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private async Task<Guid> ContactAsync(string ownerRole, Guid? accountId = null)
    {
        var created = await (await host.As("manager")).PostAsJsonAsync("/api/v1/contacts", new
        {
            firstName = "Rae", lastName = "Globexer", title = "Head of Ops", emails = new[] { "rae@globex.test" }, phones = new[] { "(212) 555-0160" },
            accountId, ownerId = host.Tenant.Users[ownerRole],
        });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<Guid> NoteAsync(HttpClient client, string type, Guid id, string body)
    {
        var created = await client.PostAsJsonAsync("/api/v1/notes", new { body, relatedType = type, relatedId = id });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> PrepAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<HttpClient> KeyAsync(HttpClient admin, string scope)
    {
        var created = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = $"Call prep {scope}", scopes = new[] { scope } });
        created.EnsureSuccessStatusCode();
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());
        return client;
    }

    /// <summary>A click-to-call the agent placed to a lead of theirs, answered, ended, its transcript pushed and analysed.</summary>
    private async Task<(Guid Lead, Guid CallId)> AnalysedCallAsync()
    {
        var lead = await host.LeadAsync(extra: new { firstName = "Dana", timeZone = "America/New_York", company = "Acme", title = "CTO" });
        var (callId, sid) = await host.PlaceCallAsync(lead);
        (await host.PostSignedAsync(host.Webhook("status"), CallingHost.Status(sid, "completed", 2, duration: "16"))).EnsureSuccessStatusCode();
        var agent = await host.As("agent");
        (await agent.PutAsJsonAsync($"/api/v1/calls/{callId}/transcript", Promise)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await Eventually.Until(async () =>
            {
                var response = await agent.GetAsync($"/api/v1/calls/{callId}/analysis");
                return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
            },
            a => a.ValueKind == JsonValueKind.Object && a.GetProperty("status").GetString() == "completed",
            TimeSpan.FromSeconds(20), $"call {callId}'s analysis to complete");
        return (lead, callId);
    }
}
