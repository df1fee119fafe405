using Switchboard.Features.Ai.CallPrep;

namespace Switchboard.Tests.Features.Ai;

/// <summary>The history talking points: seven short lines in order of importance when there is history, fewer when there is not, never padded.</summary>
public sealed class TalkingPointsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 15, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static CallPrepRecord Lead(string? title = "CTO", string? company = "Acme", string? email = "dana@acme.test", string status = "contacted", bool dnc = false) =>
        new("lead", Guid.NewGuid(), "Dana Reyes", title, company, null, "+12125550150", email, status, null, Zone.Id,
            TimeZoneInfo.ConvertTime(Now, Zone), null, null, dnc);

    private static CallPrepLastCall Call(IReadOnlyList<CallPrepPromise>? promises = null, IReadOnlyList<CallPrepStatement>? requests = null, string? sentiment = "positive") =>
        new(Guid.NewGuid(), Now.AddDays(-3), "outbound", "completed", "Interested", null, 95, "Sam Agent", "completed",
            "Dana asked for pricing. Sam promised it by Friday.", sentiment, requests ?? [], promises ?? []);

    private static CallPrepInteraction Touch(int daysAgo, string kind = "call") => new(kind, Guid.NewGuid(), Now.AddDays(-daysAgo), "Outbound call, Interested", null, null);

    [Fact]
    public void A_rich_history_gives_exactly_seven_points_led_by_requests_and_promises()
    {
        var promise = new CallPrepPromise("Send the pricing sheet", Now.AddDays(1), false, "I'll send you the pricing sheet by Friday.", Guid.NewGuid(), PromiseStates.Task, Guid.NewGuid());
        var overdue = new CallPrepTask(Guid.NewGuid(), "task", "Book the demo room", Now.AddDays(-2), "medium", true, null, null);
        var facts = new TalkingPointFacts(Lead(),
            [Touch(3), Touch(4, "note")], [overdue],
            Call([promise], [new CallPrepStatement("Pricing for fifty seats", "Can you send me the pricing sheet for fifty seats?")]),
            "Prefers mornings", Now, Zone);

        var points = TalkingPoints.FromHistory(facts);

        points.Count.ShouldBe(7);
        points[0].ShouldContain("Pricing for fifty seats");
        points[1].ShouldStartWith("You promised to send the pricing sheet");
        points[2].ShouldContain("Book the demo room");
        points[3].ShouldContain("“Interested”");
        points[3].ShouldContain("went well");
        points.ShouldAllBe(p => p.Length <= TalkingPoints.MaxLength && !p.Contains('\n'));
        points.Distinct().Count().ShouldBe(7);
    }

    [Fact]
    public void A_new_lead_with_no_history_gets_fewer_points_and_none_invented()
    {
        var points = TalkingPoints.FromHistory(new TalkingPointFacts(Lead(title: null, company: null, email: null, status: "new"), [], [], null, null, Now, Zone));

        points.Count.ShouldBeLessThan(7);
        points.ShouldContain(p => p.Contains("first call"));
        points.ShouldContain(p => p.StartsWith("Their local time is Fri 10:00"));
        points.ShouldContain(p => p.Contains("No email on file"));
        points.ShouldNotContain(p => p.Contains("Last touch") || p.Contains("Close on a next step"));
    }

    [Fact]
    public void The_same_facts_always_give_the_same_points()
    {
        var facts = new TalkingPointFacts(Lead(), [Touch(1)], [], Call(), null, Now, Zone);

        TalkingPoints.FromHistory(facts).ShouldBe(TalkingPoints.FromHistory(facts));
    }

    [Fact]
    public void Do_not_call_comes_first_and_a_bad_last_call_is_acknowledged()
    {
        var points = TalkingPoints.FromHistory(new TalkingPointFacts(Lead(dnc: true), [Touch(10)], [], Call(sentiment: "negative"), null, Now, Zone));

        points[0].ShouldStartWith("Marked do not call");
        points.ShouldContain(p => p.Contains("went badly"));
        points.ShouldContain("Last touch 10 days ago (call).");
    }

    [Fact]
    public void An_overdue_promise_says_so_and_a_suggestion_is_an_offer()
    {
        var late = new CallPrepPromise("Send the contract", Now.AddDays(-1), true, "I'll send the contract tomorrow.", Guid.NewGuid(), PromiseStates.Task, Guid.NewGuid());
        var offer = new CallPrepPromise("Set up a demo", Now.AddDays(5), false, "I could set up a demo.", null, PromiseStates.Suggested, Guid.NewGuid());

        var points = TalkingPoints.FromHistory(new TalkingPointFacts(Lead(), [Touch(1)], [], Call([late, offer]), null, Now, Zone));

        points.ShouldContain(p => p.StartsWith("You promised to send the contract, overdue since Thu 3 Dec"));
        points.ShouldContain(p => p.StartsWith("You offered to set up a demo, due Wed 9 Dec"));
    }

    [Fact]
    public void A_notes_heading_line_is_joined_to_the_line_that_says_what_it_is_about()
    {
        CallPrepHistory.NoteLine("**Call summary** (2026-12-04, written by AI)\n\nDana wants pricing.")
            .ShouldBe("Call summary (2026-12-04, written by AI): Dana wants pricing.");
        CallPrepHistory.NoteLine("- Prefers a call in the **morning**, before the stand-up of the whole team\nsecond line").ShouldBe("Prefers a call in the morning, before the stand-up of the whole team");
    }

    [Fact]
    public void A_long_line_is_cut_to_one_short_line()
    {
        TalkingPoints.Clip("one\ntwo   three " + new string('x', 300), 40).ShouldSatisfyAllConditions(
            c => c.Length.ShouldBe(40), c => c.ShouldStartWith("one two three"), c => c.ShouldEndWith("…"));
    }
}

/// <summary>Which of an analysed call's items are still open promises.</summary>
public sealed class OpenPromisesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Pending_tasks_and_unanswered_suggestions_of_the_agent_are_open_the_rest_are_not()
    {
        var pending = Guid.NewGuid();
        var done = Guid.NewGuid();
        var edited = new Switchboard.Features.Ai.CallPrep.PromisedTask(pending, "Send the pricing sheet (50 seats)", Now.AddDays(2), "pending");
        var tasks = new Dictionary<Guid, Switchboard.Features.Ai.CallPrep.PromisedTask>
        {
            [pending] = edited,
            [done] = new(done, "Call back", Now.AddDays(-1), "completed"),
        };
        var items = new[]
        {
            Make("Send the pricing sheet", "created", pending, "agent"),
            Make("Call back", "accepted", done, "agent"),
            Make("Set up a demo", "suggested", null, "agent"),
            Make("Ask legal", "dismissed", null, "agent"),
            Make("Send the signed form", "suggested", null, "contact"),
            Make("Old task", "undone", null, "agent"),
        };

        var promises = OpenPromises.From(Guid.NewGuid(), items, tasks, Now);

        promises.Select(p => p.Title).ShouldBe(["Send the pricing sheet (50 seats)", "Set up a demo"]);
        promises[0].ActivityId.ShouldBe(pending);
        promises[0].State.ShouldBe(PromiseStates.Task);
        promises[0].Quote.ShouldBe("Quote of Send the pricing sheet");
        promises[1].State.ShouldBe(PromiseStates.Suggested);
        promises[1].ActivityId.ShouldBeNull();
    }

    private static Switchboard.Features.Ai.AnalysisItem Make(string title, string state, Guid? activity, string owner) =>
        new(title, "task", "medium", Now.AddDays(3), null, owner, 0.9, "Quote of " + title, state, activity);
}
