using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Tests.Features.Telephony;

namespace Switchboard.Tests.Features.Calls;

/// <summary>
/// Callbacks of one click-to-call that race each other, as providers send them: the two legs end within a
/// fraction of a second, and the recording and the transcript arrive together. Whatever the order, the call ends
/// with what happened to the lead, and no callback is answered with a 5xx (which a provider would only retry).
/// </summary>
public sealed class CallbackRaceTests(CallingHost host) : IClassFixture<CallingHost>
{
    public enum Order { LeadLegFirst, AgentLegFirst, Together }

    [Theory]
    [InlineData("no-answer", Order.LeadLegFirst)]
    [InlineData("no-answer", Order.AgentLegFirst)]
    [InlineData("no-answer", Order.Together)]
    [InlineData("busy", Order.LeadLegFirst)]
    [InlineData("busy", Order.AgentLegFirst)]
    [InlineData("busy", Order.Together)]
    [InlineData("failed", Order.LeadLegFirst)]
    [InlineData("failed", Order.AgentLegFirst)]
    [InlineData("failed", Order.Together)]
    [InlineData("canceled", Order.AgentLegFirst)]
    public async Task The_lead_legs_end_is_the_calls_status_whether_it_comes_before_or_after_the_agent_legs_end(string leadEnd, Order order)
    {
        var (callId, sid, leadLeg) = await RingingCallAsync();
        var lead = CallingHost.Status(leadLeg, leadEnd, 2, parent: sid, duration: "0");
        var agent = CallingHost.Status(sid, "completed", 2, duration: "0");

        var codes = await SendAsync(order, lead, agent);

        codes.ShouldAllBe(code => code == HttpStatusCode.NoContent);
        var call = await CallAsync(callId);
        call.GetProperty("status").GetString().ShouldBe(leadEnd);
        call.GetProperty("answeredAt").ValueKind.ShouldBe(JsonValueKind.Null);
        call.GetProperty("durationSeconds").GetInt32().ShouldBe(0);
    }

    [Theory]
    [InlineData(Order.LeadLegFirst)]
    [InlineData(Order.AgentLegFirst)]
    [InlineData(Order.Together)]
    public async Task An_answered_call_whose_in_progress_was_overtaken_ends_completed_whichever_leg_reports_first(Order order)
    {
        var (callId, sid, leadLeg) = await RingingCallAsync();
        var lead = CallingHost.Status(leadLeg, "completed", 3, parent: sid, duration: "17");
        var agent = CallingHost.Status(sid, "completed", 2, duration: "18");

        var codes = await SendAsync(order, lead, agent);
        // The lead's "in-progress", overtaken by both ends, comes last and changes nothing.
        codes.Add((await host.PostSignedAsync(host.Webhook("status"), CallingHost.Status(leadLeg, "in-progress", 2, parent: sid))).StatusCode);

        codes.ShouldAllBe(code => code == HttpStatusCode.NoContent);
        var call = await CallAsync(callId);
        call.GetProperty("status").GetString().ShouldBe("completed");
        call.GetProperty("durationSeconds").GetInt32().ShouldBe(17);
        call.GetProperty("answeredAt").ValueKind.ShouldBe(JsonValueKind.String);
    }

    [Fact]
    public async Task The_agent_legs_end_before_the_lead_is_dialed_cancels_the_call_and_a_late_agent_callback_changes_nothing()
    {
        var (callId, sid) = await host.PlaceCallAsync(await host.LeadAsync());

        (await host.PostSignedAsync(host.Webhook("status"), CallingHost.Status(sid, "no-answer", 1))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await host.PostSignedAsync(host.Webhook("status"), CallingHost.Status(sid, "completed", 2))).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await CallAsync(callId)).GetProperty("status").GetString().ShouldBe("canceled");
    }

    [Fact]
    public async Task Recording_and_transcription_callbacks_fired_together_are_all_answered_204_and_both_land()
    {
        var (callId, sid, leadLeg) = await RingingCallAsync();

        for (var round = 0; round < 25; round++)
        {
            var codes = await Task.WhenAll(
                host.PostSignedAsync(host.Webhook("recording"), Recording(leadLeg, sid, $"RE{round}{callId:N}")),
                host.PostSignedAsync(host.Webhook("transcription"), Transcription(leadLeg, sid, $"TR{round}{callId:N}", $"Round {round}.")));

            codes.Select(r => r.StatusCode).ShouldAllBe(code => code == HttpStatusCode.NoContent, $"round {round}");
            var call = await CallAsync(callId);
            call.GetProperty("recordingUrl").GetString().ShouldBe($"https://api.twilio.com/recordings/RE{round}{callId:N}");
            call.GetProperty("transcript").GetString().ShouldBe($"Round {round}.");
        }
    }

    [Fact]
    public async Task The_end_of_call_burst_of_both_legs_recording_and_transcription_is_answered_204_and_all_of_it_lands()
    {
        for (var round = 0; round < 8; round++)
        {
            var (callId, sid, leadLeg) = await RingingCallAsync();

            var codes = await Task.WhenAll(
                host.PostSignedAsync(host.Webhook("status"), CallingHost.Status(leadLeg, "completed", 3, parent: sid, duration: "30")),
                host.PostSignedAsync(host.Webhook("status"), CallingHost.Status(sid, "completed", 2, duration: "31")),
                host.PostSignedAsync(host.Webhook("recording"), Recording(leadLeg, sid, $"RE{callId:N}")),
                host.PostSignedAsync(host.Webhook("transcription"), Transcription(leadLeg, sid, $"TR{callId:N}", "Call me next week.")));

            codes.Select(r => r.StatusCode).ShouldAllBe(code => code == HttpStatusCode.NoContent, $"round {round}");
            var call = await CallAsync(callId);
            call.GetProperty("status").GetString().ShouldBe("completed");
            call.GetProperty("durationSeconds").GetInt32().ShouldBe(30);
            call.GetProperty("recordingUrl").GetString().ShouldBe($"https://api.twilio.com/recordings/RE{callId:N}");
            call.GetProperty("transcript").GetString().ShouldBe("Call me next week.");
        }
    }

    [Fact]
    public async Task An_inbound_call_webhook_the_provider_repeats_while_the_first_is_in_flight_logs_one_call_and_answers_each_alike()
    {
        for (var round = 0; round < 10; round++)
        {
            var sid = $"CAinrace{round}" + Guid.NewGuid().ToString("N");
            var form = new Dictionary<string, string> { ["CallSid"] = sid, ["AccountSid"] = FakeTwilioServer.AccountSid, ["From"] = $"+1312555{round:D4}", ["To"] = "+12125550100" };

            var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => host.PostSignedAsync(host.Webhook("inbound"), form)));

            responses.Select(r => r.StatusCode).ShouldAllBe(code => code == HttpStatusCode.OK, $"round {round}");
            (await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()))).Distinct().Count().ShouldBe(1);
            var calls = (await (await host.As("manager")).GetFromJsonAsync<JsonElement>("/api/v1/calls?direction=inbound&pageSize=200")).GetProperty("items")
                .EnumerateArray().Count(c => c.GetProperty("providerCallId").GetString() == sid);
            calls.ShouldBe(1);
        }
    }

    /// <summary>A placed call whose agent answered and whose lead's phone is ringing.</summary>
    private async Task<(Guid CallId, string Sid, string LeadLeg)> RingingCallAsync()
    {
        var (callId, sid) = await host.PlaceCallAsync(await host.LeadAsync());
        var leadLeg = "CAlead" + callId.ToString("N");
        foreach (var form in new[]
                 {
                     CallingHost.Status(sid, "initiated", 0), CallingHost.Status(sid, "in-progress", 1),
                     CallingHost.Status(leadLeg, "initiated", 0, parent: sid), CallingHost.Status(leadLeg, "ringing", 1, parent: sid),
                 })
            (await host.PostSignedAsync(host.Webhook("status"), form)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await CallAsync(callId)).GetProperty("status").GetString().ShouldBe("ringing");
        return (callId, sid, leadLeg);
    }

    private async Task<List<HttpStatusCode>> SendAsync(Order order, Dictionary<string, string> leadLeg, Dictionary<string, string> agentLeg)
    {
        async Task<HttpStatusCode> Post(Dictionary<string, string> form) => (await host.PostSignedAsync(host.Webhook("status"), form)).StatusCode;
        return order switch
        {
            Order.LeadLegFirst => [await Post(leadLeg), await Post(agentLeg)],
            Order.AgentLegFirst => [await Post(agentLeg), await Post(leadLeg)],
            _ => [.. await Task.WhenAll(Post(leadLeg), Post(agentLeg))],
        };
    }

    private async Task<JsonElement> CallAsync(Guid callId) => await (await host.As("agent")).GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}");

    private static Dictionary<string, string> Recording(string leg, string parent, string recordingSid) => new()
    {
        ["CallSid"] = leg, ["ParentCallSid"] = parent, ["RecordingSid"] = recordingSid, ["RecordingStatus"] = "completed",
        ["RecordingUrl"] = $"https://api.twilio.com/recordings/{recordingSid}", ["RecordingDuration"] = "30",
    };

    private static Dictionary<string, string> Transcription(string leg, string parent, string transcriptionSid, string text) => new()
    {
        ["CallSid"] = leg, ["ParentCallSid"] = parent, ["TranscriptionSid"] = transcriptionSid, ["TranscriptionStatus"] = "completed", ["TranscriptionText"] = text,
    };
}
