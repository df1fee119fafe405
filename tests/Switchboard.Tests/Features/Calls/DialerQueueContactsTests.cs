using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Features.Dialer;
using Switchboard.Testing;
using Switchboard.Tests.Features.Activities;

namespace Switchboard.Tests.Features.Calls;

/// <summary>
/// Dialer queues hold contacts as well as leads (ADR 0035): added by the contacts list's bulk action or the queue API,
/// served in the leads' order under the same compliance rules, one at a time per session, and removed again. Most
/// tests get a tenant of their own (<see cref="DialerFloor"/>); the dialing test uses the fixture tenant, whose
/// provider is a local fake Twilio.
/// </summary>
public sealed class DialerQueueContactsTests(CallingHost host) : IClassFixture<CallingHost>
{
    /// <summary>Tuesday 15 January 2030, 14:00 UTC: 09:00 in New York, 23:00 in Tokyo.</summary>
    private static readonly DateTimeOffset NineInNewYork = new(2030, 1, 15, 14, 0, 0, TimeSpan.Zero);

    private static async Task<JsonElement> BulkAsync(HttpClient client, object body)
    {
        var started = await client.PostAsJsonAsync("/api/v1/contacts/bulk", body);
        started.StatusCode.ShouldBe(HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return await Eventually.Until(() => client.GetFromJsonAsync<JsonElement>($"/api/v1/bulk/{id}"),
            op => op.GetProperty("status").GetString() is "completed" or "failed", TimeSpan.FromSeconds(60), $"bulk operation {id} to finish");
    }

    private static Dictionary<Guid, string> Skipped(JsonElement op) =>
        op.GetProperty("skipped").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetGuid(), s => s.GetProperty("reason").GetString()!);

    private static async Task<IReadOnlyList<Guid>> MembersAsync(HttpClient client, Guid queue) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/dialer/queues/{queue}/contacts")).GetProperty("items").EnumerateArray()
        .Select(m => m.GetProperty("contactId").GetGuid()).ToList();

    [Fact]
    public async Task An_agent_adds_their_own_contacts_in_bulk_and_every_other_one_is_skipped_with_its_reason()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var own = await floor.ContactAsync("Own");
        var colleagues = await floor.ContactAsync("Colleague's", owner: "agent2");
        var noPhone = await floor.ContactAsync("No phone", phone: "");
        var elsewhere = await host.CreateTenantAsync("elsewhere");
        using var otherManager = await host.LoginAsync(elsewhere.Email("manager"));
        var foreign = (await (await otherManager.PostAsJsonAsync("/api/v1/contacts", new { lastName = "Foreign", phones = new[] { "(212) 555-0170" } }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var queue = await floor.QueueAsync();
        using var agent = await host.LoginAsync(floor.Tenant.Email("agent"));

        var op = await BulkAsync(agent, new { ids = new[] { own, colleagues, noPhone, foreign }, action = "add-to-queue", value = queue });
        var again = await BulkAsync(agent, new { ids = new[] { own }, action = "add-to-queue", value = queue });

        op.GetProperty("succeeded").GetInt32().ShouldBe(1);
        Skipped(op).ShouldBe(new Dictionary<Guid, string>
        {
            [colleagues] = "Not found, or not visible to you.", [noPhone] = "It has no phone number.", [foreign] = "Not found, or not visible to you.",
        });
        Skipped(again).ShouldBe(new Dictionary<Guid, string> { [own] = "It is already in this queue." });
        (await MembersAsync(agent, queue)).ShouldBe([own]);
        var listed = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/dialer/queues/{queue}");
        listed.GetProperty("contacts").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Contacts_cannot_be_added_to_a_queue_that_is_not_the_callers()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var contact = await floor.ContactAsync("Own");
        var colleaguesQueue = await floor.QueueAsync("agent2", "Not yours");
        using var agent = await host.LoginAsync(floor.Tenant.Email("agent"));

        var bulk = await agent.PostAsJsonAsync("/api/v1/contacts/bulk", new { ids = new[] { contact }, action = "add-to-queue", value = colleaguesQueue });
        var put = await agent.PutAsync($"/api/v1/dialer/queues/{colleaguesQueue}/contacts/{contact}", null);
        var list = await agent.GetAsync($"/api/v1/dialer/queues/{colleaguesQueue}/contacts");

        bulk.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bulk.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("value")[0].GetString().ShouldBe("That is not one of your dialer queues.");
        put.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        list.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var owner = await host.LoginAsync(floor.Tenant.Email("agent2"));
        (await MembersAsync(owner, colleaguesQueue)).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_queue_api_adds_a_contact_the_caller_may_call_once_and_refuses_the_others()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var own = await floor.ContactAsync("Own");
        var colleagues = await floor.ContactAsync("Colleague's", owner: "agent2");
        var noPhone = await floor.ContactAsync("No phone", phone: "");
        var queue = await floor.QueueAsync();
        using var agent = await host.LoginAsync(floor.Tenant.Email("agent"));

        var first = await agent.PutAsync($"/api/v1/dialer/queues/{queue}/contacts/{own}", null);
        var second = await agent.PutAsync($"/api/v1/dialer/queues/{queue}/contacts/{own}", null);
        var colleague = await agent.PutAsync($"/api/v1/dialer/queues/{queue}/contacts/{colleagues}", null);
        var withoutPhone = await agent.PutAsync($"/api/v1/dialer/queues/{queue}/contacts/{noPhone}", null);

        (first.StatusCode, second.StatusCode, colleague.StatusCode, withoutPhone.StatusCode)
            .ShouldBe((HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.NotFound, HttpStatusCode.BadRequest));
        (await withoutPhone.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("contactId")[0].GetString().ShouldBe("It has no phone number.");
        var page = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/dialer/queues/{queue}/contacts");
        page.GetProperty("total").GetInt32().ShouldBe(1);
        page.GetProperty("items")[0].GetProperty("name").GetString().ShouldBe("Own");
        page.GetProperty("items")[0].GetProperty("phone").GetString().ShouldBe("+12125550160");
    }

    [Fact]
    public async Task A_lead_added_by_hand_is_listed_served_outside_the_filter_and_removed_again()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var lead = await floor.LeadAsync("By hand");
        var colleagues = await floor.LeadAsync("Colleague's", owner: "agent2");
        var queue = await floor.QueueAsync(statuses: ["qualified"]); // the new leads are outside its filter
        using var agent = await host.LoginAsync(floor.Tenant.Email("agent"));
        var before = await floor.TurnAsync(queue);

        var added = await agent.PutAsync($"/api/v1/dialer/queues/{queue}/leads/{lead}", null);
        var colleague = await agent.PutAsync($"/api/v1/dialer/queues/{queue}/leads/{colleagues}", null);
        var listed = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/dialer/queues/{queue}/leads");
        var served = await floor.TurnAsync(queue);
        var removed = await agent.DeleteAsync($"/api/v1/dialer/queues/{queue}/leads/{lead}");
        var again = await agent.DeleteAsync($"/api/v1/dialer/queues/{queue}/leads/{lead}");
        var after = await floor.TurnAsync(queue);

        before.Target.ShouldBeNull();
        (added.StatusCode, colleague.StatusCode).ShouldBe((HttpStatusCode.NoContent, HttpStatusCode.NotFound));
        listed.GetProperty("total").GetInt32().ShouldBe(1);
        listed.GetProperty("items")[0].GetProperty("leadId").GetGuid().ShouldBe(lead);
        listed.GetProperty("items")[0].GetProperty("phone").GetString().ShouldBe("+12125550150");
        served.LeadId.ShouldBe(lead);
        (removed.StatusCode, again.StatusCode).ShouldBe((HttpStatusCode.NoContent, HttpStatusCode.NotFound));
        after.Target.ShouldBeNull();
        using var owner = await host.LoginAsync(floor.Tenant.Email("agent2"));
        (await owner.GetAsync($"/api/v1/dialer/queues/{queue}/leads")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_contact_removed_from_the_queue_is_no_longer_served_and_a_second_removal_is_a_404()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var contact = await floor.ContactAsync("Removed");
        var queue = await floor.QueueAsync();
        await floor.AddContactAsync(queue, contact);
        using var agent = await host.LoginAsync(floor.Tenant.Email("agent"));
        var before = await floor.TurnAsync(queue);

        var removed = await agent.DeleteAsync($"/api/v1/dialer/queues/{queue}/contacts/{contact}");
        var again = await agent.DeleteAsync($"/api/v1/dialer/queues/{queue}/contacts/{contact}");
        var after = await floor.TurnAsync(queue);

        before.ContactId.ShouldBe(contact);
        (removed.StatusCode, again.StatusCode).ShouldBe((HttpStatusCode.NoContent, HttpStatusCode.NotFound));
        (await MembersAsync(agent, queue)).ShouldBeEmpty();
        after.Target.ShouldBeNull();
        after.Remaining.ShouldBe(0);
        (await agent.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{contact}")).GetProperty("lastName").GetString().ShouldBe("Removed");
    }

    [Fact]
    public async Task Leads_and_contacts_are_served_in_one_order_callbacks_then_never_called_then_least_recently_called()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var neverCalledContact = await floor.ContactAsync("Never called contact");
        var neverCalledLead = await floor.LeadAsync("Never called lead");
        var calledYesterday = await floor.LeadAsync("Called yesterday");
        var calledTwoDaysAgo = await floor.ContactAsync("Called two days ago");
        var callbackDue = await floor.LeadAsync("Callback due");
        var now = floor.Clock.GetUtcNow();
        await floor.SetCallHistoryAsync(calledYesterday, lastCalledAt: now.AddDays(-1));
        await floor.SetCallHistoryAsync(callbackDue, lastCalledAt: now.AddHours(-2), callbackAt: now.AddHours(-1));
        await floor.CallsWithOutcomeAsync(DialTarget.Contact(calledTwoDaysAgo), 1, ago: TimeSpan.FromDays(2));
        var queue = await floor.QueueAsync();
        await floor.AddContactAsync(queue, neverCalledContact);
        await floor.AddContactAsync(queue, calledTwoDaysAgo);

        var served = await floor.ServeAllAsync(queue);

        served.ShouldBe([callbackDue, neverCalledContact, neverCalledLead, calledTwoDaysAgo, calledYesterday]);
    }

    [Fact]
    public async Task Contacts_the_guard_would_block_now_are_skipped_counted_and_the_first_to_open_is_named()
    {
        var floor = await DialerFloor.CreateAsync(host, allDay: false);
        floor.Clock.SetUtcNow(NineInNewYork);
        var tokyo = await floor.ContactAsync("Tokyo", phone: "+81 3-1234-5678");
        var listed = await floor.ContactAsync("Listed", phone: "(212) 555-0177");
        var exhausted = await floor.ContactAsync("Called three times", phone: "(212) 555-0178");
        var newYork = await floor.LeadAsync("New York");
        await floor.ListDncAsync("(212) 555-0177");
        await floor.CallsWithOutcomeAsync(DialTarget.Contact(exhausted), 3, ago: TimeSpan.FromHours(1));
        var queue = await floor.QueueAsync();
        foreach (var contact in new[] { tokyo, listed, exhausted }) await floor.AddContactAsync(queue, contact);

        var first = await floor.TurnAsync(queue);
        var served = await floor.ServeAllAsync(queue);
        var last = await floor.TurnAsync(queue);

        first.LeadId.ShouldBe(newYork);
        first.Remaining.ShouldBe(4);
        first.Skipped.ShouldBe(new DialerSkips(CallingHours: 1, Dnc: 1, MaxAttempts: 1, Contacts: 3));
        served.ShouldBe([newYork]);
        last.Target.ShouldBeNull();
        last.Next!.At.ShouldBe(new DateTimeOffset(2030, 1, 15, 23, 0, 0, TimeSpan.Zero));
        last.Next.Message.ShouldBe("Next callable contact at 08:00 their time (Asia/Tokyo), in 9 h 0 min.");
    }

    [Fact]
    public async Task A_contact_call_without_an_outcome_holds_the_session_until_its_outcome_is_recorded()
    {
        var floor = await DialerFloor.CreateAsync(host);
        var contact = await floor.ContactAsync("Called");
        var lead = await floor.LeadAsync("Next");
        var queue = await floor.QueueAsync();
        await floor.AddContactAsync(queue, contact);
        using var agent = await host.LoginAsync(floor.Tenant.Email("agent"));
        var session = await DialerApi.OpenAsync(agent, queue);
        (await TurnJsonAsync(agent, session)).GetProperty("contactId").GetGuid().ShouldBe(contact);
        var call = await floor.CallWithoutOutcomeAsync(DialTarget.Contact(contact), ago: TimeSpan.Zero);

        var duringWrapUp = await TurnJsonAsync(agent, session);
        var dial = await agent.PostAsJsonAsync($"/api/v1/dialer/sessions/{session}/dial", new { leadId = lead });
        (await agent.PostAsJsonAsync($"/api/v1/calls/{call}/disposition", new { disposition = "interested" })).EnsureSuccessStatusCode();
        var next = await TurnJsonAsync(agent, session);

        duringWrapUp.GetProperty("contactId").GetGuid().ShouldBe(contact);
        duringWrapUp.GetProperty("pendingCallId").GetGuid().ShouldBe(call);
        dial.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await dial.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().ShouldBe("Record the outcome of your last call first.");
        next.GetProperty("leadId").GetGuid().ShouldBe(lead);
        next.GetProperty("contactId").ValueKind.ShouldBe(JsonValueKind.Null);
        next.GetProperty("session").GetProperty("stats").GetProperty("outcomes").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Two_tabs_are_served_the_same_contact_and_dialing_it_from_both_at_once_places_one_call()
    {
        var contact = await ContactAsync("agent2", "(212) 555-0163");
        using var agent2 = await host.LoginAsync(host.Tenant.Email("agent2"));
        // No lead matches the filter: the queue holds the contact alone.
        var created = await agent2.PostAsJsonAsync("/api/v1/dialer/queues", new { name = "Contacts only", statuses = new[] { "unqualified" } });
        var queue = (await DialerApi.Json(created)).GetProperty("id").GetGuid();
        (await agent2.PutAsync($"/api/v1/dialer/queues/{queue}/contacts/{contact}", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var session = await DialerApi.OpenAsync(agent2, queue);
        using var other = await host.LoginAsync(host.Tenant.Email("agent2"));

        var turns = await Task.WhenAll(TurnJsonAsync(agent2, session), TurnJsonAsync(other, session));
        var dials = await Task.WhenAll(
            agent2.PostAsJsonAsync($"/api/v1/dialer/sessions/{session}/dial", new { contactId = contact }),
            other.PostAsJsonAsync($"/api/v1/dialer/sessions/{session}/dial", new { contactId = contact }));

        turns.Select(t => t.GetProperty("contactId").GetGuid()).ShouldBe([contact, contact]);
        dials.Select(d => d.StatusCode).ShouldBe([HttpStatusCode.Created, HttpStatusCode.Conflict], ignoreOrder: true);
        var calls = await agent2.GetFromJsonAsync<JsonElement>($"/api/v1/calls?contactId={contact}");
        calls.GetProperty("total").GetInt32().ShouldBe(1);
        calls.GetProperty("items")[0].GetProperty("contactId").GetGuid().ShouldBe(contact);
        (await agent2.GetFromJsonAsync<JsonElement>($"/api/v1/dialer/sessions/{session}/report")).GetProperty("dials").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task The_workspace_shows_the_contact_and_its_outcome_saved_there_moves_the_session_on_without_touching_a_lead()
    {
        var floor = await DialerFloor.CreateAsync(host);
        using var agent = await host.LoginAsync(floor.Tenant.Email("agent"));
        var account = await agent.PostAsJsonAsync("/api/v1/accounts", new { name = "Northwind Traders" });
        var accountId = (await account.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var contact = await floor.ContactAsync("Lovelace", firstName: "Ada", accountId: accountId);
        var lead = await floor.LeadAsync("Afterwards");
        var queue = await floor.QueueAsync();
        await floor.AddContactAsync(queue, contact);
        using var tab = await DialerTab.SignInAsync(host, floor.Tenant.Email("agent"));
        await tab.StartAsync(queue);
        var shown = (tab.Contact, tab.Lead, WebUtility.HtmlDecode(tab.Html));
        var call = await floor.CallWithoutOutcomeAsync(DialTarget.Contact(contact), ago: TimeSpan.FromMinutes(1));
        await tab.GoAsync(tab.Url);
        var wrapUp = (tab.Contact, tab.Html);

        var saved = await tab.PostAsync("Disposition", new() { ["Outcome.CallId"] = call.ToString(), ["Outcome.Disposition"] = "interested" });

        shown.Contact.ShouldBe(contact);
        shown.Lead.ShouldBeNull();
        shown.Item3.ShouldContain("Ada Lovelace");
        shown.Item3.ShouldContain("Northwind Traders");
        shown.Item3.ShouldContain("name=\"contactId\"");
        wrapUp.Contact.ShouldBe(contact);
        wrapUp.Html.ShouldContain($"value=\"{call}\"");
        saved.StatusCode.ShouldBe(HttpStatusCode.OK);
        tab.Html.ShouldContain("data-testid=\"dialer-saved\"");
        tab.Lead.ShouldBe(lead);
        var stored = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{call}");
        stored.GetProperty("disposition").GetString().ShouldBe("interested");
        (await agent.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{lead}")).GetProperty("status").GetString().ShouldBe("new");
        var sessions = await agent.GetFromJsonAsync<JsonElement>("/api/v1/dialer/sessions");
        sessions[0].GetProperty("stats").GetProperty("outcomes").GetInt32().ShouldBe(1);
        sessions[0].GetProperty("currentLeadId").GetGuid().ShouldBe(lead);
    }

    [Fact]
    public async Task A_contact_is_added_to_one_of_the_agents_queues_from_its_page()
    {
        var contact = await ContactAsync("agent", "(212) 555-0164");
        using var agent = await host.LoginAsync(host.Tenant.Email("agent"));
        var created = await agent.PostAsJsonAsync("/api/v1/dialer/queues", new { name = "From the contact page" });
        var queue = (await DialerApi.Json(created)).GetProperty("id").GetGuid();
        using var browser = await PageForms.BrowserAsync(host, "agent");

        var posted = await PageForms.PostAsync(browser, $"/contacts/{contact}", "AddToQueue", new() { ["queueId"] = queue.ToString() });
        var page = WebUtility.HtmlDecode(await browser.GetStringAsync($"/contacts/{contact}"));

        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        PageForms.RedirectPath(posted).ShouldBe($"/contacts/{contact}");
        (await MembersAsync(agent, queue)).ShouldBe([contact]);
        page.ShouldContain("Added to the dialer queue.");
        page.ShouldContain("From the contact page (already in it)");
    }

    private static async Task<JsonElement> TurnJsonAsync(HttpClient client, Guid session)
    {
        var response = await client.PostAsync($"/api/v1/dialer/sessions/{session}/turn", null);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await DialerApi.Json(response);
    }

    private async Task<Guid> ContactAsync(string ownerRole, string phone)
    {
        var manager = await host.As("manager");
        var response = await manager.PostAsJsonAsync("/api/v1/contacts", new { lastName = "Queued", phones = new[] { phone }, ownerId = host.Tenant.Users[ownerRole] });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
