using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Switchboard.Tests.Features.Telephony;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Calls;

/// <summary>Click-to-call through the Twilio adapter, and the signed callbacks that follow the call.</summary>
public sealed class ClickToCallTests(CallingHost host) : IClassFixture<CallingHost>
{
    [Fact]
    public async Task Click_to_call_asks_Twilio_to_ring_the_agent_and_then_connect_the_lead()
    {
        var lead = await host.LeadAsync();

        var (callId, sid) = await host.PlaceCallAsync(lead);

        var request = host.Twilio.Received.Last(r => r.Method == "POST" && r.Path.EndsWith("/Calls.json"));
        request.Authorization.ShouldStartWith("Basic ");
        request.Values("To").ShouldBe(["+14155550101"]);
        request.Values("From").ShouldBe(["+12125550100"]);
        request.Values("Url").Single().ShouldEndWith($"/api/v1/telephony/twilio/{host.Tenant.Id}/connect?callId={callId}");
        request.Values("StatusCallback").Single().ShouldEndWith($"/api/v1/telephony/twilio/{host.Tenant.Id}/status");
        request.Values("StatusCallbackEvent").ShouldBe(["initiated", "ringing", "answered", "completed"], ignoreOrder: true);
        request.Values("Record").ShouldBe(["true"]);
        sid.ShouldStartWith("CA");
    }

    [Fact]
    public async Task The_connect_TwiML_dials_the_lead_with_the_tenants_caller_id_and_follows_the_leads_leg()
    {
        var (callId, sid) = await host.PlaceCallAsync(await host.LeadAsync(phone: "(212) 555-0151"));

        var response = await host.PostSignedAsync(host.Webhook("connect", $"callId={callId}"), CallingHost.Status(sid, "in-progress", 1));

        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/xml");
        var xml = await response.Content.ReadAsStringAsync();
        xml.ShouldContain("callerId=\"+12125550100\"");
        xml.ShouldContain($"statusCallback=\"{host.Webhook("status")}\"");
        xml.ShouldContain(">+12125550151</Number>");
    }

    [Fact]
    public async Task Lead_leg_callbacks_move_the_call_to_completed_with_answer_time_and_duration()
    {
        var (callId, sid) = await host.PlaceCallAsync(await host.LeadAsync());
        var agent = await host.As("agent");

        foreach (var (status, sequence) in new[] { ("initiated", 0), ("ringing", 1), ("in-progress", 2) })
            (await host.PostSignedAsync(host.Webhook("status"), CallingHost.Status("CAlead" + callId.ToString("N"), status, sequence, parent: sid))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await host.PostSignedAsync(host.Webhook("status"), CallingHost.Status("CAlead" + callId.ToString("N"), "completed", 3, parent: sid, duration: "42"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var call = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}");
        call.GetProperty("status").GetString().ShouldBe("completed");
        call.GetProperty("durationSeconds").GetInt32().ShouldBe(42);
        call.GetProperty("answeredAt").ValueKind.ShouldBe(JsonValueKind.String);
    }

    [Fact]
    public async Task A_late_ringing_callback_never_moves_a_completed_call_backwards()
    {
        var (callId, sid) = await host.PlaceCallAsync(await host.LeadAsync());
        var leg = "CAleg" + callId.ToString("N");

        await host.PostSignedAsync(host.Webhook("status"), CallingHost.Status(leg, "completed", 3, parent: sid, duration: "5"));
        var late = await host.PostSignedAsync(host.Webhook("status"), CallingHost.Status(leg, "ringing", 1, parent: sid));

        late.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var call = await (await host.As("agent")).GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}");
        call.GetProperty("status").GetString().ShouldBe("completed");
    }

    [Fact]
    public async Task A_retried_callback_is_stored_once_and_applied_once()
    {
        var (callId, sid) = await host.PlaceCallAsync(await host.LeadAsync());
        var form = CallingHost.Status("CAdup" + callId.ToString("N"), "in-progress", 2, parent: sid);

        for (var i = 0; i < 3; i++) (await host.PostSignedAsync(host.Webhook("status"), form)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await CountAsync($"select count(*) from call_events where call_id = '{callId}' and kind = 'status'")).ShouldBe(1);
        (await CountAsync($"select count(*) from audit_log where entity_type = 'call' and entity_id = '{callId}' and action = 'updated' and jsonb_exists(changes, 'status')")).ShouldBe(1);
    }

    [Fact]
    public async Task The_agents_own_ringing_does_not_count_as_the_lead_answering()
    {
        var (callId, sid) = await host.PlaceCallAsync(await host.LeadAsync());

        await host.PostSignedAsync(host.Webhook("status"), CallingHost.Status(sid, "in-progress", 1));

        var call = await (await host.As("agent")).GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}");
        call.GetProperty("status").GetString().ShouldBe("queued");
    }

    [Fact]
    public async Task A_callback_without_a_valid_signature_is_refused_and_audited()
    {
        var form = CallingHost.Status("CAforged", "completed", 1);

        var missing = await PostUnsignedAsync(host.Webhook("status"), form);
        var wrong = await host.PostSignedAsync(host.Webhook("status"), form, key: "not-the-auth-token");

        missing.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        wrong.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await CountAsync("select count(*) from audit_log where action = 'telephony.signature-rejected'")).ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task A_callback_for_an_unknown_tenant_or_an_unconfigured_provider_is_not_found()
    {
        var form = CallingHost.Status("CAx", "completed", 1);

        (await host.PostSignedAsync(host.Webhook("status", tenantId: Guid.NewGuid()), form)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await host.PostSignedAsync(host.Webhook("status", provider: "signalwire"), form)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Recording_and_transcription_callbacks_attach_to_the_call()
    {
        var (callId, sid) = await host.PlaceCallAsync(await host.LeadAsync());

        await host.PostSignedAsync(host.Webhook("recording"), new()
        {
            ["CallSid"] = "CAchild", ["ParentCallSid"] = sid, ["RecordingSid"] = "RE1" + callId.ToString("N"), ["RecordingStatus"] = "completed",
            ["RecordingUrl"] = "https://api.twilio.com/recordings/RE1", ["RecordingDuration"] = "31",
        });
        await host.PostSignedAsync(host.Webhook("transcription"), new()
        {
            ["CallSid"] = sid, ["TranscriptionSid"] = "TR1" + callId.ToString("N"), ["TranscriptionStatus"] = "completed", ["TranscriptionText"] = "Call me next week.",
        });

        var call = await (await host.As("agent")).GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}");
        call.GetProperty("recordingUrl").GetString().ShouldBe("https://api.twilio.com/recordings/RE1");
        call.GetProperty("recordingDuration").GetInt32().ShouldBe(31);
        call.GetProperty("transcript").GetString().ShouldBe("Call me next week.");
    }

    [Fact]
    public async Task A_provider_refusal_fails_the_call_with_the_providers_reason()
    {
        host.Twilio.Enqueue(new FakeTwilioServer.Status(400, 21211, "The 'To' number is not a valid phone number."));
        var agent = await host.As("agent");

        var response = await agent.PostAsJsonAsync("/api/v1/calls", new { leadId = await host.LeadAsync() });
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var call = await CallingHost.WaitForCallAsync(agent, id, c => c.GetProperty("status").GetString() == "failed");
        call.GetProperty("status").GetString().ShouldBe("failed");
        call.GetProperty("notes").GetString()!.ShouldContain("21211");
    }

    [Fact]
    public async Task Hanging_up_asks_Twilio_to_complete_the_parent_call()
    {
        var (callId, sid) = await host.PlaceCallAsync(await host.LeadAsync());
        host.Twilio.SeedCall(sid, "in-progress");

        var response = await (await host.As("agent")).PostAsync($"/api/v1/calls/{callId}/hangup", null);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var updates = await Eventually.Until(() => host.Twilio.Received.Where(r => r.Path.EndsWith($"/Calls/{sid}.json") && r.Method == "POST").ToList(),
            received => received.Count > 0, TimeSpan.FromSeconds(15), $"a POST to Twilio's /Calls/{sid}.json");
        var request = updates.Single();
        request.Values("Status").ShouldBe(["completed"]);
    }

    [Fact]
    public async Task An_agent_cannot_see_another_agents_call_and_readonly_cannot_call()
    {
        var (callId, _) = await host.PlaceCallAsync(await host.LeadAsync());
        var agent2 = await host.As("agent2");
        var viewer = await host.As("readonly");

        (await agent2.GetAsync($"/api/v1/calls/{callId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await viewer.PostAsJsonAsync("/api/v1/calls", new { leadId = await host.LeadAsync() })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await agent2.PostAsJsonAsync("/api/v1/calls", new { leadId = await host.LeadAsync() })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private async Task<HttpResponseMessage> PostUnsignedAsync(string url, Dictionary<string, string> form)
    {
        using var client = host.CreateClient();
        return await client.PostAsync(url, new FormUrlEncodedContent(form));
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(host.Database.SuperuserConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
