using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Switchboard.Features.Outreach;
using Switchboard.Tests.Features.Mailboxes;

namespace Switchboard.Tests.Features.Outreach;

/// <summary>One-click unsubscribe (RFC 8058) and the suppression list API.</summary>
public sealed class OutreachUnsubscribeTests(OutreachHost host) : IClassFixture<OutreachHost>
{
    [Fact]
    public async Task One_click_POST_unsubscribes_once_while_GET_only_shows_a_button()
    {
        var (mailbox, address) = await host.MailboxAsync();
        var to = MailboxHost.Unique("reader");
        var row = (await host.EnqueueAsync(mailbox, [to])).Single();
        await host.DrainAsync();
        var header = host.Smtp(address).Received.Single().Headers["List-Unsubscribe"]!;
        var path = new Uri(Regex.Match(header, "<(http[^>]+)>").Groups[1].Value).AbsolutePath;
        using var anonymous = host.CreateClient();

        var page = await anonymous.GetAsync(path);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("<form method=\"post\"");
        html.ShouldContain(to);
        (await host.SuppressionAsync(to)).ShouldBeNull();
        host.Outcomes.For(row.Id).Count.ShouldBe(1);

        var post = await anonymous.PostAsync(path, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        post.StatusCode.ShouldBe(HttpStatusCode.OK);
        var again = await anonymous.PostAsync(path, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        again.StatusCode.ShouldBe(HttpStatusCode.OK);

        var suppression = (await host.SuppressionAsync(to))!;
        suppression.Reason.ShouldBe(SuppressionReasons.Unsubscribed);
        suppression.OutboundEmailId.ShouldBe(row.Id);
        host.Outcomes.For(row.Id).Count.ShouldBe(2);
        var next = (await host.EnqueueAsync(mailbox, [to], "Follow-up")).Single();
        await host.DrainAsync();
        (await host.RowAsync(next.Id)).Status.ShouldBe(OutboundEmailStatus.Suppressed);
        host.Smtp(address).Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_bad_unsubscribe_token_answers_a_404_page_and_suppresses_nobody()
    {
        using var anonymous = host.CreateClient();

        var get = await anonymous.GetAsync("/u/not-a-token");
        var post = await anonymous.PostAsync("/u/CfDJ8forged", new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));

        get.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await get.Content.ReadAsStringAsync()).ShouldContain("not valid");
        get.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        post.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Managers_add_search_filter_and_remove_suppressions_and_agents_may_not()
    {
        var manager = await host.As("manager");
        var agent = await host.As("agent");
        var address = MailboxHost.Unique("manual");

        (await agent.GetAsync("/api/v1/suppressions")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await agent.PostAsJsonAsync("/api/v1/suppressions", new { address })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var invalid = await manager.PostAsJsonAsync("/api/v1/suppressions", new { address = "not an address", reason = "tired" });
        invalid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.TryGetProperty("address", out _).ShouldBeTrue();
        errors.TryGetProperty("reason", out _).ShouldBeTrue();

        var added = await manager.PostAsJsonAsync("/api/v1/suppressions", new { address = address.ToUpperInvariant(), note = "asked on a call" });
        added.StatusCode.ShouldBe(HttpStatusCode.OK, await added.Content.ReadAsStringAsync());
        (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString().ShouldBe("manual");

        var found = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/suppressions?search={Uri.EscapeDataString(address[..12])}&reason=manual");
        found.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("address").GetString()).ShouldBe([address]);
        var otherReason = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/suppressions?search={Uri.EscapeDataString(address)}&reason=bounced");
        otherReason.GetProperty("total").GetInt32().ShouldBe(0);
        (await agent.DeleteAsync($"/api/v1/suppressions/{address}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await manager.DeleteAsync($"/api/v1/suppressions/{address}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await manager.DeleteAsync($"/api/v1/suppressions/{address}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_tenant_neither_sees_nor_removes_this_tenants_suppressions()
    {
        var address = MailboxHost.Unique("private");
        (await (await host.As("admin")).PostAsJsonAsync("/api/v1/suppressions", new { address })).EnsureSuccessStatusCode();
        var other = await host.CreateTenantAsync("other");
        using var outsider = await host.LoginAsync(other.Email("admin"));

        var list = await outsider.GetFromJsonAsync<JsonElement>($"/api/v1/suppressions?search={Uri.EscapeDataString(address)}");
        var delete = await outsider.DeleteAsync($"/api/v1/suppressions/{address}");

        list.GetProperty("total").GetInt32().ShouldBe(0);
        delete.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await host.SuppressionAsync(address)).ShouldNotBeNull();
    }
}
