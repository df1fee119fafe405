using Switchboard.Ui;

namespace Switchboard.Tests.Ui;

/// <summary>Avatars show whole characters as a reader sees them (grapheme clusters), never half a surrogate pair.</summary>
public sealed class InitialsTests
{
    [Theory]
    [InlineData("Sam Rivera", "SR")]
    [InlineData("sam", "S")]
    [InlineData("Ada Byron Lovelace", "AL")]
    [InlineData("Globex Café 🚀", "GC")]
    [InlineData("🚀 Rocket Labs", "RL")]
    [InlineData("🚀", "🚀")]
    [InlineData("🚀 🛰", "🚀")]
    [InlineData("👩‍💻 Dev Team", "DT")]
    [InlineData("👩‍💻", "👩‍💻")]
    [InlineData("🇫🇷", "🇫🇷")]
    [InlineData("Émile Zola", "ÉZ")]
    [InlineData("e\u0301mile zola", "ÉZ")]
    [InlineData("ñandú", "Ñ")]
    [InlineData("Ölçer  İnan", "Öİ")]
    [InlineData("O'Brien & Sons", "OS")]
    [InlineData("   ", "?")]
    [InlineData("", "?")]
    public void Initials_take_whole_characters(string name, string expected)
    {
        Display.Initials(name).ShouldBe(expected);
    }

    [Theory]
    [InlineData("Globex Café 🚀")]
    [InlineData("🚀 Rocket")]
    [InlineData("👩‍💻")]
    public void Initials_are_never_broken_text(string name)
    {
        var initials = Display.Initials(name);

        initials.ShouldNotContain("\uFFFD");
        foreach (var (c, i) in initials.Select((c, i) => (c, i)))
        {
            if (char.IsHighSurrogate(c)) char.IsLowSurrogate(initials[i + 1]).ShouldBeTrue();
            if (char.IsLowSurrogate(c)) char.IsHighSurrogate(initials[i - 1]).ShouldBeTrue();
        }
    }
}
