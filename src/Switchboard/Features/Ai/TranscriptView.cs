using Switchboard.Features.Ai.Engines;

namespace Switchboard.Features.Ai;

/// <summary>A piece of a transcript line; <see cref="Quote"/> is the index of the analysis quote it belongs to, if any.</summary>
public sealed record TranscriptSegment(string Text, int? Quote);

/// <summary>A transcript line: who spoke ("Agent", "Contact" or none) and its text in segments.</summary>
public sealed record TranscriptLine(string? Speaker, IReadOnlyList<TranscriptSegment> Segments);

/// <summary>
/// A transcript cut into lines and segments so the call page can mark where each quote of the analysis was said: quote
/// <c>i</c> is found with <see cref="Grounding.Locate"/> and its words become segments with <c>Quote = i</c> (a quote
/// overlapping an earlier one keeps only the earlier's marks).
/// </summary>
public static class TranscriptView
{
    public static IReadOnlyList<TranscriptLine> Lines(string transcript, IReadOnlyList<string> quotes)
    {
        var owner = new int?[transcript.Length];
        for (var i = 0; i < quotes.Count; i++)
        {
            if (Grounding.Locate(transcript, quotes[i]) is not { } span) continue;
            for (var at = span.Start; at < span.Start + span.Length && at < owner.Length; at++) owner[at] ??= i;
        }

        var lines = new List<TranscriptLine>();
        var lineStart = 0;
        foreach (var line in transcript.Split('\n'))
        {
            var (speaker, textStart) = SpeakerOf(line);
            lines.Add(new TranscriptLine(speaker, Segments(transcript, owner, lineStart + textStart, lineStart + line.Length)));
            lineStart += line.Length + 1;
        }
        return lines;
    }

    private static (string? Speaker, int TextStart) SpeakerOf(string line)
    {
        foreach (var label in new[] { "Agent", "Contact" })
            if (line.StartsWith(label + ":", StringComparison.Ordinal)) return (label, label.Length + 1 + (line.Length > label.Length + 1 && line[label.Length + 1] == ' ' ? 1 : 0));
        return (null, 0);
    }

    private static List<TranscriptSegment> Segments(string text, int?[] owner, int from, int to)
    {
        var segments = new List<TranscriptSegment>();
        var start = from;
        for (var at = from + 1; at <= to; at++)
        {
            if (at < to && owner[at] == owner[start]) continue;
            segments.Add(new TranscriptSegment(text[start..at], owner[start]));
            start = at;
        }
        return segments;
    }
}
