using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Webhooks;

/// <summary>
/// Changes send no NOTIFY (ADR 0055, migration 0041): the dispatcher learns of new events by scanning their sequence.
/// Here the host's clock stands still (<see cref="WebhooksHost"/>) and the idle poll is a minute on it: nothing
/// becomes due by waiting, so only a wake-up — the scan, since changes send no NOTIFY — can start the delivery.
/// </summary>
public sealed class WebhookWakeTests(WebhookWakeTests.Host host) : IClassFixture<WebhookWakeTests.Host>
{
    public sealed class Host : WebhooksHost
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Webhooks:PollSeconds"] = "60", ["Webhooks:ScanSeconds"] = "0.1",
        };
    }

    [Fact]
    public async Task A_new_event_is_found_by_the_sequence_scan_without_waiting_for_the_idle_poll()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, admin) = await host.NewTenantAsync();
        await admin.SubscribeAsync(receiver.Url("/scan"), new[] { "lead.created" });

        var lead = await admin.CreateLeadAsync("Scanned");

        var got = await Eventually.Until(() => Task.FromResult(receiver.On("/scan")), r => r.Count >= 1, TimeSpan.FromSeconds(20), "the delivery woken by the scan");
        got.Single().Json.GetProperty("data").GetProperty("id").GetGuid().ShouldBe(lead);
        (await host.ScalarAsync("select count(*) from pg_trigger where tgrelid = 'webhook_events'::regclass and not tgisinternal")).ShouldBe(0);
    }
}
