using Switchboard.Features.Ai;

namespace Switchboard.Tests.Ai;

public sealed class TranscriptViewTests
{
    private const string Text = "Agent: Absolutely, I'll send you the pricing sheet by Friday.\nContact: Great, thanks.";

    [Fact]
    public void Every_character_of_a_line_after_its_speaker_is_kept_and_the_quote_is_marked_exactly()
    {
        var lines = TranscriptView.Lines(Text, ["I'll send you the pricing sheet by Friday"]);

        lines.Select(l => l.Speaker).ShouldBe(["Agent", "Contact"]);
        string.Concat(lines[0].Segments.Select(s => s.Text)).ShouldBe("Absolutely, I'll send you the pricing sheet by Friday.");
        lines[0].Segments.Single(s => s.Quote == 0).Text.ShouldBe("I'll send you the pricing sheet by Friday");
        string.Concat(lines[1].Segments.Select(s => s.Text)).ShouldBe("Great, thanks.");
    }

    [Fact]
    public void A_quote_that_is_not_in_the_transcript_marks_nothing()
    {
        var lines = TranscriptView.Lines(Text, ["I will fly to Paris"]);

        lines.SelectMany(l => l.Segments).ShouldAllBe(s => s.Quote == null);
    }

    [Fact]
    public void Overlapping_quotes_keep_the_first_ones_marks()
    {
        var lines = TranscriptView.Lines(Text, ["pricing sheet by Friday", "send you the pricing sheet"]);

        lines[0].Segments.Where(s => s.Quote is not null).Select(s => (s.Text, s.Quote)).ShouldBe([("send you the ", (int?)1), ("pricing sheet by Friday", 0)]);
    }
}
