using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Features.Ai.VoiceAgents;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Ai;

/// <summary>
/// An AI voice-agent provider reports its agent's finished call with a signed webhook: a good signature lands the call
/// on the lead whose number it was, with its transcript analysed; a bad or missing signature, or a stale timestamp, lands
/// nothing; the same report twice lands one call.
/// </summary>
public sealed class VoiceAgentWebhookTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>, IAsyncLifetime
{
    private const string Secret = "cf-signing-secret-0123456789";

    public async Task InitializeAsync()
    {
        var admin = await host.As("admin");
        (await admin.PutAsJsonAsync("/api/v1/ai/voice-agents/callfluent", new { signingSecret = Secret, active = true })).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_signed_report_lands_the_call_on_the_lead_with_that_number_and_analyses_its_transcript()
    {
        var lead = await LeadAsync("(415) 555-0142");
        var report = Report(to: "+14155550142");

        var response = await PostAsync(report);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var receipt = await response.Content.ReadFromJsonAsync<JsonElement>();
        receipt.GetProperty("duplicate").GetBoolean().ShouldBeFalse();
        var callId = receipt.GetProperty("callId").GetGuid();
        var manager = await host.As("manager");
        var call = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}");
        call.GetProperty("leadId").GetGuid().ShouldBe(lead);
        call.GetProperty("provider").GetString().ShouldBe("callfluent");
        call.GetProperty("status").GetString().ShouldBe("completed");
        call.GetProperty("durationSeconds").GetInt32().ShouldBe(95);
        var analysis = await Eventually.Until(() => manager.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}/analysis"),
            a => a.GetProperty("status").GetString() == "completed", TimeSpan.FromSeconds(20), "the voice-agent call's analysis");
        analysis.GetProperty("talk").ValueKind.ShouldBe(JsonValueKind.Object);
    }

    [Fact]
    public async Task The_same_report_sent_twice_lands_one_call()
    {
        var report = Report(to: "+14155550143");

        var first = await (await PostAsync(report)).Content.ReadFromJsonAsync<JsonElement>();
        var second = await PostAsync(report);

        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        var receipt = await second.Content.ReadFromJsonAsync<JsonElement>();
        receipt.GetProperty("duplicate").GetBoolean().ShouldBeTrue();
        receipt.GetProperty("callId").GetGuid().ShouldBe(first.GetProperty("callId").GetGuid());
    }

    [Fact]
    public async Task A_report_with_a_wrong_or_missing_signature_lands_nothing_and_is_audited()
    {
        var report = Report(callId: "cf-forged");

        (await PostAsync(report, signature: VoiceAgentWebhook.Sign("another-secret-0123456789", report))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync(report, signature: "")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await PostAsync(report, signature: "sha256=zz")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var admin = await host.As("admin");
        var calls = await admin.GetFromJsonAsync<JsonElement>("/api/v1/calls?pageSize=200");
        calls.GetProperty("items").EnumerateArray().ShouldNotContain(c => c.GetProperty("providerCallId").GetString() == "cf-forged");
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?entity=voice-agent-integration&entityId=callfluent");
        audit.GetProperty("items").EnumerateArray().ShouldContain(r => r.GetProperty("action").GetString() == "telephony.signature-rejected");
    }

    [Fact]
    public async Task A_correctly_signed_report_older_than_five_minutes_is_refused_as_a_replay()
    {
        var report = Report(callId: "cf-stale", timestamp: DateTimeOffset.UtcNow.AddMinutes(-6));

        var response = await PostAsync(report);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_report_missing_its_outcome_is_refused_naming_the_field()
    {
        var report = Report(callId: "cf-incomplete", outcome: "sang-a-song");

        var response = await PostAsync(report);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("outcome", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task A_provider_the_tenant_has_not_connected_answers_404()
    {
        var report = Report(callId: "cf-thoughtly");

        (await PostAsync(report, provider: "thoughtly")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await PostAsync(report, tenantId: Guid.NewGuid())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_administrators_connect_providers_and_the_secret_is_never_shown()
    {
        var admin = await host.As("admin");
        (await (await host.As("manager")).PutAsJsonAsync("/api/v1/ai/voice-agents/thoughtly", new { signingSecret = Secret })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var tooShort = await admin.PutAsJsonAsync("/api/v1/ai/voice-agents/thoughtly", new { signingSecret = "short" });
        tooShort.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.PutAsJsonAsync("/api/v1/ai/voice-agents/nobody", new { signingSecret = Secret })).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var listed = await admin.GetStringAsync("/api/v1/ai/voice-agents");

        listed.ShouldNotContain(Secret);
        var callfluent = JsonDocument.Parse(listed).RootElement.EnumerateArray().Single(p => p.GetProperty("provider").GetString() == "callfluent");
        callfluent.GetProperty("configured").GetBoolean().ShouldBeTrue();
        callfluent.GetProperty("webhookUrl").GetString()!.ShouldEndWith($"/api/v1/telephony/callfluent/{host.Tenant.Id}/completed");
    }

    private async Task<Guid> LeadAsync(string phone)
    {
        var created = await (await host.As("manager")).PostAsJsonAsync("/api/v1/leads", new { firstName = "Robin", lastName = "Voice", phone });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    internal static byte[] Report(string? callId = null, string to = "+14155550199", string outcome = "connected", DateTimeOffset? timestamp = null) =>
        JsonSerializer.SerializeToUtf8Bytes(new
        {
            @event = "call.completed",
            callId = callId ?? $"cf-{Guid.NewGuid():N}",
            timestamp = (timestamp ?? DateTimeOffset.UtcNow).ToString("O"),
            direction = "outbound",
            from = "+14155550100",
            to,
            startedAt = DateTimeOffset.UtcNow.AddMinutes(-2).ToString("O"),
            durationSeconds = 95,
            outcome,
            utterances = new object[]
            {
                new { speaker = "agent", start = 0.0, end = 5.0, text = "Hi Robin, this is Ava calling for Switchboard about your demo request." },
                new { speaker = "contact", start = 5.5, end = 9.0, text = "Yes, can you send me the pricing for ten seats?" },
                new { speaker = "agent", start = 9.5, end = 13.0, text = "Of course. I'll email you the pricing sheet tomorrow." },
            },
        });

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string? signature = null, string provider = "callfluent", Guid? tenantId = null)
    {
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/telephony/{provider}/{tenantId ?? host.Tenant.Id}/completed")
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
        };
        if (signature != "") request.Headers.Add(VoiceAgentWebhook.SignatureHeader, signature ?? VoiceAgentWebhook.Sign(Secret, body));
        return await client.SendAsync(request);
    }
}
