using Microsoft.AspNetCore.Http;

namespace Switchboard.Features.Telephony.Providers.Twilio;

public enum TwilioCallStatus { Queued, Initiated, Ringing, InProgress, Completed, Busy, NoAnswer, Failed, Canceled }

/// <summary>
/// A voice status / recording / transcription callback from Twilio or SignalWire's compatibility API.
/// Every field is optional: each callback kind sends a different subset, providers add fields over time,
/// and a missing or malformed field must not make us drop the rest of an event about a live call.
/// An unrecognised status is kept in <see cref="RawCallStatus"/> with <see cref="CallStatus"/> null.
/// </summary>
public sealed record TwilioCallbackForm
{
    public string? CallSid { get; init; }

    /// <summary>Set on a child leg (a number reached through &lt;Dial&gt;): the call that dialed it.</summary>
    public string? ParentCallSid { get; init; }
    public string? AccountSid { get; init; }
    public TwilioCallStatus? CallStatus { get; init; }
    public string? RawCallStatus { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
    public string? Direction { get; init; }
    public int? CallDurationSeconds { get; init; }
    /// <summary>Orders status callbacks of one call, which can arrive out of order.</summary>
    public int? SequenceNumber { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
    public string? RecordingUrl { get; init; }
    public string? RecordingSid { get; init; }
    public string? RecordingStatus { get; init; }
    public int? RecordingDurationSeconds { get; init; }
    public string? TranscriptionSid { get; init; }
    public string? TranscriptionText { get; init; }
    public string? TranscriptionStatus { get; init; }
    /// <summary>Answering-machine detection verdict: human, machine_start, fax, unknown, ...</summary>
    public string? AnsweredBy { get; init; }

    /// <summary>True for statuses after which the call can no longer change.</summary>
    public bool IsFinal => CallStatus is TwilioCallStatus.Completed or TwilioCallStatus.Busy or TwilioCallStatus.NoAnswer
        or TwilioCallStatus.Failed or TwilioCallStatus.Canceled;

    /// <summary>The provider-neutral shape the calling code reads.</summary>
    public ProviderCallback ToCallback() => new()
    {
        CallId = CallSid, ParentCallId = ParentCallSid, Status = RawCallStatus?.ToLowerInvariant(), From = From, To = To,
        DurationSeconds = CallDurationSeconds, SequenceNumber = SequenceNumber, Timestamp = Timestamp,
        RecordingId = RecordingSid, RecordingUrl = RecordingUrl, RecordingStatus = RecordingStatus, RecordingDurationSeconds = RecordingDurationSeconds,
        TranscriptionId = TranscriptionSid, TranscriptionText = TranscriptionText, TranscriptionStatus = TranscriptionStatus,
    };

    public static TwilioCallbackForm Parse(IFormCollection form) => Parse(TwilioSignature.Pairs(form));

    /// <summary>Field names are case-sensitive, as Twilio sends them; for a repeated field the first value wins.</summary>
    public static TwilioCallbackForm Parse(IEnumerable<KeyValuePair<string, string>> form)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in form) fields.TryAdd(key, value);

        string? Text(string name) => fields.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        int? Number(string name) => int.TryParse(Text(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

        var rawStatus = Text("CallStatus");
        return new TwilioCallbackForm
        {
            CallSid = Text("CallSid"),
            ParentCallSid = Text("ParentCallSid"),
            AccountSid = Text("AccountSid"),
            CallStatus = ParseStatus(rawStatus),
            RawCallStatus = rawStatus,
            From = Text("From"),
            To = Text("To"),
            Direction = Text("Direction"),
            CallDurationSeconds = Number("CallDuration"),
            SequenceNumber = Number("SequenceNumber"),
            Timestamp = ParseTimestamp(Text("Timestamp")),
            RecordingUrl = Text("RecordingUrl"),
            RecordingSid = Text("RecordingSid"),
            RecordingStatus = Text("RecordingStatus"),
            RecordingDurationSeconds = Number("RecordingDuration"),
            TranscriptionSid = Text("TranscriptionSid"),
            TranscriptionText = Text("TranscriptionText"),
            TranscriptionStatus = Text("TranscriptionStatus"),
            AnsweredBy = Text("AnsweredBy"),
        };
    }

    internal static TwilioCallStatus? ParseStatus(string? status) => status?.ToLowerInvariant() switch
    {
        "queued" => TwilioCallStatus.Queued,
        "initiated" => TwilioCallStatus.Initiated,
        "ringing" => TwilioCallStatus.Ringing,
        "in-progress" => TwilioCallStatus.InProgress,
        "completed" => TwilioCallStatus.Completed,
        "busy" => TwilioCallStatus.Busy,
        "no-answer" => TwilioCallStatus.NoAnswer,
        "failed" => TwilioCallStatus.Failed,
        "canceled" => TwilioCallStatus.Canceled,
        _ => null,
    };

    // Twilio sends RFC 1123 dates with a numeric zone ("Thu, 09 Nov 2023 17:05:04 +0000"); "GMT" is accepted too.
    private static readonly string[] TimestampFormats =
        ["ddd, dd MMM yyyy HH:mm:ss zzz", "ddd, d MMM yyyy HH:mm:ss zzz", "r", "ddd, d MMM yyyy HH:mm:ss 'GMT'"];

    internal static DateTimeOffset? ParseTimestamp(string? text)
    {
        if (text is null) return null;
        // .NET's "zzz" wants "+00:00"; RFC 1123/2822 writes "+0000".
        if (text.Length > 5 && text[^5] is '+' or '-' && text[^4..].All(char.IsAsciiDigit)) text = text[..^2] + ":" + text[^2..];
        return DateTimeOffset.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out var parsed) ? parsed.ToUniversalTime() : null;
    }
}
