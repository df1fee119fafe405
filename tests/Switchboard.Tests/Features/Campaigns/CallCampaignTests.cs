using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Switchboard.Features.Campaigns;
using Switchboard.Features.Webhooks;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Campaigns;

/// <summary>
/// AI call campaigns against a local fake voice-agent provider: each recipient's call is triggered through the
/// provider's outbound API with our metadata and callback, within the concurrency limit; the provider's signed report
/// comes back through the existing voice-agent webhook and completes the recipient, the counters and the progress event.
/// </summary>
public sealed class CallCampaignTests(CampaignHost host) : IClassFixture<CampaignHost>, IAsyncLifetime
{
    private const string Secret = "cf-campaign-secret-0123456789";
    private FakeVoiceAgentProvider provider = null!;

    public async Task InitializeAsync()
    {
        provider = await FakeVoiceAgentProvider.StartAsync(Secret);
        var admin = await host.As("admin");
        var put = await admin.PutAsJsonAsync("/api/v1/ai/voice-agents/callfluent",
            new { signingSecret = Secret, active = true, apiBaseUrl = provider.BaseUrl.ToString(), apiKey = FakeVoiceAgentProvider.ApiKey });
        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync() => await provider.DisposeAsync();

    private async Task<Guid> LeadAsync(string lastName, string? phone, bool doNotCall = false)
    {
        var response = await (await host.As("manager")).PostAsJsonAsync("/api/v1/leads", new { firstName = "Sam", lastName, phone, doNotCall });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task A_call_campaign_triggers_each_call_through_the_provider_and_the_signed_reports_complete_it()
    {
        var tag = "Call" + Guid.NewGuid().ToString("N")[..8];
        var first = await LeadAsync(tag + "1", "(415) 555-0171");
        var second = await LeadAsync(tag + "2", "(415) 555-0172");
        var third = await LeadAsync(tag + "3", "(415) 555-0173");
        var noPhone = await LeadAsync(tag + "4", null);
        var doNotCall = await LeadAsync(tag + "5", "(415) 555-0175", doNotCall: true);
        provider.Outcome = to => to.EndsWith("0172") ? "no-answer" : "connected";
        var manager = await host.As("manager");
        var created = await manager.PostAsJsonAsync("/api/v1/campaigns", new
        {
            name = "Renewals " + tag, kind = "call", audience = new { entity = "lead", ids = new[] { first, second, third, noPhone, doNotCall } },
            provider = "callfluent", agentId = "agent-renewals", prompt = "Remind them their plan renews next month.", concurrency = 1,
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        (await manager.PostAsync($"/api/v1/campaigns/{id}/start", null)).EnsureSuccessStatusCode();
        var campaign = await Eventually.Until(() => manager.GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{id}"),
            c => c.GetProperty("status").GetString() == "completed", TimeSpan.FromSeconds(30), "the call campaign to complete");

        campaign.GetProperty("total").GetInt32().ShouldBe(5);
        campaign.GetProperty("processed").GetInt32().ShouldBe(5);
        campaign.GetProperty("sent").GetInt32().ShouldBe(2);
        campaign.GetProperty("failed").GetInt32().ShouldBe(1);
        campaign.GetProperty("skippedReasons").GetProperty("noAddress").GetInt32().ShouldBe(1);
        campaign.GetProperty("skippedReasons").GetProperty("doNotContact").GetInt32().ShouldBe(1);
        // What the provider was asked: three calls, one at a time, each with our ids and the report webhook.
        provider.Received.Count.ShouldBe(3);
        provider.MaxInFlight.ShouldBe(1);
        provider.Authorizations.ShouldAllBe(a => a == $"Bearer {FakeVoiceAgentProvider.ApiKey}");
        var recipients = (await manager.GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{id}/recipients")).GetProperty("items").EnumerateArray().ToList();
        foreach (var request in provider.Received)
        {
            request["agent_id"]!.GetValue<string>().ShouldBe("agent-renewals");
            request["prompt"]!.GetValue<string>().ShouldBe("Remind them their plan renews next month.");
            request["webhook_url"]!.GetValue<string>().ShouldEndWith($"/api/v1/telephony/callfluent/{host.Tenant.Id}/completed");
            request["metadata"]!["campaignId"]!.GetValue<string>().ShouldBe(id.ToString());
            var recipientId = Guid.Parse(request["metadata"]!["recipientId"]!.GetValue<string>());
            var recipient = recipients.Single(r => r.GetProperty("id").GetGuid() == recipientId);
            request["metadata"]!["leadId"]!.GetValue<string>().ShouldBe(recipient.GetProperty("relatedId").GetGuid().ToString());
            request["idempotency_key"]!.GetValue<string>().ShouldBe($"campaign:{id}:{recipientId}");
        }
        provider.Reported.ShouldAllBe(r => r.Status == 200);
        var byLead = recipients.ToDictionary(r => r.GetProperty("relatedId").GetGuid());
        byLead[first].GetProperty("status").GetString().ShouldBe("sent");
        byLead[second].GetProperty("status").GetString().ShouldBe("failed");
        byLead[third].GetProperty("status").GetString().ShouldBe("sent");
        byLead[noPhone].GetProperty("skipReason").GetString().ShouldBe("no-address");
        byLead[doNotCall].GetProperty("skipReason").GetString().ShouldBe("do-not-contact");
        // The AI call landed on the lead it was placed for, and the recipient points at it.
        var callId = byLead[first].GetProperty("callId").GetGuid();
        var call = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}");
        call.GetProperty("leadId").GetGuid().ShouldBe(first);
        call.GetProperty("provider").GetString().ShouldBe("callfluent");
        byLead[first].GetProperty("providerCallId").GetString().ShouldBe(call.GetProperty("providerCallId").GetString());

        var events = await host.InTenantAsync(host.Tenant.Id, async (db, _) =>
            (await db.Set<WebhookEvent>().AsNoTracking().Where(e => e.Type == CampaignProgress.EventType).OrderBy(e => e.Seq).ToListAsync())
            .Select(e => JsonDocument.Parse(e.Body).RootElement.GetProperty("data").Deserialize<CampaignProgressEvent>(JsonSerializerOptions.Web)!)
            .Where(e => e.CampaignId == id).ToList());
        var final = events.ShouldHaveSingleItem();
        final.Processed.ShouldBe(5);
        final.Kind.ShouldBe("call");
        final.Status.ShouldBe("completed");
    }

    [Fact]
    public async Task A_provider_url_on_a_link_local_or_metadata_address_is_refused_naming_the_field()
    {
        var admin = await host.As("admin");

        var metadata = await admin.PutAsJsonAsync("/api/v1/ai/voice-agents/thoughtly", new { signingSecret = Secret, apiBaseUrl = "http://169.254.169.254/latest", apiKey = "a-key-12345" });
        var notHttp = await admin.PutAsJsonAsync("/api/v1/ai/voice-agents/thoughtly", new { signingSecret = Secret, apiBaseUrl = "ftp://calls.example.com/", apiKey = "a-key-12345" });

        metadata.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await metadata.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("apiBaseUrl")[0].GetString()!.ShouldContain("169.254.169.254");
        notHttp.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await notHttp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("apiBaseUrl", out _).ShouldBeTrue();
        var listed = await admin.GetStringAsync("/api/v1/ai/voice-agents");
        listed.ShouldNotContain("a-key-12345");
        listed.ShouldNotContain(FakeVoiceAgentProvider.ApiKey);
    }
}
