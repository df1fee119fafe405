using System.Text.RegularExpressions;

namespace Switchboard.Features.Support.Triage;

/// <summary>A sentence of the email, verbatim (so it can be quoted), and whether it is the sender's own new words.</summary>
public sealed record EmailSentence(string Text, bool Fresh, bool Instruction, bool Subject = false);

/// <summary>
/// Reads an email for triage: the subject (without Re:/Fwd:/[#123] prefixes), the new text and the quoted history
/// (a reply's "On … wrote:" and everything after it, "-----Original Message-----", lines starting with "&gt;"), and
/// sentences that are instructions aimed at the triage itself ("ignore your instructions", "mark this urgent") — those
/// are data like the rest but never count as a cue. A forwarded message ("---------- Forwarded message") is what the
/// forwarder wants looked at, so it counts as new text.
/// </summary>
public static partial class EmailText
{
    public static IReadOnlyList<EmailSentence> Read(string subject, string body)
    {
        var sentences = new List<EmailSentence>();
        var cleanSubject = CleanSubject(subject);
        if (cleanSubject.Length > 0) sentences.Add(new EmailSentence(cleanSubject, true, IsInstruction(cleanSubject), Subject: true));
        var fresh = true;
        var forwarded = false;
        foreach (var raw in (body ?? "").Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            if (ForwardStart().IsMatch(line)) forwarded = true;
            else if (fresh && (QuoteStart().IsMatch(line) || (!forwarded && line.StartsWith("From:", StringComparison.OrdinalIgnoreCase) && line.Contains('@')))) fresh = false;
            var quotedLine = line.StartsWith('>');
            if (quotedLine) line = line.TrimStart('>', ' ');
            if (line.Length == 0) continue;
            foreach (Match m in SentenceSplit().Matches(line))
            {
                var text = m.Value.Trim();
                if (text.Any(char.IsLetterOrDigit)) sentences.Add(new EmailSentence(text, fresh && !quotedLine, IsInstruction(text)));
            }
        }
        return sentences;
    }

    /// <summary>The subject without reply/forward prefixes and ticket references.</summary>
    public static string CleanSubject(string? subject)
    {
        var s = (subject ?? "").Trim();
        while (true)
        {
            var next = SubjectPrefix().Replace(s, "").Trim();
            if (next == s) return s;
            s = next;
        }
    }

    public static bool IsInstruction(string sentence) => Injection().IsMatch(sentence);

    /// <summary>The first name to greet the sender by: the display name's first word, else the address's local part if it looks like a name.</summary>
    public static string? FirstName(string? fromName, string? fromAddress)
    {
        var name = (fromName ?? "").Trim().Trim('"');
        if (name.Contains(',')) name = name[(name.IndexOf(',') + 1)..].Trim(); // "Doe, Jane"
        var first = name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (first is not null && first.Any(char.IsLetter) && !first.Contains('@')) return first;
        var local = (fromAddress ?? "").Split('@')[0].Split('.', '_', '-')[0];
        return local.Length > 1 && local.All(char.IsLetter) && local is not ("support" or "info" or "noreply" or "admin" or "billing" or "sales")
            ? char.ToUpperInvariant(local[0]) + local[1..].ToLowerInvariant()
            : null;
    }

    [GeneratedRegex(@"^(?:(?:re|fw|fwd|aw|wg|sv|tr)\s*:|\[#?[\w-]+\])\s*", RegexOptions.IgnoreCase)]
    private static partial Regex SubjectPrefix();

    [GeneratedRegex(@"^(?:on\s.{3,200}\swrote:?$|-{2,}\s*original message\s*-{2,}|le\s.{3,100}\sa écrit|am\s.{3,100}\sschrieb)", RegexOptions.IgnoreCase)]
    private static partial Regex QuoteStart();

    [GeneratedRegex(@"^(?:-{2,}\s*forwarded message\s*-{2,}|begin forwarded message:?)", RegexOptions.IgnoreCase)]
    private static partial Regex ForwardStart();

    // A sentence ends at . ! ? followed by a space (or the line's end); a line is at least one sentence.
    [GeneratedRegex(@"(?:[^.!?]|[.!?](?![.!?]*(?:\s|$)))+(?:[.!?]+(?=\s|$)|$)|[.!?]+", RegexOptions.None)]
    private static partial Regex SentenceSplit();

    [GeneratedRegex(@"\b(?:ignore|disregard|forget)\b.{0,30}\b(?:instructions?|prompt|rules)\b|\b(?:mark|set|flag|classify|treat|label)\s+(?:this|it|the\s+ticket|this\s+ticket|the\s+priority|priority)\b.{0,20}\b(?:urgent|high|critical|priority|low)\b|\bsystem prompt\b|\byou are now\b|\breply with\b.{0,40}\b(?:password|credentials?|secret|token|api key)\b|\b(?:reveal|give me|send me)\b.{0,30}\badmin\b.{0,15}\bpassword\b", RegexOptions.IgnoreCase)]
    private static partial Regex Injection();
}
