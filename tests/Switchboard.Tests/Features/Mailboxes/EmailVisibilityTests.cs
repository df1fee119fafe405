using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Mailboxes;

/// <summary>Other users see a mailbox's messages on timelines as its visibility says; its owner always sees all.</summary>
public sealed class EmailVisibilityTests(MailboxHost host) : IClassFixture<MailboxHost>
{
    [Theory]
    [InlineData("full", true, true)]
    [InlineData("subject", true, false)]
    [InlineData("metadata", false, false)]
    public async Task Another_user_sees_what_the_mailboxs_visibility_allows_and_the_owner_sees_all(string visibility, bool subjectShown, bool bodyShown)
    {
        var agent = await host.As("agent");
        var manager = await host.As("manager");
        var me = MailboxHost.Unique("agent");
        var mailbox = await host.ConnectAsync(agent, me, visibility);
        var leadAddress = MailboxHost.Unique("lead");
        var lead = await MailboxHost.LeadAsync(agent, leadAddress);
        await host.Imap.AppendAsync(me, MailboxHost.ImapPassword, TestImapServer.Message(leadAddress, me, "Secret subject", "Secret body"));
        await MailboxHost.SyncAsync(agent, mailbox);

        var seenByManager = (await MailboxHost.EmailsOnTimelineAsync(manager, "lead", lead)).Single();
        var seenByOwner = (await MailboxHost.EmailsOnTimelineAsync(agent, "lead", lead)).Single();

        seenByManager.GetProperty("title").GetString()!.Contains("Secret subject").ShouldBe(subjectShown);
        (seenByManager.GetProperty("detail").GetString() ?? "").Contains("Secret body").ShouldBe(bodyShown);
        seenByManager.GetProperty("title").GetString()!.ShouldContain(leadAddress);
        seenByOwner.GetProperty("title").GetString()!.ShouldContain("Secret subject");
        seenByOwner.GetProperty("detail").GetString()!.ShouldContain("Secret body");
        var email = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/emails/{seenByManager.GetProperty("id").GetGuid()}");
        email.GetProperty("visibility").GetString().ShouldBe(visibility);
        (email.GetProperty("text").ValueKind == JsonValueKind.String).ShouldBe(bodyShown);
    }
}
