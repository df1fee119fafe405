using System.Xml;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Features.Telephony.Providers.Twilio;

/// <summary>
/// A small TwiML document builder for the verbs the dialer uses. Everything goes through XmlWriter, so
/// lead names, notes and URLs are escaped; characters XML 1.0 cannot carry (control characters, lone
/// surrogates from a bad import) are dropped rather than throwing, because a webhook that fails to answer
/// leaves a live caller hearing Twilio's error message. SignalWire's compatibility API reads the same XML.
/// </summary>
public sealed class TwiML
{
    public const string ContentType = "application/xml";

    private readonly List<Action<XmlWriter>> verbs = [];

    public static TwiML Response() => new();

    /// <summary>The provider-neutral answer as TwiML.</summary>
    public static TwiML Of(CallAnswer answer)
    {
        var twiml = new TwiML();
        foreach (var verb in answer.Verbs)
        {
            _ = verb switch
            {
                AnswerVerb.Say say => twiml.Say(say.Text),
                AnswerVerb.Hangup => twiml.Hangup(),
                AnswerVerb.Dial dial => twiml.Dial(dial.Options, dial.Targets),
                AnswerVerb.Record record => twiml.Record(record.Options),
                _ => throw new ArgumentOutOfRangeException(nameof(answer), verb, "TwiML has no verb for this answer."),
            };
        }
        return twiml;
    }

    public TwiML Say(string text, string? voice = null, string? language = null) => Add(w =>
    {
        w.WriteStartElement("Say");
        Attribute(w, "voice", voice);
        Attribute(w, "language", language);
        w.WriteString(Clean(text));
        w.WriteEndElement();
    });

    public TwiML Pause(int seconds = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seconds);
        return Add(w =>
        {
            w.WriteStartElement("Pause");
            Attribute(w, "length", seconds);
            w.WriteEndElement();
        });
    }

    public TwiML Hangup() => Add(w =>
    {
        w.WriteStartElement("Hangup");
        w.WriteEndElement();
    });

    /// <summary>Connects the call to one or more targets; all ring at once and the first to answer wins.</summary>
    public TwiML Dial(DialOptions options, params IReadOnlyList<DialTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (targets.Count == 0) throw new ArgumentException("Dial needs at least one number or client.", nameof(targets));
        return Add(w =>
        {
            w.WriteStartElement("Dial");
            Attribute(w, "callerId", options.CallerId);
            Attribute(w, "timeout", options.TimeoutSeconds);
            // record-from-answer: agents must not be recorded while a lead's phone is still ringing.
            Attribute(w, "record", options.RecordFromAnswer ? "record-from-answer" : null);
            Attribute(w, "action", options.Action);
            Attribute(w, "method", options.Action is null ? null : "POST");
            Attribute(w, "recordingStatusCallback", options.RecordingStatusCallback);
            foreach (var target in targets)
            {
                w.WriteStartElement(target.Kind == DialTargetKind.Number ? "Number" : "Client");
                if (target.StatusCallback is { } callback)
                {
                    // The dialed leg reports its own progress: this is how click-to-call follows the lead's phone.
                    Attribute(w, "statusCallbackEvent", "initiated ringing answered completed");
                    Attribute(w, "statusCallback", callback);
                    Attribute(w, "statusCallbackMethod", "POST");
                }
                w.WriteString(Clean(target.Value));
                w.WriteEndElement();
            }
            w.WriteEndElement();
        });
    }

    /// <summary>Voicemail: records the caller, then requests <see cref="RecordOptions.Action"/> for what comes next.</summary>
    public TwiML Record(RecordOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Add(w =>
        {
            w.WriteStartElement("Record");
            Attribute(w, "maxLength", options.MaxLengthSeconds);
            Attribute(w, "action", options.Action);
            Attribute(w, "method", options.Action is null ? null : "POST");
            Attribute(w, "playBeep", options.PlayBeep ? null : "false");
            // transcribeCallback only works with transcribe="true"; Twilio ignores it otherwise.
            Attribute(w, "transcribe", options.Transcribe || options.TranscribeCallback is not null ? "true" : null);
            Attribute(w, "transcribeCallback", options.TranscribeCallback);
            Attribute(w, "recordingStatusCallback", options.RecordingStatusCallback);
            Attribute(w, "recordingStatusCallbackMethod", options.RecordingStatusCallback is null ? null : "POST");
            w.WriteEndElement();
        });
    }

    /// <summary>The document, with an XML declaration that says UTF-8 (a StringWriter would claim UTF-16).</summary>
    public string ToXml()
    {
        using var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), Indent = false };
        using (var writer = XmlWriter.Create(buffer, settings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("Response");
            foreach (var verb in verbs) verb(writer);
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public override string ToString() => ToXml();

    /// <summary>The minimal-API result for a webhook answer.</summary>
    public IResult ToResult() => Results.Content(ToXml(), ContentType, Encoding.UTF8);

    private TwiML Add(Action<XmlWriter> verb)
    {
        verbs.Add(verb);
        return this;
    }

    private static void Attribute(XmlWriter w, string name, string? value)
    {
        if (value is not null) w.WriteAttributeString(name, Clean(value));
    }

    private static void Attribute(XmlWriter w, string name, int? value)
    {
        if (value is { } v) w.WriteAttributeString(name, v.ToString(CultureInfo.InvariantCulture));
    }

    private static void Attribute(XmlWriter w, string name, Uri? value) => Attribute(w, name, value?.AbsoluteUri);

    internal static string Clean(string text)
    {
        if (text.All(XmlConvert.IsXmlChar)) return text;
        var kept = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (XmlConvert.IsXmlChar(text[i])) kept.Append(text[i]);
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i])) kept.Append(text, i++, 2);
        }
        return kept.ToString();
    }
}
