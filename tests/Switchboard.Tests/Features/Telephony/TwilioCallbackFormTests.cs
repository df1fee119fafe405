using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Switchboard.Features.Telephony;
using Switchboard.Features.Telephony.Providers.Twilio;

namespace Switchboard.Tests.Features.Telephony;

public sealed class TwilioCallbackFormTests
{
    [Fact]
    public void A_completed_status_callback_is_read_field_by_field()
    {
        var form = TwilioCallbackForm.Parse(
        [
            new("CallSid", "CA0123456789abcdef0123456789abcdef"),
            new("AccountSid", "AC00000000000000000000000000000001"),
            new("CallStatus", "completed"),
            new("From", "+15005550006"),
            new("To", "+14155550100"),
            new("Direction", "outbound-api"),
            new("CallDuration", "37"),
            new("SequenceNumber", "3"),
            new("Timestamp", "Thu, 09 Nov 2023 17:05:04 +0000"),
            new("RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1"),
            new("RecordingSid", "RE0123456789abcdef0123456789abcdef"),
            new("RecordingDuration", "35"),
            new("AnsweredBy", "human"),
            new("SomeFieldTwilioAddsNextYear", "x"),
        ]);

        form.CallSid.ShouldBe("CA0123456789abcdef0123456789abcdef");
        form.AccountSid.ShouldBe("AC00000000000000000000000000000001");
        form.CallStatus.ShouldBe(TwilioCallStatus.Completed);
        form.IsFinal.ShouldBeTrue();
        form.From.ShouldBe("+15005550006");
        form.To.ShouldBe("+14155550100");
        form.Direction.ShouldBe("outbound-api");
        form.CallDurationSeconds.ShouldBe(37);
        form.SequenceNumber.ShouldBe(3);
        form.Timestamp.ShouldBe(new DateTimeOffset(2023, 11, 9, 17, 5, 4, TimeSpan.Zero));
        form.RecordingUrl.ShouldBe("https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1");
        form.RecordingSid.ShouldBe("RE0123456789abcdef0123456789abcdef");
        form.RecordingDurationSeconds.ShouldBe(35);
        form.AnsweredBy.ShouldBe("human");
    }

    [Theory]
    [InlineData("queued", TwilioCallStatus.Queued)]
    [InlineData("initiated", TwilioCallStatus.Initiated)]
    [InlineData("ringing", TwilioCallStatus.Ringing)]
    [InlineData("in-progress", TwilioCallStatus.InProgress)]
    [InlineData("completed", TwilioCallStatus.Completed)]
    [InlineData("busy", TwilioCallStatus.Busy)]
    [InlineData("no-answer", TwilioCallStatus.NoAnswer)]
    [InlineData("failed", TwilioCallStatus.Failed)]
    [InlineData("canceled", TwilioCallStatus.Canceled)]
    public void Every_twilio_call_status_is_recognised(string raw, TwilioCallStatus expected) =>
        TwilioCallbackForm.Parse([new("CallStatus", raw)]).CallStatus.ShouldBe(expected);

    [Fact]
    public void An_unknown_status_is_kept_raw_instead_of_failing()
    {
        var form = TwilioCallbackForm.Parse([new("CallStatus", "answered-by-robot")]);

        form.CallStatus.ShouldBeNull();
        form.RawCallStatus.ShouldBe("answered-by-robot");
        form.IsFinal.ShouldBeFalse();
    }

    [Fact]
    public void An_empty_form_parses_to_all_nulls()
    {
        var form = TwilioCallbackForm.Parse(Array.Empty<KeyValuePair<string, string>>());

        form.ShouldBe(new TwilioCallbackForm());
    }

    [Fact]
    public void Malformed_numbers_and_dates_become_null_without_losing_other_fields()
    {
        var form = TwilioCallbackForm.Parse(
        [
            new("CallSid", "CA1"), new("CallDuration", "abc"), new("SequenceNumber", ""), new("Timestamp", "yesterday-ish"),
        ]);

        form.CallSid.ShouldBe("CA1");
        form.CallDurationSeconds.ShouldBeNull();
        form.SequenceNumber.ShouldBeNull();
        form.Timestamp.ShouldBeNull();
    }

    [Theory]
    [InlineData("Thu, 09 Nov 2023 14:40:55 +0000", 14)]
    [InlineData("Thu, 09 Nov 2023 16:40:55 +0200", 14)]
    [InlineData("Thu, 09 Nov 2023 14:40:55 GMT", 14)]
    public void Rfc1123_timestamps_are_read_as_utc(string text, int utcHour)
    {
        var parsed = TwilioCallbackForm.Parse([new("Timestamp", text)]).Timestamp;

        parsed.ShouldBe(new DateTimeOffset(2023, 11, 9, utcHour, 40, 55, TimeSpan.Zero));
        parsed!.Value.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void A_voicemail_transcription_callback_is_read()
    {
        var form = TwilioCallbackForm.Parse(
        [
            new("CallSid", "CA1"), new("TranscriptionStatus", "completed"), new("TranscriptionText", "Hi, it's Ana — call me back & soon."),
            new("RecordingStatus", "completed"),
        ]);

        form.TranscriptionStatus.ShouldBe("completed");
        form.TranscriptionText.ShouldBe("Hi, it's Ana — call me back & soon.");
        form.RecordingStatus.ShouldBe("completed");
        form.CallStatus.ShouldBeNull();
    }

    [Fact]
    public void An_aspnet_form_collection_is_accepted()
    {
        var collection = new FormCollection(new Dictionary<string, StringValues>
        {
            ["CallSid"] = "CA1",
            ["CallStatus"] = "ringing",
            ["SequenceNumber"] = "1",
        });

        var form = TwilioCallbackForm.Parse(collection);

        form.CallStatus.ShouldBe(TwilioCallStatus.Ringing);
        form.SequenceNumber.ShouldBe(1);
    }
}
