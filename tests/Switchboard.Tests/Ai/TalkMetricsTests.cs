using Switchboard.Features.Ai.Engines;

namespace Switchboard.Tests.Ai;

public sealed class TalkMetricsTests
{
    [Fact]
    public void Shares_are_by_speaking_time_and_sum_to_one()
    {
        var stats = TalkMetrics.Measure([
            new Utterance(Speakers.Agent, 0, 10, "Hello."),
            new Utterance(Speakers.Contact, 10, 30, "Hi there, tell me more."),
            new Utterance(Speakers.Agent, 30, 40, "Sure."),
        ]);

        stats.ShouldNotBeNull();
        stats.AgentShare.ShouldBe(0.5);
        stats.ContactShare.ShouldBe(0.5);
    }

    [Fact]
    public void Rounded_shares_still_sum_to_one()
    {
        var stats = TalkMetrics.Measure([
            new Utterance(Speakers.Agent, 0, 1, "One."),
            new Utterance(Speakers.Contact, 1, 3, "Two."),
        ])!;

        (stats.AgentShare + stats.ContactShare).ShouldBe(1, 1e-9);
        stats.AgentShare.ShouldBe(0.33);
    }

    [Fact]
    public void The_longest_monologue_runs_over_consecutive_utterances_of_one_speaker()
    {
        var stats = TalkMetrics.Measure([
            new Utterance(Speakers.Agent, 0, 5, "Intro."),
            new Utterance(Speakers.Contact, 5, 8, "Ok."),
            new Utterance(Speakers.Agent, 9, 20, "First point."),
            new Utterance(Speakers.Agent, 21, 33, "Second point."),
            new Utterance(Speakers.Contact, 34, 40, "Right."),
        ])!;

        stats.LongestMonologueSeconds.ShouldBe(24);
    }

    [Fact]
    public void Only_the_agents_sentences_ending_in_a_question_mark_count_as_questions()
    {
        var stats = TalkMetrics.Measure([
            new Utterance(Speakers.Agent, 0, 5, "How many reps do you have? And which CRM?? We can help."),
            new Utterance(Speakers.Contact, 5, 8, "Why do you ask?"),
            new Utterance(Speakers.Agent, 8, 9, "Great, thanks."),
        ])!;

        stats.QuestionsAsked.ShouldBe(2);
    }

    [Fact]
    public void Utterances_without_speakers_or_times_give_no_stats()
    {
        TalkMetrics.Measure(null).ShouldBeNull();
        TalkMetrics.Measure([new Utterance(null, 0, 5, "Hello?"), new Utterance(Speakers.Agent, null, null, "Hi?")]).ShouldBeNull();
    }
}
