using System.Text;

namespace Switchboard.Features.Ai.Engines;

/// <summary>
/// Whether a quote an engine gives really is in the transcript. Both sides are compared normalised — lower case,
/// letters and digits only (so "I'll" and "ill" agree), whitespace collapsed — because an engine may drop an
/// apostrophe or a comma while quoting, and that is not an invented fact. Anything else is: an ungrounded item is
/// dropped, whichever engine proposed it.
/// </summary>
public static class Grounding
{
    public static bool Contains(string transcript, string quote)
    {
        var needle = Normalise(quote);
        return needle.Length > 0 && Normalise(transcript).Contains(needle, StringComparison.Ordinal);
    }

    public static string Normalise(string text) => Map(text).Text;

    /// <summary>The quote's span in the original transcript (from its first to its last letter or digit), or null when it is not there.</summary>
    public static (int Start, int Length)? Locate(string transcript, string quote)
    {
        var needle = Normalise(quote);
        if (needle.Length == 0) return null;
        var (text, origins) = Map(transcript);
        var at = text.IndexOf(needle, StringComparison.Ordinal);
        if (at < 0) return null;
        var start = origins[at].Start;
        var last = origins[at + needle.Length - 1];
        return (start, last.Start + last.Length - start);
    }

    /// <summary>The normalised text and, for each of its chars, where it came from in the original (start and length, a surrogate pair is two).</summary>
    private static (string Text, List<(int Start, int Length)> Origins) Map(string text)
    {
        var builder = new StringBuilder(text.Length);
        var origins = new List<(int Start, int Length)>(text.Length);
        var pendingSpace = false;
        var index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var length = rune.Utf16SequenceLength;
            if (Rune.IsWhiteSpace(rune))
            {
                pendingSpace = builder.Length > 0;
            }
            else if (Rune.IsLetterOrDigit(rune))
            {
                if (pendingSpace)
                {
                    builder.Append(' ');
                    origins.Add((index - 1, 1));
                    pendingSpace = false;
                }
                var lower = Rune.ToLowerInvariant(rune);
                var before = builder.Length;
                builder.Append(lower.ToString());
                for (var i = before; i < builder.Length; i++) origins.Add((index, length));
            }
            index += length;
        }
        return (builder.ToString(), origins);
    }
}
