using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Activities;

/// <summary>The "Add task" form of record timelines, posted as a browser does.</summary>
public sealed class TaskFormPageTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Fact]
    public async Task A_task_added_on_a_contact_page_is_related_to_the_contact_and_assigned_to_the_agent()
    {
        var contact = await ContactOwnedByAsync("agent");
        using var browser = await PageForms.BrowserAsync(host, "agent");

        var posted = await PageForms.PostAsync(browser, $"/contacts/{contact}", "Task",
            new() { ["Task.Subject"] = "Send the proposal", ["Task.Due"] = "2030-05-04T09:30", ["Task.Type"] = "email" });
        var tasks = await (await host.As("agent")).GetFromJsonAsync<JsonElement>($"/api/v1/activities?relatedType=contact&relatedId={contact}");
        var page = await browser.GetStringAsync($"/contacts/{contact}");

        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        posted.Headers.Location!.OriginalString.ShouldBe($"/contacts/{contact}#record-timeline");
        var task = tasks.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        task.GetProperty("subject").GetString().ShouldBe("Send the proposal");
        task.GetProperty("type").GetString().ShouldBe("email");
        task.GetProperty("assigneeId").GetGuid().ShouldBe(host.Tenant.Users["agent"]);
        // The form's time is the tenant's wall clock: America/New_York, on daylight time (UTC-4) in May.
        task.GetProperty("dueAt").GetDateTimeOffset().ShouldBe(new DateTimeOffset(2030, 5, 4, 13, 30, 0, TimeSpan.Zero));
        page.ShouldContain("Send the proposal");
    }

    [Fact]
    public async Task A_task_without_a_subject_shows_the_field_error_and_creates_nothing()
    {
        var contact = await ContactOwnedByAsync("agent");
        using var browser = await PageForms.BrowserAsync(host, "agent");

        var response = await PageForms.PostAsync(browser, $"/contacts/{contact}", "Task", new() { ["Task.Subject"] = "  ", ["Task.Due"] = "2030-05-04T09:30" });
        var html = await response.Content.ReadAsStringAsync();
        var tasks = await (await host.As("agent")).GetFromJsonAsync<JsonElement>($"/api/v1/activities?relatedType=contact&relatedId={contact}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain("id=\"task-subject-error\"");
        System.Text.RegularExpressions.Regex.Match(html, "id=\"task-subject-error\"[^>]*>([^<]+)<").Groups[1].Value.ShouldContain("required");
        html.ShouldContain("value=\"2030-05-04T09:30\"");
        tasks.GetProperty("total").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task A_task_added_on_an_opportunity_page_is_related_to_the_opportunity()
    {
        var created = await (await host.As("manager")).PostAsJsonAsync("/api/v1/opportunities", new { name = "Task deal", ownerId = host.Tenant.Users["agent"] });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var browser = await PageForms.BrowserAsync(host, "agent");

        var posted = await PageForms.PostAsync(browser, $"/opportunities/{id}", "Task", new() { ["Task.Subject"] = "Send the contract" });
        var tasks = await (await host.As("agent")).GetFromJsonAsync<JsonElement>($"/api/v1/activities?relatedType=opportunity&relatedId={id}");

        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        tasks.GetProperty("items").EnumerateArray().ShouldHaveSingleItem().GetProperty("subject").GetString().ShouldBe("Send the contract");
    }

    [Fact]
    public async Task A_task_added_on_a_lead_page_shows_in_my_tasks()
    {
        var lead = await host.LeadOwnedByAsync("agent");
        using var browser = await PageForms.BrowserAsync(host, "agent");

        await PageForms.PostAsync(browser, $"/leads/{lead}", "Task", new() { ["Task.Subject"] = "Call back about pricing" });
        var tasks = await browser.GetStringAsync("/tasks");

        tasks.ShouldContain("Call back about pricing");
    }

    [Fact]
    public async Task Readonly_users_get_no_task_form_and_cannot_post_one()
    {
        var lead = await host.LeadOwnedByAsync("agent");
        using var browser = await PageForms.BrowserAsync(host, "readonly");
        var page = await browser.GetStringAsync($"/leads/{lead}");

        var response = await browser.PostAsync($"/leads/{lead}?handler=Task",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Task.Subject"] = "Sneaky", ["__RequestVerificationToken"] = PageForms.Token(page) }));
        var tasks = await (await host.As("manager")).GetFromJsonAsync<JsonElement>($"/api/v1/activities?relatedType=lead&relatedId={lead}");

        page.ShouldNotContain("data-testid=\"task-form\"");
        PageForms.RedirectPath(response).ShouldBe("/forbidden");
        tasks.GetProperty("total").GetInt32().ShouldBe(0);
    }

    private async Task<Guid> ContactOwnedByAsync(string role)
    {
        var manager = await host.As("manager");
        var response = await manager.PostAsJsonAsync("/api/v1/contacts", new { lastName = "Task Contact", ownerId = host.Tenant.Users[role] });
        response.EnsureSuccessStatusCode();
        return await ActivityTestData.IdOf(response);
    }
}
