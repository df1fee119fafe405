using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Calls;

/// <summary>
/// Dispositions as admins manage them (API and settings page): hotkeys, "requires a callback", order, retiring, and
/// that one tenant's changes never reach another's.
/// </summary>
public sealed partial class DispositionAdminTests(CallingHost host) : IClassFixture<CallingHost>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static string[] ErrorsOf(JsonElement problem, string field) =>
        problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static async Task<List<JsonElement>> ListAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/dispositions")).EnumerateArray().ToList();

    [Fact]
    public async Task New_tenants_get_hotkeys_1_to_8_and_call_back_later_requires_a_callback()
    {
        var tenant = await host.CreateTenantAsync("disp-defaults");
        var list = await ListAsync(await host.LoginAsync(tenant.Email("agent")));

        list.Select(d => d.GetProperty("hotkey").GetString()).ShouldBe(["1", "2", "3", "4", "5", "6", "7", "8"]);
        list.Where(d => d.GetProperty("requiresCallback").GetBoolean()).Select(d => d.GetProperty("code").GetString()).ShouldBe(["callback"]);
    }

    [Fact]
    public async Task A_hotkey_is_one_letter_or_digit_not_held_by_another_active_disposition_nor_by_a_dialer_shortcut()
    {
        var admin = await host.As("admin");

        var taken = await admin.PutAsJsonAsync("/api/v1/dispositions/hk-taken", new { label = "Taken key", hotkey = "1" });
        var dial = await admin.PutAsJsonAsync("/api/v1/dispositions/hk-dial", new { label = "Dial key", hotkey = "D" });
        var twoKeys = await admin.PutAsJsonAsync("/api/v1/dispositions/hk-two", new { label = "Two keys", hotkey = "ab" });
        var symbol = await admin.PutAsJsonAsync("/api/v1/dispositions/hk-symbol", new { label = "Symbol", hotkey = "/" });
        var good = await admin.PutAsJsonAsync("/api/v1/dispositions/hk-good", new { label = "Good key", hotkey = "X" });

        taken.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        ErrorsOf(await Json(taken), "hotkey").ShouldBe(["Hotkey 1 is already used by 'Interested'."]);
        ErrorsOf(await Json(dial), "hotkey").ShouldBe(["Hotkey D is the dialer's Dial shortcut; choose another key."]);
        ErrorsOf(await Json(twoKeys), "hotkey").ShouldBe(["Hotkey is one letter (A–Z) or digit (0–9)."]);
        ErrorsOf(await Json(symbol), "hotkey").ShouldBe(["Hotkey is one letter (A–Z) or digit (0–9)."]);
        good.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Json(good)).GetProperty("hotkey").GetString().ShouldBe("x");
        (await ListAsync(admin)).Select(d => d.GetProperty("code").GetString()).ShouldNotContain("hk-taken");
    }

    [Fact]
    public async Task A_retired_disposition_frees_its_hotkey_and_is_not_reactivated_while_another_holds_it()
    {
        var admin = await host.As("admin");
        (await admin.PutAsJsonAsync("/api/v1/dispositions/sent-brochure", new { label = "Sent brochure", hotkey = "b" })).EnsureSuccessStatusCode();

        (await admin.PutAsJsonAsync("/api/v1/dispositions/sent-brochure", new { isActive = false })).EnsureSuccessStatusCode();
        var successor = await admin.PutAsJsonAsync("/api/v1/dispositions/sent-catalogue", new { label = "Sent catalogue", hotkey = "b" });
        var reactivate = await admin.PutAsJsonAsync("/api/v1/dispositions/sent-brochure", new { isActive = true });

        successor.StatusCode.ShouldBe(HttpStatusCode.OK);
        reactivate.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        ErrorsOf(await Json(reactivate), "hotkey").ShouldBe(["Hotkey B is already used by 'Sent catalogue'."]);
        var brochure = (await ListAsync(admin)).Single(d => d.GetProperty("code").GetString() == "sent-brochure");
        brochure.GetProperty("isActive").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task An_outcome_with_a_disposition_that_requires_a_callback_is_refused_without_a_callback_time()
    {
        var agent = await host.As("agent");
        var (callId, _) = await CompletedCallAsync("(212) 555-0181");

        var without = await agent.PostAsJsonAsync($"/api/v1/calls/{callId}/disposition", new { disposition = "callback" });
        var with = await agent.PostAsJsonAsync($"/api/v1/calls/{callId}/disposition", new { disposition = "callback", callbackAt = DateTimeOffset.UtcNow.AddDays(1) });

        without.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        ErrorsOf(await Json(without), "callbackAt").ShouldBe(["Callback is required for 'Call back later'."]);
        with.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_admin_makes_any_disposition_require_a_callback()
    {
        var admin = await host.As("admin");
        (await admin.PutAsJsonAsync("/api/v1/dispositions/send-quote", new { label = "Send a quote", requiresCallback = true })).EnsureSuccessStatusCode();
        var (callId, _) = await CompletedCallAsync("(212) 555-0182");

        var without = await (await host.As("agent")).PostAsJsonAsync($"/api/v1/calls/{callId}/disposition", new { disposition = "send-quote", notes = "Quote by Friday" });

        ErrorsOf(await Json(without), "callbackAt").ShouldBe(["Callback is required for 'Send a quote'."]);
    }

    [Fact]
    public async Task Reordering_puts_the_codes_sent_first_and_keeps_the_others_in_their_order_after_them()
    {
        var tenant = await host.CreateTenantAsync("disp-order");
        var admin = await host.LoginAsync(tenant.Email("admin"));
        var before = (await ListAsync(admin)).Select(d => d.GetProperty("code").GetString()!).ToList();

        var reordered = await admin.PostAsJsonAsync("/api/v1/dispositions/order", new { codes = new[] { "busy", "interested" } });
        var unknown = await admin.PostAsJsonAsync("/api/v1/dispositions/order", new { codes = new[] { "busy", "nope" } });
        var byManager = await (await host.LoginAsync(tenant.Email("manager"))).PostAsJsonAsync("/api/v1/dispositions/order", new { codes = new[] { "busy" } });

        reordered.StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = (await ListAsync(admin)).Select(d => d.GetProperty("code").GetString()!).ToList();
        after.ShouldBe(new[] { "busy", "interested" }.Concat(before.Where(c => c is not ("busy" or "interested"))).ToList());
        ErrorsOf(await Json(unknown), "codes").ShouldBe(["'nope' is not one of this tenant's dispositions."]);
        byManager.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task One_tenants_hotkeys_order_and_retired_dispositions_leave_another_tenant_untouched()
    {
        var ours = await host.CreateTenantAsync("disp-ours");
        var theirs = await host.CreateTenantAsync("disp-theirs");
        var theirAdmin = await host.LoginAsync(theirs.Email("admin"));
        var theirsBefore = (await theirAdmin.GetFromJsonAsync<JsonElement>("/api/v1/dispositions")).GetRawText();
        var admin = await host.LoginAsync(ours.Email("admin"));

        (await admin.PutAsJsonAsync("/api/v1/dispositions/interested", new { hotkey = "i", requiresCallback = true })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/v1/dispositions/busy", new { isActive = false })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/dispositions/order", new { codes = new[] { "do-not-call" } })).EnsureSuccessStatusCode();
        var theirsTakeI = await theirAdmin.PutAsJsonAsync("/api/v1/dispositions/info-sent", new { label = "Info sent", hotkey = "i" });

        (await theirAdmin.GetFromJsonAsync<JsonElement>("/api/v1/dispositions")).EnumerateArray().Where(d => d.GetProperty("code").GetString() != "info-sent")
            .Select(d => d.GetRawText()).ShouldBe(JsonDocument.Parse(theirsBefore).RootElement.EnumerateArray().Select(d => d.GetRawText()));
        theirsTakeI.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Admin_adds_moves_and_retires_a_disposition_on_the_settings_page()
    {
        var tenant = await host.CreateTenantAsync("disp-page");
        using var browser = await BrowserAsync(tenant.Email("admin"));
        var page = await browser.GetStringAsync("/settings/dispositions");

        var clash = await PostAsync(browser, "/settings/dispositions?handler=Save", page, new() { ["Form.Label"] = "Meeting booked", ["Form.Hotkey"] = "3" });
        var added = await PostAsync(browser, "/settings/dispositions?handler=Save", page, new()
        {
            ["Form.Label"] = "Meeting booked", ["Form.Hotkey"] = "m", ["Form.LeadStatus"] = "qualified", ["Form.IsConnect"] = "true", ["Form.RequiresCallback"] = "true",
        });
        var moved = await PostAsync(browser, "/settings/dispositions?handler=Move", page, new() { ["code"] = "meeting-booked", ["direction"] = "up" });
        var retired = await PostAsync(browser, "/settings/dispositions?handler=Retire", page, new() { ["code"] = "busy" });

        clash.StatusCode.ShouldBe(HttpStatusCode.OK);
        WebUtility.HtmlDecode(await clash.Content.ReadAsStringAsync()).ShouldContain("Hotkey 3 is already used by 'Call back later'.");
        added.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        moved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        retired.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var list = await ListAsync(await host.LoginAsync(tenant.Email("agent")));
        list.Select(d => d.GetProperty("code").GetString()).TakeLast(2).ShouldBe(["meeting-booked", "do-not-call"]);
        var meeting = list.Single(d => d.GetProperty("code").GetString() == "meeting-booked");
        (meeting.GetProperty("label").GetString(), meeting.GetProperty("hotkey").GetString(), meeting.GetProperty("leadStatus").GetString()).ShouldBe(("Meeting booked", "m", "qualified"));
        (meeting.GetProperty("isConnect").GetBoolean(), meeting.GetProperty("requiresCallback").GetBoolean(), meeting.GetProperty("addsToDnc").GetBoolean()).ShouldBe((true, true, false));
        list.Single(d => d.GetProperty("code").GetString() == "busy").GetProperty("isActive").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Managers_and_agents_get_the_403_page_for_the_settings_page()
    {
        foreach (var role in new[] { "manager", "agent" })
        {
            using var browser = await BrowserAsync(host.Tenant.Email(role));

            var response = await browser.GetAsync("/settings/dispositions");

            // Refusals redirect a browser to /forbidden, the 403 page.
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            response.Headers.Location!.AbsolutePath.ShouldBe("/forbidden");
            var refused = await browser.GetAsync(response.Headers.Location);
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            refused.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        }
    }

    private async Task<(Guid CallId, string Sid)> CompletedCallAsync(string phone)
    {
        var agent = await host.As("agent");
        var lead = await host.LeadAsync(phone: phone);
        var response = await agent.PostAsJsonAsync("/api/v1/calls", new { leadId = lead });
        response.EnsureSuccessStatusCode();
        var id = (await Json(response)).GetProperty("id").GetGuid();
        var call = await CallingHost.WaitForCallAsync(agent, id, c => c.GetProperty("providerCallId").ValueKind == JsonValueKind.String);
        var parent = call.GetProperty("providerCallId").GetString()!;
        var leg = "CAleg" + id.ToString("N");
        await host.PostSignedAsync(host.Webhook("status"), new() { ["CallSid"] = leg, ["ParentCallSid"] = parent, ["CallStatus"] = "in-progress", ["SequenceNumber"] = "2" });
        await host.PostSignedAsync(host.Webhook("status"), new() { ["CallSid"] = leg, ["ParentCallSid"] = parent, ["CallStatus"] = "completed", ["SequenceNumber"] = "3", ["CallDuration"] = "30" });
        await CallingHost.WaitForCallAsync(agent, id, c => c.GetProperty("status").GetString() == "completed");
        return (id, parent);
    }

    private async Task<HttpClient> BrowserAsync(string email)
    {
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, email);
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient browser, string url, string formHtml, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryToken().Match(formHtml).Groups[1].Value);
        return browser.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*?value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
