using Switchboard.Features.Ai.Rules;

namespace Switchboard.Tests.Ai;

public sealed class EvaluationTests
{
    private static readonly IReadOnlyList<EvaluationCase> Cases = EvaluationSet.Load(EvaluationSet.DefaultPath());

    [Fact]
    public void The_evaluation_set_has_at_least_sixty_labelled_cases()
    {
        Cases.Count.ShouldBeGreaterThanOrEqualTo(60);
        Cases.Select(c => c.Id).ShouldBeUnique();
    }

    [Fact]
    public async Task Rules_engine_meets_its_targets_on_the_evaluation_set()
    {
        var report = await EvaluationScoring.ScoreAsync(new RulesEngine(), Cases, CancellationToken.None);

        report.Precision.ShouldBeGreaterThanOrEqualTo(0.85, string.Join('\n', report.Misses));
        report.Recall.ShouldBeGreaterThanOrEqualTo(0.6, string.Join('\n', report.Misses));
    }

    [Fact]
    public async Task Every_quote_the_rules_engine_gives_on_the_evaluation_set_is_in_its_transcript()
    {
        var engine = new RulesEngine();
        foreach (var @case in Cases)
        {
            var transcript = @case.Transcript();
            var result = await engine.AnalyseAsync(transcript, @case.Context(), CancellationToken.None);
            var quotes = result.ActionItems.Select(i => i.Quote)
                .Concat(result.Fulfilled.Select(f => f.Quote))
                .Concat(result.CustomerRequests.Select(r => r.Quote))
                .Concat(result.Commitments.Select(c => c.Quote));
            foreach (var quote in quotes) transcript.Text.ShouldContain(quote, Case.Sensitive, @case.Id);
        }
    }

    [Theory]
    [InlineData("Send pricing sheet", "Send the pricing sheets for the team plan", true)]
    [InlineData("Call Kevin", "Call back Kevin", true)]
    [InlineData("Send W-9", "Send the W-9", true)]
    [InlineData("Send contract", "Send pricing sheet", false)]
    [InlineData("Call Priya again", "Call back", false)]
    public void Titles_match_when_they_share_a_content_word_beyond_the_generic_verbs(string expected, string found, bool match) =>
        Switchboard.Features.Ai.Rules.ContentWords.Overlap(expected, found).ShouldBe(match);
}
