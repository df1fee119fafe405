using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Switchboard.Tests.Features.Telephony;

namespace Switchboard.Tests.Features.Calls;

/// <summary>Compliance at dial time, dispositions and their effects, the DNC list, inbound calls, provider settings.</summary>
public sealed class CallRulesTests(CallingHost host) : IClassFixture<CallingHost>
{
    private async Task<HttpResponseMessage> DialAsync(Guid lead, string role = "agent") =>
        await (await host.As(role)).PostAsJsonAsync("/api/v1/calls", new { leadId = lead });

    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task A_number_on_the_DNC_list_is_blocked_with_reason_dnc_and_the_block_is_audited()
    {
        var manager = await host.As("manager");
        (await manager.PostAsJsonAsync("/api/v1/dnc", new { phone = "(212) 555-0160", reason = "Asked not to be called" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var lead = await host.LeadAsync(phone: "212.555.0160");

        var response = await DialAsync(lead);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await Json(response)).GetProperty("reason").GetString().ShouldBe("dnc");
        var audit = await (await host.As("admin")).GetFromJsonAsync<JsonElement>($"/api/v1/audit?entity=lead&entityId={lead}&action=call.blocked");
        audit.GetProperty("total").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task A_do_not_call_CSV_is_imported_whatever_its_delimiter_and_encoding_with_bad_rows_reported()
    {
        var manager = await host.As("manager");
        (await manager.PostAsJsonAsync("/api/v1/dnc", new { phone = "(212) 555-0170" })).EnsureSuccessStatusCode();
        // Windows-1252 (as Excel saves "CSV" on Western Windows), semicolons, a quoted reason holding the delimiter,
        // a number already listed, one that is not a number, and a quote never closed at the end.
        var text = "Phone;Reason\r\n(212) 555-0171;\"Café owner; asked twice\"\r\n212-555-0170;again\r\nnot a number;x\r\n\"(212) 555-0172;broken\r\n";
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(System.Text.CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes(text));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "dnc.csv");

        var response = await manager.PostAsync("/api/v1/dnc/import", form);
        var result = await Json(response);
        var listed = await manager.GetFromJsonAsync<JsonElement>("/api/v1/dnc?search=2125550171");
        var agentTry = await (await host.As("agent")).PostAsync("/api/v1/dnc/import", new MultipartFormDataContent { { new ByteArrayContent("phone\n2125550173\n"u8.ToArray()), "file", "dnc.csv" } });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (result.GetProperty("added").GetInt32(), result.GetProperty("alreadyListed").GetInt32()).ShouldBe((1, 1));
        result.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("row").GetInt32()).ShouldBe([4, 5]);
        result.GetProperty("errors")[1].GetProperty("reason").GetString()!.ShouldContain("never closed");
        listed.GetProperty("items")[0].GetProperty("reason").GetString().ShouldBe("Café owner; asked twice");
        agentTry.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_lead_flagged_do_not_call_is_blocked()
    {
        var lead = await host.LeadAsync(phone: "(212) 555-0161", extra: new { doNotCall = true });

        var response = await DialAsync(lead);

        (await Json(response)).GetProperty("reason").GetString().ShouldBe("dnc");
    }

    [Fact]
    public async Task Dialing_outside_the_tenants_calling_hours_is_blocked_with_reason_calling_hours()
    {
        var admin = await host.As("admin");
        var closed = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" }.ToDictionary(d => d, _ => (object?)null);
        (await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { callingHours = closed })).EnsureSuccessStatusCode();
        try
        {
            var response = await DialAsync(await host.LeadAsync(phone: "(212) 555-0162"));

            response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            var problem = await Json(response);
            problem.GetProperty("reason").GetString().ShouldBe("calling-hours");
            problem.GetProperty("detail").GetString()!.ShouldContain("America/New_York");
        }
        finally
        {
            (await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { callingHours = CallingHost.AllDay() })).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task Attempts_beyond_the_daily_maximum_are_blocked_with_reason_max_attempts()
    {
        var admin = await host.As("admin");
        (await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { maxAttemptsPerDay = 2 })).EnsureSuccessStatusCode();
        try
        {
            var lead = await host.LeadAsync(phone: "(212) 555-0163");
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 3; i++) statuses.Add((await DialAsync(lead)).StatusCode);

            statuses.ShouldBe([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Conflict]);
            (await Json(await DialAsync(lead))).GetProperty("reason").GetString().ShouldBe("max-attempts");
        }
        finally
        {
            (await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { maxAttemptsPerDay = 50 })).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task Changing_one_calling_setting_audits_only_that_one()
    {
        var admin = await host.As("admin");
        (await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { callScript = "Hello from Acme" })).EnsureSuccessStatusCode();

        (await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { callScript = "Hello again from Acme" })).EnsureSuccessStatusCode();

        await using var conn = new NpgsqlConnection(host.Database.SuperuserConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            select string_agg(k, ',' order by k) from (
              select jsonb_object_keys(changes) k from audit_log where tenant_id = $1 and changes #>> '{callScript,new}' = 'Hello again from Acme') keys
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = host.Tenant.Id });
        (await cmd.ExecuteScalarAsync()).ShouldBe("callScript"); // not callingHours, whose stored JSON merely comes back with its keys reordered
    }

    [Fact]
    public async Task Calling_settings_reject_a_window_that_ends_before_it_starts()
    {
        var admin = await host.As("admin");
        var hours = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" }
            .ToDictionary(d => d, d => (object?)(d == "monday" ? new { start = "18:00", end = "09:00" } : null));

        var response = await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { callingHours = hours });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Json(response)).GetProperty("errors").TryGetProperty("callingHours.monday", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task A_disposition_moves_the_lead_and_do_not_call_lists_the_number()
    {
        var lead = await host.LeadAsync(phone: "(212) 555-0164");
        var callId = await CompletedCallAsync(lead);
        var agent = await host.As("agent");

        var response = await agent.PostAsJsonAsync($"/api/v1/calls/{callId}/disposition", new { disposition = "do-not-call", notes = "Hostile" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var leadNow = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{lead}");
        leadNow.GetProperty("status").GetString().ShouldBe("unqualified");
        leadNow.GetProperty("doNotCall").GetBoolean().ShouldBeTrue();
        var dnc = await agent.GetFromJsonAsync<JsonElement>("/api/v1/dnc?search=2125550164");
        dnc.GetProperty("total").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task A_callback_disposition_schedules_the_lead_and_a_first_connect_makes_it_contacted()
    {
        var lead = await host.LeadAsync(phone: "(212) 555-0165");
        var callId = await CompletedCallAsync(lead);
        var agent = await host.As("agent");
        var when = DateTimeOffset.UtcNow.AddDays(2);

        await agent.PostAsJsonAsync($"/api/v1/calls/{callId}/disposition", new { disposition = "callback", callbackAt = when });

        var leadNow = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{lead}");
        leadNow.GetProperty("status").GetString().ShouldBe("contacted");
        leadNow.GetProperty("callbackAt").GetDateTimeOffset().ShouldBe(when, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_disposition_must_be_one_of_the_tenants_and_the_call_must_have_ended()
    {
        var agent = await host.As("agent");
        var live = (await Json(await DialAsync(await host.LeadAsync(phone: "(212) 555-0166")))).GetProperty("id").GetGuid();
        var ended = await CompletedCallAsync(await host.LeadAsync(phone: "(212) 555-0167"));

        (await agent.PostAsJsonAsync($"/api/v1/calls/{ended}/disposition", new { disposition = "maybe" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await agent.PostAsJsonAsync($"/api/v1/calls/{live}/disposition", new { disposition = "interested" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_admin_adds_a_disposition_that_agents_can_use_and_retires_it()
    {
        var admin = await host.As("admin");
        var created = await admin.PutAsJsonAsync("/api/v1/dispositions/demo-booked", new { label = "Demo booked", leadStatus = "qualified", isConnect = true });
        created.StatusCode.ShouldBe(HttpStatusCode.OK);
        var lead = await host.LeadAsync(phone: "(212) 555-0168");
        var agent = await host.As("agent");

        var used = await agent.PostAsJsonAsync($"/api/v1/calls/{await CompletedCallAsync(lead)}/disposition", new { disposition = "demo-booked" });
        (await admin.PutAsJsonAsync("/api/v1/dispositions/demo-booked", new { isActive = false })).EnsureSuccessStatusCode();
        var retired = await agent.PostAsJsonAsync($"/api/v1/calls/{await CompletedCallAsync(await host.LeadAsync(phone: "(212) 555-0169"))}/disposition", new { disposition = "demo-booked" });

        used.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await agent.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{lead}")).GetProperty("status").GetString().ShouldBe("qualified");
        retired.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await agent.PutAsJsonAsync("/api/v1/dispositions/sneaky", new { label = "Sneaky" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.PutAsJsonAsync("/api/v1/dispositions/Bad Code", new { label = "x" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_unknown_caller_becomes_a_new_inbound_lead_and_gets_voicemail_when_no_agent_is_free()
    {
        foreach (var role in new[] { "agent", "agent2", "manager" })
            (await (await host.As(role)).PutAsJsonAsync("/api/v1/presence/me", new { state = "away" })).EnsureSuccessStatusCode();
        var sid = "CAin" + Guid.NewGuid().ToString("N");
        var form = new Dictionary<string, string> { ["CallSid"] = sid, ["From"] = "+13125550170", ["To"] = "+12125550100", ["CallStatus"] = "ringing", ["Direction"] = "inbound" };

        var first = await host.PostSignedAsync(host.Webhook("inbound"), form);
        var retry = await host.PostSignedAsync(host.Webhook("inbound"), form);

        (await first.Content.ReadAsStringAsync()).ShouldContain("<Record");
        retry.StatusCode.ShouldBe(HttpStatusCode.OK);
        var manager = await host.As("manager");
        var leads = await manager.GetFromJsonAsync<JsonElement>("/api/v1/leads?search=3125550170");
        leads.GetProperty("total").GetInt32().ShouldBe(1);
        var lead = leads.GetProperty("items")[0];
        lead.GetProperty("source").GetString().ShouldBe("inbound-call");
        var calls = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/calls?leadId={lead.GetProperty("id").GetGuid()}");
        calls.GetProperty("total").GetInt32().ShouldBe(1);
        calls.GetProperty("items")[0].GetProperty("direction").GetString().ShouldBe("inbound");
    }

    [Fact]
    public async Task An_inbound_call_rings_every_available_agent_at_once()
    {
        await (await host.As("agent")).PutAsJsonAsync("/api/v1/presence/me", new { state = "available" });
        await (await host.As("agent2")).PutAsJsonAsync("/api/v1/presence/me", new { state = "available" });
        await (await host.As("manager")).PutAsJsonAsync("/api/v1/presence/me", new { state = "away" });

        var response = await host.PostSignedAsync(host.Webhook("inbound"), new() { ["CallSid"] = "CAring" + Guid.NewGuid().ToString("N"), ["From"] = "+13125550172", ["To"] = "+12125550100" });

        var xml = await response.Content.ReadAsStringAsync();
        xml.ShouldContain(">+14155550101</Number>");
        xml.ShouldContain(">+14155550102</Number>");
        xml.ShouldNotContain("+14155550103");
    }

    [Fact]
    public async Task The_agent_who_answers_an_inbound_call_becomes_its_agent_goes_on_call_and_then_to_wrap_up()
    {
        foreach (var role in new[] { "agent", "agent2" })
            (await (await host.As(role)).PutAsJsonAsync("/api/v1/presence/me", new { state = "available" })).EnsureSuccessStatusCode();
        var sid = "CAin" + Guid.NewGuid().ToString("N");
        var response = await host.PostSignedAsync(host.Webhook("inbound"), new() { ["CallSid"] = sid, ["From"] = "+13125550173", ["To"] = "+12125550100" });

        // Each agent's phone is a <Number> whose progress comes back to the status webhook, naming the agent.
        var numbers = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync()).Descendants("Number")
            .ToDictionary(n => n.Value, n => n.Attribute("statusCallback")!.Value);
        var agentLeg = numbers["+14155550101"];
        var agent2Leg = numbers["+14155550102"];
        agentLeg.ShouldEndWith($"agent={host.Tenant.Users["agent"]}");
        Dictionary<string, string> Leg(string leg, string status) =>
            new() { ["CallSid"] = leg, ["ParentCallSid"] = sid, ["AccountSid"] = FakeTwilioServer.AccountSid, ["CallStatus"] = status };

        (await host.PostSignedAsync(agent2Leg, Leg("CAleg2" + sid, "ringing"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await host.PostSignedAsync(agentLeg, Leg("CAleg1" + sid, "in-progress"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await host.PostSignedAsync(agent2Leg, Leg("CAleg2" + sid, "canceled"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await host.PostSignedAsync(host.Webhook("status"), new() { ["CallSid"] = sid, ["AccountSid"] = FakeTwilioServer.AccountSid, ["CallStatus"] = "in-progress" });

        var manager = await host.As("manager");
        async Task<string> StateOf(string role) => (await manager.GetFromJsonAsync<JsonElement>("/api/v1/presence")).EnumerateArray()
            .Single(p => p.GetProperty("userId").GetGuid() == host.Tenant.Users[role]).GetProperty("state").GetString()!;
        var call = (await manager.GetFromJsonAsync<JsonElement>($"/api/v1/calls?direction=inbound&pageSize=100")).GetProperty("items").EnumerateArray()
            .Single(c => c.GetProperty("providerCallId").GetString() == sid);
        call.GetProperty("agentId").GetGuid().ShouldBe(host.Tenant.Users["agent"]);
        call.GetProperty("status").GetString().ShouldBe("in-progress"); // the caller's leg drives the call, not the agents' legs
        (await StateOf("agent")).ShouldBe("on-call");
        (await StateOf("agent2")).ShouldBe("available");

        (await host.PostSignedAsync(agentLeg, Leg("CAleg1" + sid, "completed"))).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await StateOf("agent")).ShouldBe("wrap-up");
    }

    [Fact]
    public async Task A_known_caller_is_linked_to_their_lead()
    {
        var lead = await host.LeadAsync(phone: "(212) 555-0171");

        await host.PostSignedAsync(host.Webhook("inbound"), new() { ["CallSid"] = "CAknown" + lead.ToString("N"), ["From"] = "+12125550171", ["To"] = "+12125550100" });

        var calls = await (await host.As("manager")).GetFromJsonAsync<JsonElement>($"/api/v1/calls?leadId={lead}&direction=inbound");
        calls.GetProperty("total").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Provider_secrets_are_never_returned_and_are_encrypted_at_rest()
    {
        var admin = await host.As("admin");

        var view = await admin.GetStringAsync("/api/v1/telephony/providers/twilio");

        view.ShouldNotContain(FakeTwilioServer.AuthToken);
        JsonDocument.Parse(view).RootElement.GetProperty("secrets").GetProperty("authToken").GetString().ShouldBe("set");
        await using var conn = new NpgsqlConnection(host.Database.SuperuserConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select secrets from telephony_providers where provider = 'twilio'", conn);
        var stored = (string)(await cmd.ExecuteScalarAsync())!;
        stored.ShouldNotContain(FakeTwilioServer.AuthToken);
    }

    [Fact]
    public async Task Only_admins_manage_providers_and_activation_needs_the_secrets()
    {
        (await (await host.As("manager")).GetAsync("/api/v1/telephony/providers")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var response = await (await host.As("admin")).PutAsJsonAsync("/api/v1/telephony/providers/signalwire", new { projectId = "p1", active = true });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await Json(response)).GetProperty("errors");
        errors.TryGetProperty("apiToken", out _).ShouldBeTrue();
        errors.TryGetProperty("spaceUrl", out _).ShouldBeTrue();
    }

    /// <summary>Places a call and drives its lead leg to completed with signed callbacks.</summary>
    private async Task<Guid> CompletedCallAsync(Guid lead)
    {
        var agent = await host.As("agent");
        var id = (await Json(await DialAsync(lead))).GetProperty("id").GetGuid();
        var call = await CallingHost.WaitForCallAsync(agent, id, c => c.GetProperty("providerCallId").ValueKind == JsonValueKind.String);
        var parent = call.GetProperty("providerCallId").GetString()!;
        var leg = "CAleg" + id.ToString("N");
        await host.PostSignedAsync(host.Webhook("status"), new() { ["CallSid"] = leg, ["ParentCallSid"] = parent, ["CallStatus"] = "in-progress", ["SequenceNumber"] = "2" });
        await host.PostSignedAsync(host.Webhook("status"), new() { ["CallSid"] = leg, ["ParentCallSid"] = parent, ["CallStatus"] = "completed", ["SequenceNumber"] = "3", ["CallDuration"] = "30" });
        return id;
    }
}
