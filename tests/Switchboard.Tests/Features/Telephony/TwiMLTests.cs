using System.Xml.Linq;
using Switchboard.Features.Telephony;
using Switchboard.Features.Telephony.Providers.Twilio;

namespace Switchboard.Tests.Features.Telephony;

public sealed class TwiMLTests
{
    [Fact]
    public void A_name_with_markup_characters_is_escaped_in_say()
    {
        var xml = TwiML.Response().Say("Connecting you to <Tom & Jerry's> \"Co\"").ToXml();

        xml.ShouldContain("<Say>Connecting you to &lt;Tom &amp; Jerry's&gt; \"Co\"</Say>");
        XDocument.Parse(xml).Root!.Element("Say")!.Value.ShouldBe("Connecting you to <Tom & Jerry's> \"Co\"");
    }

    [Fact]
    public void Markup_in_a_say_cannot_inject_verbs()
    {
        var xml = TwiML.Response().Say("</Say><Dial><Number>+19005550100</Number></Dial><Say>").ToXml();

        var root = XDocument.Parse(xml).Root!;
        root.Elements().Select(e => e.Name.LocalName).ShouldBe(["Say"]);
    }

    [Fact]
    public void An_empty_response_is_a_utf8_document_with_an_empty_response_element() =>
        TwiML.Response().ToXml().ShouldBe("""<?xml version="1.0" encoding="utf-8"?><Response />""");

    [Fact]
    public void Dial_writes_caller_id_timeout_recording_action_and_its_targets_in_order()
    {
        var xml = TwiML.Response()
            .Dial(
                new DialOptions
                {
                    CallerId = "+15005550006",
                    TimeoutSeconds = 20,
                    RecordFromAnswer = true,
                    Action = new Uri("https://crm.example.com/hooks/twilio/dial-done?call=42&t=a b"),
                    RecordingStatusCallback = new Uri("https://crm.example.com/hooks/twilio/recording"),
                },
                DialTarget.Number("+14155550100"),
                DialTarget.Client("agent-7"))
            .ToXml();

        var dial = XDocument.Parse(xml).Root!.Element("Dial")!;
        dial.Attribute("callerId")!.Value.ShouldBe("+15005550006");
        dial.Attribute("timeout")!.Value.ShouldBe("20");
        dial.Attribute("record")!.Value.ShouldBe("record-from-answer");
        dial.Attribute("action")!.Value.ShouldBe("https://crm.example.com/hooks/twilio/dial-done?call=42&t=a%20b");
        dial.Attribute("method")!.Value.ShouldBe("POST");
        dial.Attribute("recordingStatusCallback")!.Value.ShouldBe("https://crm.example.com/hooks/twilio/recording");
        dial.Elements().Select(e => (e.Name.LocalName, e.Value)).ShouldBe([("Number", "+14155550100"), ("Client", "agent-7")]);
        xml.ShouldContain("call=42&amp;t=a%20b"); // the query's & is escaped in the attribute
    }

    [Fact]
    public void Dial_without_options_writes_no_attributes()
    {
        var dial = XDocument.Parse(TwiML.Response().Dial(new DialOptions(), DialTarget.Number("+14155550100")).ToXml()).Root!.Element("Dial")!;
        dial.Attributes().ShouldBeEmpty();
    }

    [Fact]
    public void Dial_needs_a_target() =>
        Should.Throw<ArgumentException>(() => TwiML.Response().Dial(new DialOptions()));

    [Fact]
    public void Voicemail_record_writes_its_limits_and_callbacks()
    {
        var xml = TwiML.Response()
            .Say("Please leave a message.")
            .Record(new RecordOptions
            {
                MaxLengthSeconds = 120,
                Action = new Uri("https://crm.example.com/hooks/twilio/voicemail-done"),
                TranscribeCallback = new Uri("https://crm.example.com/hooks/twilio/transcription"),
                RecordingStatusCallback = new Uri("https://crm.example.com/hooks/twilio/recording"),
            })
            .Hangup()
            .ToXml();

        var root = XDocument.Parse(xml).Root!;
        root.Elements().Select(e => e.Name.LocalName).ShouldBe(["Say", "Record", "Hangup"]);
        var record = root.Element("Record")!;
        record.Attribute("maxLength")!.Value.ShouldBe("120");
        record.Attribute("action")!.Value.ShouldBe("https://crm.example.com/hooks/twilio/voicemail-done");
        record.Attribute("transcribe")!.Value.ShouldBe("true"); // a transcribeCallback is useless without it
        record.Attribute("transcribeCallback")!.Value.ShouldBe("https://crm.example.com/hooks/twilio/transcription");
        record.Attribute("recordingStatusCallback")!.Value.ShouldBe("https://crm.example.com/hooks/twilio/recording");
        record.Attribute("playBeep").ShouldBeNull();
    }

    [Fact]
    public void Pause_and_hangup_are_empty_elements()
    {
        var root = XDocument.Parse(TwiML.Response().Pause(2).Hangup().ToXml()).Root!;
        root.Element("Pause")!.Attribute("length")!.Value.ShouldBe("2");
        root.Element("Hangup")!.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Characters_xml_cannot_carry_are_dropped_instead_of_failing_the_webhook()
    {
        var xml = TwiML.Response().Say("Ann\u0001e \ud800Smith 😀").ToXml();

        XDocument.Parse(xml).Root!.Element("Say")!.Value.ShouldBe("Anne Smith 😀");
    }

    [Fact]
    public void The_content_type_is_application_xml() => TwiML.ContentType.ShouldBe("application/xml");

    [Fact]
    public void A_provider_neutral_answer_is_written_as_the_TwiML_of_the_same_verbs()
    {
        var dial = new DialOptions { CallerId = "+12125550100", TimeoutSeconds = 25, RecordFromAnswer = true };
        var record = new RecordOptions { MaxLengthSeconds = 120, Transcribe = true };
        var answer = CallAnswer.Create().Say("Hello").Dial(dial, DialTarget.Number("+14155550100")).Record(record).Hangup();

        TwiML.Of(answer).ToXml().ShouldBe(TwiML.Response().Say("Hello").Dial(dial, DialTarget.Number("+14155550100")).Record(record).Hangup().ToXml());
    }
}
