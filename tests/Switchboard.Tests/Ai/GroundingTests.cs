using Switchboard.Features.Ai.Engines;

namespace Switchboard.Tests.Ai;

public sealed class GroundingTests
{
    private const string Transcript = "Agent: Hi Dana!\nAgent:  I'll send you the   pricing sheet, by Friday.\nContact: Great — thanks.";

    [Fact]
    public void A_verbatim_quote_is_grounded() =>
        Grounding.Contains(Transcript, "I'll send you the   pricing sheet, by Friday.").ShouldBeTrue();

    [Fact]
    public void A_quote_without_apostrophes_punctuation_or_case_is_grounded() =>
        Grounding.Contains(Transcript, "ill SEND you the pricing sheet by friday").ShouldBeTrue();

    [Fact]
    public void A_quote_spanning_lines_is_grounded() =>
        Grounding.Contains(Transcript, "by Friday. Contact: great").ShouldBeTrue();

    [Fact]
    public void A_quote_with_a_changed_word_is_not_grounded() =>
        Grounding.Contains(Transcript, "I'll send you the pricing sheet by Monday").ShouldBeFalse();

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("?!,")]
    public void An_empty_quote_is_never_grounded(string quote) => Grounding.Contains(Transcript, quote).ShouldBeFalse();

    [Fact]
    public void Normalise_lowers_drops_punctuation_and_collapses_whitespace() =>
        Grounding.Normalise("  I'll  send\tthe $1,470 QUOTE…  ").ShouldBe("ill send the 1470 quote");

    [Fact]
    public void Locate_gives_the_span_in_the_original_text()
    {
        var span = Grounding.Locate(Transcript, "ill send you the pricing sheet by friday");

        span.ShouldNotBeNull();
        Transcript.Substring(span.Value.Start, span.Value.Length).ShouldBe("I'll send you the   pricing sheet, by Friday");
    }

    [Fact]
    public void Locate_handles_characters_outside_the_basic_plane()
    {
        const string text = "Contact: 👍 great, send the contract";

        var span = Grounding.Locate(text, "send the contract");

        span.ShouldNotBeNull();
        text.Substring(span.Value.Start, span.Value.Length).ShouldBe("send the contract");
    }

    [Fact]
    public void Locate_answers_null_for_a_quote_that_is_not_there() =>
        Grounding.Locate(Transcript, "we will cancel").ShouldBeNull();
}
