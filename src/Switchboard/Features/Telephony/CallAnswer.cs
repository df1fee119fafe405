using Switchboard.Features.Calls;

namespace Switchboard.Features.Telephony;

/// <summary>
/// What to do with a call that waits for instructions (an inbound call, an answered agent leg), independent of
/// the provider: <see cref="ITelephonyProvider.Answer"/> writes it in the provider's language (TwiML or equivalent).
/// </summary>
public sealed class CallAnswer
{
    private readonly List<AnswerVerb> _verbs = [];

    public IReadOnlyList<AnswerVerb> Verbs => _verbs;

    public static CallAnswer Create() => new();

    public CallAnswer Say(string text) => Add(new AnswerVerb.Say(text));

    public CallAnswer Hangup() => Add(new AnswerVerb.Hangup());

    /// <summary>Connects the call to one or more targets; all ring at once and the first to answer wins.</summary>
    public CallAnswer Dial(DialOptions options, params IReadOnlyList<DialTarget> targets) => Add(new AnswerVerb.Dial(options, targets));

    /// <summary>Voicemail: records the caller, then requests <see cref="RecordOptions.Action"/> for what comes next.</summary>
    public CallAnswer Record(RecordOptions options) => Add(new AnswerVerb.Record(options));

    private CallAnswer Add(AnswerVerb verb)
    {
        _verbs.Add(verb);
        return this;
    }
}

public abstract record AnswerVerb
{
    public sealed record Say(string Text) : AnswerVerb;
    public sealed record Hangup : AnswerVerb;
    public sealed record Dial(DialOptions Options, IReadOnlyList<DialTarget> Targets) : AnswerVerb;
    public sealed record Record(RecordOptions Options) : AnswerVerb;
}

public enum DialTargetKind { Number, Client }

/// <summary>A phone number (E.164) or a client (browser/softphone identity) to connect the call to.</summary>
public sealed record DialTarget(DialTargetKind Kind, string Value)
{
    /// <summary>Where the dialed leg posts its status callbacks (initiated, ringing, answered, completed).</summary>
    public Uri? StatusCallback { get; init; }

    public static DialTarget Number(string e164) => new(DialTargetKind.Number, e164);
    public static DialTarget Client(string identity) => new(DialTargetKind.Client, identity);
}

public sealed record DialOptions
{
    public string? CallerId { get; init; }
    public int? TimeoutSeconds { get; init; }
    public bool RecordFromAnswer { get; init; }
    public Uri? Action { get; init; }
    public Uri? RecordingStatusCallback { get; init; }
}

public sealed record RecordOptions
{
    public int? MaxLengthSeconds { get; init; }
    public Uri? Action { get; init; }
    public bool PlayBeep { get; init; } = true;
    public bool Transcribe { get; init; }
    public Uri? TranscribeCallback { get; init; }
    public Uri? RecordingStatusCallback { get; init; }
}
