using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Switchboard.Features.Activities;
using Switchboard.Platform.Audit;
using Switchboard.Platform.Database;
using Switchboard.Platform.Jobs;
using Switchboard.Platform.Realtime;
using Switchboard.Platform.Tenancy;
using Switchboard.Testing;
using Switchboard.Tests.Features.Calls;

namespace Switchboard.Tests.Features.Activities;

/// <summary>
/// The calling host on a <see cref="FakeTimeProvider"/>. Reminder jobs are due on the app's clock ahead of the database's, so
/// the worker leaves them; a test runs one itself, as the worker would (a fresh scope inside the job's tenant).
/// </summary>
public sealed class TaskHost : CallingHost
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    /// <summary>The reminder jobs of a task that have not run, soonest first.</summary>
    public async Task<IReadOnlyList<Job>> ReminderJobsAsync(Guid taskId)
    {
        await using var scope = Services.CreateAsyncScope();
        var jobs = await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().Jobs.AsNoTracking()
            .Where(j => j.Kind == TaskReminders.JobKind && j.CompletedAt == null && j.FailedAt == null).ToListAsync();
        return jobs.Where(j => j.Read<TaskReminderPayload>().TaskId == taskId).OrderBy(j => j.RunAt).ToList();
    }

    /// <summary>Runs a reminder job's handler as the job worker does, inside <paramref name="tenantId"/> (the job's own tenant unless told otherwise).</summary>
    public Task RunAsync(Job job, Guid? tenantId = null) => JobRuns.RunAsync<TaskReminders>(Services, job, tenantId);
}

/// <summary>Hears every realtime envelope committed on the database, as each app instance's listener does.</summary>
public sealed class EventTap : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly string _connectionString;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<RealtimeEnvelope> _received = new();
    private Task _listening = Task.CompletedTask;

    private EventTap(string connectionString)
    {
        _connectionString = connectionString;
        _connection = new NpgsqlConnection(connectionString);
    }

    public static async Task<EventTap> StartAsync(string connectionString)
    {
        var tap = new EventTap(connectionString);
        tap._connection.Notification += (_, e) =>
        {
            if (RealtimeEnvelope.TryParse(e.Payload) is { } envelope) tap._received.Enqueue(envelope);
        };
        await tap._connection.OpenAsync();
        await using (var listen = new NpgsqlCommand($"listen {RealtimeEvents.Channel}", tap._connection)) await listen.ExecuteNonQueryAsync();
        tap._listening = tap.ListenAsync();
        return tap;
    }

    /// <summary>Everything committed so far: NOTIFYs arrive in commit order, so once a sentinel sent now is here, so is all before it.</summary>
    public async Task<IReadOnlyList<RealtimeEnvelope>> ReceivedAsync()
    {
        var sentinel = Guid.NewGuid();
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync();
            await using var notify = new NpgsqlCommand($"select pg_notify('{RealtimeEvents.Channel}', @payload)", connection);
            notify.Parameters.AddWithValue("payload", new RealtimeEnvelope(sentinel, "test.sentinel", JsonSerializer.SerializeToElement(new { }), null).ToJson());
            await notify.ExecuteNonQueryAsync();
        }
        await Eventually.Until(() => _received.Any(e => e.TenantId == sentinel), x => x, TimeSpan.FromSeconds(15), "the sentinel event");
        return _received.Where(e => e.Type != "test.sentinel").ToList();
    }

    private async Task ListenAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested) await _connection.WaitAsync(_stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _listening;
        await _connection.DisposeAsync();
        _stop.Dispose();
    }
}

/// <summary>Callbacks are tasks; tasks remind their assignee once when they fall due; managers reassign (ADR 0034).</summary>
public sealed class CallbackTaskTests(TaskHost host) : IClassFixture<TaskHost>
{
    private static int _phone = 170;

    private async Task<Guid> EndedCallAsync(Guid lead, string role = "agent")
    {
        var (id, parent) = await host.PlaceCallAsync(lead, role);
        var leg = "CAleg" + id.ToString("N");
        await host.PostSignedAsync(host.Webhook("status"), CallingHost.Status(leg, "in-progress", 2, parent));
        await host.PostSignedAsync(host.Webhook("status"), CallingHost.Status(leg, "completed", 3, parent, "30"));
        await CallingHost.WaitForCallAsync(await host.As(role), id, c => c.GetProperty("status").GetString() == "completed");
        return id;
    }

    private async Task<Guid> NewLeadAsync() => await host.LeadAsync(phone: $"(212) 555-0{Interlocked.Increment(ref _phone)}", extra: new { firstName = "Priya", lastName = "Ng" });

    private async Task<HttpResponseMessage> DispositionAsync(Guid call, string disposition, DateTimeOffset? callbackAt, string role = "agent") =>
        await (await host.As(role)).PostAsJsonAsync($"/api/v1/calls/{call}/disposition", new { disposition, callbackAt });

    private async Task<JsonElement[]> CallbackTasksOfAsync(Guid lead, string? status = null) =>
        (await (await host.As("manager")).GetFromJsonAsync<JsonElement>(
            $"/api/v1/activities?relatedType=lead&relatedId={lead}{(status is null ? "" : "&status=" + status)}&pageSize=50"))
        .GetProperty("items").EnumerateArray().Where(a => a.GetProperty("callId").ValueKind == JsonValueKind.String).ToArray();

    [Fact]
    public async Task A_callback_in_a_calls_outcome_is_one_task_for_the_agent_due_then_and_linked_to_the_call()
    {
        var lead = await NewLeadAsync();
        var call = await EndedCallAsync(lead);
        var when = host.Clock.GetUtcNow().AddDays(1);

        (await DispositionAsync(call, "callback", when)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var task = (await CallbackTasksOfAsync(lead)).ShouldHaveSingleItem();
        task.GetProperty("type").GetString().ShouldBe("task");
        task.GetProperty("subject").GetString().ShouldBe("Call back Priya Ng");
        task.GetProperty("status").GetString().ShouldBe("pending");
        task.GetProperty("dueAt").GetDateTimeOffset().ShouldBe(when, TimeSpan.FromMilliseconds(1));
        task.GetProperty("assigneeId").GetGuid().ShouldBe(host.Tenant.Users["agent"]);
        task.GetProperty("callId").GetGuid().ShouldBe(call);
        task.GetProperty("isCallback").GetBoolean().ShouldBeTrue();
        var job = (await host.ReminderJobsAsync(task.GetProperty("id").GetGuid())).ShouldHaveSingleItem();
        job.RunAt.ShouldBe(when, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task A_due_callback_is_one_line_on_the_agents_home_page_not_a_callback_and_its_task()
    {
        var lead = await NewLeadAsync();
        var call = await EndedCallAsync(lead);
        // Due later today in the tenant's zone: halfway between now and its midnight (the clock is not moved: the
        // class's other tests place calls through jobs, which the worker runs on the database's clock).
        var zone = TimeZoneInfo.FindSystemTimeZoneById((await (await host.As("agent")).GetFromJsonAsync<JsonElement>("/api/v1/home")).GetProperty("timeZone").GetString()!);
        var now = host.Clock.GetUtcNow();
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var midnight = new DateTimeOffset(local.Date.AddDays(1), zone.GetUtcOffset(local.Date.AddDays(1)));
        (await DispositionAsync(call, "callback", now + (midnight - now) / 2)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var home = await (await host.As("agent")).GetFromJsonAsync<JsonElement>("/api/v1/home");

        var line = home.GetProperty("due").EnumerateArray().Where(i => i.GetProperty("recordId").ValueKind == JsonValueKind.String && i.GetProperty("recordId").GetGuid() == lead)
            .ShouldHaveSingleItem();
        line.GetProperty("kind").GetString().ShouldBe("callback");
        line.GetProperty("callUrl").GetString().ShouldBe($"/leads/{lead}?handler=Call");
    }

    [Fact]
    public async Task Recording_the_outcome_again_moves_the_one_callback_task_and_an_outcome_without_callback_cancels_it()
    {
        var lead = await NewLeadAsync();
        var call = await EndedCallAsync(lead);
        await DispositionAsync(call, "callback", host.Clock.GetUtcNow().AddDays(1));
        var later = host.Clock.GetUtcNow().AddDays(3);

        (await DispositionAsync(call, "callback", later)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var moved = (await CallbackTasksOfAsync(lead)).ShouldHaveSingleItem();
        moved.GetProperty("dueAt").GetDateTimeOffset().ShouldBe(later, TimeSpan.FromMilliseconds(1));

        (await DispositionAsync(call, "not-interested", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await CallbackTasksOfAsync(lead, "pending")).ShouldBeEmpty();
        (await CallbackTasksOfAsync(lead)).ShouldHaveSingleItem().GetProperty("status").GetString().ShouldBe("canceled");
    }

    [Fact]
    public async Task A_later_connected_call_with_the_lead_completes_its_callback_task()
    {
        var lead = await NewLeadAsync();
        await DispositionAsync(await EndedCallAsync(lead), "callback", host.Clock.GetUtcNow().AddHours(2));

        (await DispositionAsync(await EndedCallAsync(lead), "interested", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var task = (await CallbackTasksOfAsync(lead)).ShouldHaveSingleItem();
        task.GetProperty("status").GetString().ShouldBe("completed");
        var leadNow = await (await host.As("agent")).GetFromJsonAsync<JsonElement>($"/api/v1/leads/{lead}");
        leadNow.GetProperty("callbackAt").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Completing_the_callback_task_clears_the_leads_callback()
    {
        var lead = await NewLeadAsync();
        await DispositionAsync(await EndedCallAsync(lead), "callback", host.Clock.GetUtcNow().AddHours(5));
        var task = (await CallbackTasksOfAsync(lead)).ShouldHaveSingleItem().GetProperty("id").GetGuid();
        var agent = await host.As("agent");

        (await agent.PostAsync($"/api/v1/activities/{task}/complete", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await agent.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{lead}")).GetProperty("callbackAt").ValueKind.ShouldBe(JsonValueKind.Null);
        (await host.ReminderJobsAsync(task)).ShouldHaveSingleItem(); // the job stays, and finds nothing to do:
        await using var tap = await EventTap.StartAsync(host.Database.SuperuserConnectionString);
        await host.RunAsync((await host.ReminderJobsAsync(task))[0]);
        (await tap.ReceivedAsync()).ShouldNotContain(e => e.Type == TaskReminders.DueEvent);
    }

    [Fact]
    public async Task A_reminder_fires_once_for_its_due_time_to_the_assignee_alone()
    {
        // Finer than PostgreSQL keeps (microseconds), as a client's clock gives it.
        var due = host.Clock.GetUtcNow().AddHours(1).AddTicks(7);
        var task = await (await host.As("manager")).ActivityAsync(new { subject = "Send the quote", dueAt = due, assigneeId = host.Tenant.Users["agent"] });
        var job = (await host.ReminderJobsAsync(task)).ShouldHaveSingleItem();
        job.RunAt.ShouldBe(due, TimeSpan.FromMilliseconds(1));
        await using var tap = await EventTap.StartAsync(host.Database.SuperuserConnectionString);

        await host.RunAsync(job);
        await host.RunAsync(job); // a second run (a lease expired, an instance restarted) reminds nobody again

        var reminders = (await tap.ReceivedAsync()).Where(e => e.Type == TaskReminders.DueEvent).ToList();
        var reminder = reminders.ShouldHaveSingleItem();
        reminder.TenantId.ShouldBe(host.Tenant.Id);
        reminder.UserId.ShouldBe(host.Tenant.Users["agent"]);
        reminder.Data.GetProperty("taskId").GetGuid().ShouldBe(task);
    }

    [Fact]
    public async Task A_reminder_job_run_in_another_tenant_finds_no_task_and_reminds_nobody()
    {
        var task = await (await host.As("agent")).ActivityAsync(new { subject = "Ours", dueAt = host.Clock.GetUtcNow().AddHours(2) });
        var other = await host.CreateTenantAsync("elsewhere");
        await using var tap = await EventTap.StartAsync(host.Database.SuperuserConnectionString);

        await host.RunAsync((await host.ReminderJobsAsync(task)).Single(), tenantId: other.Id);

        (await tap.ReceivedAsync()).ShouldNotContain(e => e.Type == TaskReminders.DueEvent);
    }

    [Fact]
    public async Task The_fired_reminder_shows_in_the_assignees_layout_only_and_snooze_moves_it()
    {
        var agentId = host.Tenant.Users["agent"];
        var task = await (await host.As("agent")).ActivityAsync(new { subject = "Ring the warehouse", dueAt = host.Clock.GetUtcNow().AddMinutes(30) });
        await host.RunAsync((await host.ReminderJobsAsync(task)).Single());
        var agent = await host.As("agent");
        using var page = await PageForms.BrowserAsync(host, "agent");
        using var colleaguesPage = await PageForms.BrowserAsync(host, "agent2");
        (await page.GetStringAsync("/tasks/reminders")).ShouldContain("Task due: Ring the warehouse");
        (await colleaguesPage.GetStringAsync("/leads")).ShouldNotContain("Ring the warehouse");
        (await (await host.As("agent2")).PostAsync($"/api/v1/activities/{task}/snooze", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var snoozed = await agent.PostAsync($"/api/v1/activities/{task}/snooze", null);

        snoozed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var remindAt = (await snoozed.JsonAsync()).GetProperty("remindAt").GetDateTimeOffset();
        remindAt.ShouldBe(host.Clock.GetUtcNow().AddMinutes(10), TimeSpan.FromMilliseconds(1));
        (await page.GetStringAsync("/tasks/reminders")).ShouldNotContain("Ring the warehouse");
        await using var tap = await EventTap.StartAsync(host.Database.SuperuserConnectionString);
        var jobs = await host.ReminderJobsAsync(task);
        jobs.Select(j => j.RunAt).ShouldContain(remindAt);
        await host.RunAsync(jobs.Single(j => j.RunAt == remindAt));
        (await tap.ReceivedAsync()).Where(e => e.Type == TaskReminders.DueEvent).ShouldHaveSingleItem().UserId.ShouldBe(agentId);
        (await page.GetStringAsync("/leads")).ShouldContain("Task due: Ring the warehouse"); // on whatever page
    }

    [Fact]
    public async Task An_agent_cannot_give_a_task_to_a_colleague_nor_touch_one_they_cannot_see()
    {
        var agent = await host.As("agent");
        var own = await agent.ActivityAsync(new { subject = "Mine" });
        var theirs = await (await host.As("manager")).ActivityAsync(new { subject = "Theirs", assigneeId = host.Tenant.Users["agent2"] });

        (await agent.PatchAsJsonAsync($"/api/v1/activities/{own}", new { assigneeId = host.Tenant.Users["agent2"] })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await agent.PatchAsJsonAsync($"/api/v1/activities/{theirs}", new { assigneeId = host.Tenant.Users["agent"] })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_manager_reassigns_a_task_which_is_audited_and_announced_to_the_new_assignee_alone()
    {
        var task = await (await host.As("agent")).ActivityAsync(new { subject = "Hand over" });
        await using var tap = await EventTap.StartAsync(host.Database.SuperuserConnectionString);

        var response = await (await host.As("manager")).PatchAsJsonAsync($"/api/v1/activities/{task}", new { assigneeId = host.Tenant.Users["agent2"] });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var announced = (await tap.ReceivedAsync()).Where(e => e.Type == "task.assigned").ShouldHaveSingleItem();
        announced.UserId.ShouldBe(host.Tenant.Users["agent2"]);
        announced.TenantId.ShouldBe(host.Tenant.Id);
        var audit = await (await host.As("admin")).GetFromJsonAsync<JsonElement>($"/api/v1/audit?entity=activity&entityId={task}");
        audit.GetProperty("items").EnumerateArray().First().GetRawText().ShouldContain(host.Tenant.Users["agent2"].ToString());
        using var page = await PageForms.BrowserAsync(host, "agent2");
        (await page.GetStringAsync($"/tasks/reminders?assigned={task}")).ShouldContain("Assigned to you: Hand over");
    }

    [Fact]
    public async Task Team_tasks_list_every_members_tasks_for_managers_and_only_their_own_for_agents()
    {
        await (await host.As("agent2")).ActivityAsync(new { subject = "Agent two's errand" });

        using var managersPage = await PageForms.BrowserAsync(host, "manager");
        using var agentsPage = await PageForms.BrowserAsync(host, "agent");
        var team = await managersPage.GetStringAsync($"/tasks?view=team&assignee={host.Tenant.Users["agent2"]}");
        var agentsView = await agentsPage.GetStringAsync("/tasks?view=team");

        team.ShouldContain("Agent two&#x27;s errand");
        team.ShouldContain("reassign-form");
        agentsView.ShouldNotContain("Agent two&#x27;s errand");
        agentsView.ShouldNotContain("reassign-form");
    }

    [Fact]
    public async Task A_due_time_the_clocks_skip_is_refused_on_my_tasks_and_on_a_record_timeline()
    {
        var lead = await NewLeadAsync();
        using var page = await PageForms.BrowserAsync(host, "agent");

        var onTasks = await PageForms.PostAsync(page, "/tasks", "Create", new() { ["Form.Subject"] = "Skipped", ["Form.Due"] = "2027-03-14T02:30" });
        var onLead = await PageForms.PostAsync(page, $"/leads/{lead}", "Task", new() { ["Task.Subject"] = "Skipped", ["Task.Due"] = "2027-03-14T02:30" });

        // The fixture tenant is on America/New_York, whose clocks jump from 02:00 to 03:00 that night.
        (await onTasks.Content.ReadAsStringAsync()).ShouldContain("That time does not exist in America/New_York");
        (await onLead.Content.ReadAsStringAsync()).ShouldContain("That time does not exist in America/New_York");
        (await (await host.As("agent")).GetFromJsonAsync<JsonElement>($"/api/v1/activities?relatedType=lead&relatedId={lead}"))
            .GetProperty("total").GetInt32().ShouldBe(0);
    }
}
