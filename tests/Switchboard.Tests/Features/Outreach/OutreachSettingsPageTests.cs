using System.Net;
using Switchboard.Features.Outreach;
using Switchboard.Testing;
using Switchboard.Tests.Features.Mailboxes;

namespace Switchboard.Tests.Features.Outreach;

/// <summary>Settings → Outreach: the sending mailboxes and the suppression list, for managers and administrators only.</summary>
public sealed class OutreachSettingsPageTests(OutreachHost host) : IClassFixture<OutreachHost>
{
    [Fact]
    public async Task An_admin_sets_caps_suppresses_and_removes_an_address_on_the_page_and_an_agent_is_refused()
    {
        var (mailbox, address) = await host.MailboxAsync();
        using var admin = await PageClient.SignInAsync(host, host.Tenant.Email("admin"));
        using var agent = await PageClient.SignInAsync(host, host.Tenant.Email("agent"));
        var suppressed = MailboxHost.Unique("page");

        var refused = await agent.GetAsync("/settings/outreach");
        refused.StatusCode.ShouldBe(HttpStatusCode.Found);
        refused.Headers.Location!.ToString().ShouldNotContain("/settings/outreach");
        (await agent.GetAsync(refused.Headers.Location!.ToString())).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var html = await admin.GetStringAsync("/settings/outreach");
        html.ShouldContain(address);
        html.ShouldContain("value=\"10\"");

        (await admin.PostFormAsync($"/settings/outreach?handler=Caps&id={mailbox}", new() { ["PerMinute"] = "7", ["PerDay"] = "300" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await admin.PostFormAsync("/settings/outreach?handler=Suppress", new() { ["Address"] = suppressed, ["Note"] = "<b>asked</b>" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        html = await admin.GetStringAsync($"/settings/outreach?Search={Uri.EscapeDataString(suppressed)}");
        html.ShouldContain("value=\"7\"");
        html.ShouldContain("value=\"300\"");
        html.ShouldContain(suppressed);
        html.ShouldContain("&lt;b&gt;asked&lt;/b&gt;");
        (await host.SuppressionAsync(suppressed))!.Reason.ShouldBe(SuppressionReasons.Manual);

        (await admin.PostFormAsync($"/settings/outreach?handler=Remove&address={Uri.EscapeDataString(suppressed)}", new(), "/settings/outreach")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await host.SuppressionAsync(suppressed)).ShouldBeNull();
    }
}
