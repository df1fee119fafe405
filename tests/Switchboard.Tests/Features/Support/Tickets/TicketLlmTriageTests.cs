using Switchboard.Testing;
using Switchboard.Tests.Features.Ai;
using Switchboard.Tests.Features.Mailboxes;

namespace Switchboard.Tests.Features.Support.Tickets;

/// <summary>With a model configured, tickets are triaged by it (grounded and checked), and by the rules engine when it fails.</summary>
public sealed class TicketLlmTriageTests(TicketsLlmHost host) : IClassFixture<TicketsLlmHost>, IAsyncLifetime
{
    public Task InitializeAsync()
    {
        host.Model.Reset();
        host.Model.Answer = _ => new
        {
            category = "technical",
            priority = "urgent",
            sentiment = "negative",
            suggestedReply = "Hi Raj, sorry the dialer is down. We are on it and will update you shortly.",
            reasons = new object[]
            {
                new { about = "priority", what = "Outage for all agents", quote = "none of our agents can place calls" },
                new { about = "sentiment", what = "Invented", quote = "we are furious and leaving" },
            },
        };
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static MimeKit.MimeMessage Outage(string to) => TestImapServer.Message($"Raj Patel <{MailboxHost.Unique("raj")}>", to, "Dialer down for everyone",
        "Hi, since 9am the dialer is down and none of our agents can place calls. Please help immediately.");

    [Fact]
    public async Task The_model_triages_a_new_ticket_and_its_ungrounded_reason_is_dropped()
    {
        var inbox = await host.SupportInboxAsync();

        await inbox.DeliverAsync(Outage(inbox.Address));

        var ticket = (await inbox.TicketsUntilAsync(1)).Single();
        var triage = ticket.GetProperty("triage");
        triage.GetProperty("engine").GetString().ShouldBe("llm");
        triage.GetProperty("model").GetString().ShouldBe("configured-model");
        triage.GetProperty("fallback").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        ticket.GetProperty("priority").GetString().ShouldBe("urgent");
        ticket.GetProperty("category").GetString().ShouldBe("technical");
        ticket.GetProperty("sentiment").GetString().ShouldBe("negative");
        triage.GetProperty("suggestedReply").GetString().ShouldBe("Hi Raj, sorry the dialer is down. We are on it and will update you shortly.");
        triage.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("quote").GetString()).ShouldBe(["none of our agents can place calls"]);
        host.Model.Received.ShouldContain(r => r.Messages.Any(m => m.Content.Contains("none of our agents can place calls")));
    }

    [Fact]
    public async Task When_the_model_fails_the_rules_engine_triages_the_ticket_and_says_why()
    {
        var inbox = await host.SupportInboxAsync();
        host.Model.Enqueue(new FakeChatCompletionsServer.Status(500, "boom"));
        host.Model.Enqueue(new FakeChatCompletionsServer.Status(500, "boom"));

        await inbox.DeliverAsync(Outage(inbox.Address));

        var triage = (await inbox.TicketsUntilAsync(1)).Single().GetProperty("triage");
        triage.GetProperty("engine").GetString().ShouldBe("rules");
        triage.GetProperty("fallback").GetString()!.ShouldContain("500");
    }
}
