using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Switchboard.Ui.Timeline;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Activities;

/// <summary>The "Add note" form of record timelines and the edit/delete of one's own notes, posted as a browser does.</summary>
public sealed class NoteWritingPageTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Fact]
    public async Task Agent_adds_a_markdown_note_on_their_lead_page_and_the_timeline_shows_it_rendered()
    {
        var lead = await host.LeadOwnedByAsync("agent");
        using var browser = await PageForms.BrowserAsync(host, "agent");

        var posted = await PageForms.PostAsync(browser, $"/leads/{lead}", "Note", new() { ["Note.Body"] = "Called **twice**, wants a *demo*" });
        var page = await browser.GetStringAsync($"/leads/{lead}");

        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        posted.Headers.Location!.OriginalString.ShouldBe($"/leads/{lead}#record-timeline");
        page.ShouldContain("Called <strong>twice</strong>, wants a <em>demo</em>");
    }

    [Fact]
    public async Task A_script_in_a_note_is_shown_as_text()
    {
        var lead = await host.LeadOwnedByAsync("agent");
        using var browser = await PageForms.BrowserAsync(host, "agent");

        await PageForms.PostAsync(browser, $"/leads/{lead}", "Note", new() { ["Note.Body"] = "<script>alert('x')</script>" });
        var page = await browser.GetStringAsync($"/leads/{lead}");

        page.ShouldContain("&lt;script&gt;alert(");
        page.ShouldNotContain("<script>alert(");
    }

    [Fact]
    public async Task An_empty_note_is_refused_with_the_message_next_to_the_form()
    {
        var lead = await host.LeadOwnedByAsync("agent");
        using var browser = await PageForms.BrowserAsync(host, "agent");

        var response = await PageForms.PostAsync(browser, $"/leads/{lead}", "Note", new() { ["Note.Body"] = "   " });
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        PageForms.NoteError(html).ShouldBe("Body is required.");
    }

    [Theory]
    [InlineData("account")]
    [InlineData("contact")]
    [InlineData("opportunity")]
    public async Task A_note_written_on_a_record_page_appears_on_its_timeline(string type)
    {
        var path = await RecordPathAsync(type);
        using var browser = await PageForms.BrowserAsync(host, "manager");

        var posted = await PageForms.PostAsync(browser, path, "Note", new() { ["Note.Body"] = $"Met the {type} team" });
        var page = await browser.GetStringAsync(path);

        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page.ShouldContain($"<p>Met the {type} team</p>");
    }

    [Fact]
    public async Task Readonly_users_see_no_note_form()
    {
        var lead = await host.LeadOwnedByAsync("agent");
        using var browser = await PageForms.BrowserAsync(host, "readonly");

        var page = await browser.GetStringAsync($"/leads/{lead}");

        page.ShouldContain("data-testid=\"record-timeline\"");
        page.ShouldNotContain("data-testid=\"note-form\"");
    }

    [Fact]
    public async Task A_note_posted_by_a_readonly_user_is_refused_and_not_written()
    {
        var lead = await host.LeadOwnedByAsync("agent");
        using var readonlyBrowser = await PageForms.BrowserAsync(host, "readonly");
        var token = PageForms.Token(await readonlyBrowser.GetStringAsync($"/leads/{lead}"));

        var response = await readonlyBrowser.PostAsync($"/leads/{lead}?handler=Note",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Note.Body"] = "Sneaky", ["__RequestVerificationToken"] = token }));
        var notes = await (await host.As("manager")).GetFromJsonAsync<JsonElement>($"/api/v1/notes?relatedType=lead&relatedId={lead}");

        PageForms.RedirectPath(response).ShouldBe("/forbidden");
        notes.GetProperty("total").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task The_author_edits_their_note_from_the_timeline()
    {
        var lead = await host.LeadOwnedByAsync("agent");
        var note = await (await host.As("agent")).NoteAsync(lead, "First draft");
        using var browser = await PageForms.BrowserAsync(host, "agent");

        var posted = await PageForms.PostAsync(browser, $"/leads/{lead}", "Note",
            new() { ["Note.Action"] = "edit", ["Note.Id"] = note.ToString(), ["Note.Body"] = "Second *draft*" });
        var saved = await (await host.As("agent")).GetFromJsonAsync<JsonElement>($"/api/v1/notes/{note}");

        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        saved.GetProperty("body").GetString().ShouldBe("Second *draft*");
    }

    [Fact]
    public async Task The_author_deletes_their_note_from_the_timeline()
    {
        var lead = await host.LeadOwnedByAsync("agent");
        var note = await (await host.As("agent")).NoteAsync(lead, "Delete me");
        using var browser = await PageForms.BrowserAsync(host, "agent");

        await PageForms.PostAsync(browser, $"/leads/{lead}", "Note", new() { ["Note.Action"] = "delete", ["Note.Id"] = note.ToString() });
        var response = await (await host.As("agent")).GetAsync($"/api/v1/notes/{note}");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_agent_gets_no_edit_form_for_a_managers_note_and_cannot_post_one()
    {
        var lead = await host.LeadOwnedByAsync("agent");
        var note = await (await host.As("manager")).NoteAsync(lead, "Manager's note");
        using var browser = await PageForms.BrowserAsync(host, "agent");
        var page = await browser.GetStringAsync($"/leads/{lead}");

        var response = await PageForms.PostAsync(browser, $"/leads/{lead}", "Note",
            new() { ["Note.Action"] = "edit", ["Note.Id"] = note.ToString(), ["Note.Body"] = "Rewritten" });
        var saved = await (await host.As("manager")).GetFromJsonAsync<JsonElement>($"/api/v1/notes/{note}");

        page.ShouldNotContain($"name=\"Note.Id\" value=\"{note}\"");
        PageForms.RedirectPath(response).ShouldBe("/forbidden");
        saved.GetProperty("body").GetString().ShouldBe("Manager's note");
    }

    [Fact]
    public async Task Older_timeline_entries_are_a_link_away_and_their_notes_stay_editable()
    {
        var lead = await host.LeadOwnedByAsync("agent");
        var agent = await host.As("agent");
        var oldest = await agent.NoteAsync(lead, "The very first note");
        for (var i = 1; i <= TimelineView.PageSize; i++) await agent.NoteAsync(lead, $"Note number {i}");
        using var browser = await PageForms.BrowserAsync(host, "agent");

        var first = await browser.GetStringAsync($"/leads/{lead}");
        var second = await browser.GetStringAsync($"/leads/{lead}?timelinePage=2");
        var junk = await browser.GetAsync($"/leads/{lead}?timelinePage=-3");

        Regex.Count(first, "data-testid=\"timeline-item\"").ShouldBe(TimelineView.PageSize);
        first.ShouldContain($"href=\"/leads/{lead}?timelinePage=2#record-timeline\"");
        first.ShouldNotContain("The very first note");
        var total = (await agent.GetFromJsonAsync<JsonElement>($"/api/v1/timeline?relatedType=lead&relatedId={lead}")).GetProperty("total").GetInt32();
        Regex.Count(second, "data-testid=\"timeline-item\"").ShouldBe(total - TimelineView.PageSize);
        second.ShouldContain("The very first note");
        second.ShouldContain($"name=\"Note.Id\" value=\"{oldest}\"");
        second.ShouldContain($"href=\"/leads/{lead}#record-timeline\"");
        second.ShouldNotContain("data-testid=\"timeline-older\"");
        junk.StatusCode.ShouldBe(HttpStatusCode.OK);
        Regex.Count(await junk.Content.ReadAsStringAsync(), "data-testid=\"timeline-item\"").ShouldBe(TimelineView.PageSize);
    }

    [Fact]
    public async Task A_note_cannot_be_posted_on_another_tenants_lead()
    {
        var other = await host.CreateTenantAsync("notes-other");
        using var otherManager = await host.LoginAsync(other.Email("manager"));
        var created = await otherManager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Elsewhere" });
        var foreignLead = await ActivityTestData.IdOf(created);
        using var browser = await PageForms.BrowserAsync(host, "admin");
        var token = PageForms.Token(await browser.GetStringAsync("/leads"));

        var response = await browser.PostAsync($"/leads/{foreignLead}?handler=Note",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Note.Body"] = "Hello", ["__RequestVerificationToken"] = token }));
        var notes = await otherManager.GetFromJsonAsync<JsonElement>($"/api/v1/notes?relatedType=lead&relatedId={foreignLead}");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        notes.GetProperty("total").GetInt32().ShouldBe(0);
    }

    private async Task<string> RecordPathAsync(string type)
    {
        var manager = await host.As("manager");
        switch (type)
        {
            case "account":
                return $"/accounts/{await ActivityTestData.IdOf(await manager.PostAsJsonAsync("/api/v1/accounts", new { name = "Note Account " + Guid.NewGuid().ToString("N")[..6] }))}";
            case "contact":
                return $"/contacts/{await ActivityTestData.IdOf(await manager.PostAsJsonAsync("/api/v1/contacts", new { lastName = "Note Contact" }))}";
            default:
                return $"/opportunities/{await ActivityTestData.IdOf(await manager.PostAsJsonAsync("/api/v1/opportunities", new { name = "Note Deal" }))}";
        }
    }
}

/// <summary>Page forms posted as a signed-in browser does: cookies, the antiforgery token from the page, no redirects followed.</summary>
internal static partial class PageForms
{
    public static async Task<HttpClient> BrowserAsync(SwitchboardHostWithTenant host, string role) =>
        (await PageClient.SignInAsync(host, host.Tenant.Email(role))).Http;

    /// <summary>GETs the page (for its antiforgery token), then posts the fields to one of its handlers.</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient browser, string path, string handler, Dictionary<string, string> fields) =>
        PostAsync(browser, path, handler, fields.AsEnumerable());

    /// <summary>The same, for forms that post a name more than once (a list's "Stages.Index").</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string path, string handler, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var page = await browser.GetAsync(path);
        page.StatusCode.ShouldBe(HttpStatusCode.OK, $"GET {path}");
        var posted = fields.Append(new("__RequestVerificationToken", Token(await page.Content.ReadAsStringAsync())));
        var separator = path.Contains('?') ? '&' : '?';
        return await browser.PostAsync($"{path}{separator}handler={handler}", new FormUrlEncodedContent(posted));
    }

    /// <summary>Where a redirect goes, as a path (the cookie handler's redirects are absolute URLs).</summary>
    public static string? RedirectPath(HttpResponseMessage response) =>
        response.Headers.Location is not { } location ? null
        : location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?', '#')[0];

    public static string Token(string html) => PageClient.Token(html);

    /// <summary>The message under the "Add note" textarea.</summary>
    public static string NoteError(string html) =>
        WebUtility.HtmlDecode(NoteErrorText().Match(html).Groups[1].Value).Trim();

    [GeneratedRegex("id=\"note-body-new-error\"[^>]*>([^<]*)<")]
    private static partial Regex NoteErrorText();
}
