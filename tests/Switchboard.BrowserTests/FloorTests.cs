using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Switchboard.Features.Telephony;
using Switchboard.Features.Telephony.Providers.Twilio;
using Switchboard.Testing;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>
/// The wallboard on one app instance follows calls whose provider callbacks land on another instance:
/// both share the database, and realtime events travel through PostgreSQL.
/// </summary>
public sealed class FloorTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private const string AccountSid = "AC00000000000000000000000000000042";
    private const string AuthToken = "floor-test-auth-token-0123456789";

    [Fact]
    public async Task Board_on_another_instance_shows_a_call_in_progress_then_the_completed_counts_without_reload()
    {
        var admin = await host.As("admin");
        (await admin.PutAsJsonAsync("/api/v1/telephony/providers/twilio", new { accountSid = AccountSid, authToken = AuthToken, callerId = "(212) 555-0100" }))
            .EnsureSuccessStatusCode();
        var agentId = host.Tenant.Users["agent"];
        var sid = "CAfloor" + Guid.NewGuid().ToString("N");
        await InsertInitiatedCallAsync(agentId, sid);
        await using var second = await SecondInstance.StartAsync(host.Database);
        await using var ui = await OpenOnAsync(second.BaseAddress);
        await ui.SignInAsync(host.Tenant.Email("manager"));
        await ui.Page.GotoAsync("/floor");
        var card = ui.Page.Locator($"[data-testid=floor-agent][data-agent-id='{agentId}']");
        await Expect(card.GetByTestId("live-call")).ToContainTextAsync("Initiated");
        await ui.Page.WaitForFunctionAsync("() => window.switchboardRealtime && window.switchboardRealtime.state === 'Connected'");

        (await PostStatusAsync(sid, "in-progress", 1)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await Expect(card.GetByTestId("call-status")).ToHaveTextAsync("In progress", new() { Timeout = 3000 });
        await Expect(card.GetByTestId("call-timer")).ToBeVisibleAsync();
        await Expect(ui.Page.GetByTestId("calls-in-progress")).ToHaveTextAsync("1");

        (await PostStatusAsync(sid, "completed", 2, duration: "42")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await Expect(card.GetByTestId("live-call")).ToContainTextAsync("Not on a call", new() { Timeout = 3000 });
        await Expect(card.GetByTestId("dials")).ToHaveTextAsync("1");
        await Expect(card.GetByTestId("connects")).ToHaveTextAsync("1");
        await Expect(card.GetByTestId("talk")).ToHaveTextAsync("0m 42s");
        await Expect(ui.Page.GetByTestId("calls-in-progress")).ToHaveTextAsync("0");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Agent_opening_the_floor_is_refused()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));

        await ui.Page.GotoAsync("/floor");

        await Expect(ui.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/forbidden"));
    }

    private async Task<UiSession> OpenOnAsync(Uri baseAddress)
    {
        var context = await host.Browser.NewContextAsync(new() { BaseURL = baseAddress.ToString().TrimEnd('/'), ViewportSize = new() { Width = 1360, Height = 900 } });
        return new UiSession(context, await context.NewPageAsync());
    }

    private async Task InsertInitiatedCallAsync(Guid agentId, string providerCallId)
    {
        await using var connection = new NpgsqlConnection(host.Database.SuperuserConnectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand("""
            insert into calls (tenant_id, id, direction, from_number, to_number, agent_id, provider, provider_call_id, status, created_at, updated_at)
            values (@tenant, @id, 'outbound', '+12125550100', '+12125550150', @agent, 'twilio', @sid, 'initiated', now(), now())
            """, connection);
        insert.Parameters.AddWithValue("tenant", host.Tenant.Id);
        insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
        insert.Parameters.AddWithValue("agent", agentId);
        insert.Parameters.AddWithValue("sid", providerCallId);
        await insert.ExecuteNonQueryAsync();
    }

    /// <summary>A status callback for the lead's leg, signed as Twilio signs it, to the first instance.</summary>
    private async Task<HttpResponseMessage> PostStatusAsync(string parentSid, string status, int sequence, string? duration = null)
    {
        var url = new Uri(host.BaseAddress, $"api/v1/telephony/twilio/{host.Tenant.Id}/status").ToString();
        var form = new Dictionary<string, string>
        {
            ["CallSid"] = "CAlead" + parentSid, ["ParentCallSid"] = parentSid, ["AccountSid"] = AccountSid,
            ["CallStatus"] = status, ["SequenceNumber"] = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (duration is not null) form["CallDuration"] = duration;
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.HeaderName, TwilioSignature.Compute(AuthToken, url, form));
        return await client.SendAsync(request);
    }
}
