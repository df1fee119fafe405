using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Webhooks;

/// <summary>Two app instances on one database: their dispatchers share the work and each event is delivered once, in order.</summary>
public sealed class WebhookInstancesTests(WebhooksHost host) : IClassFixture<WebhooksHost>
{
    [Fact]
    public async Task Two_dispatchers_on_one_database_deliver_each_event_exactly_once_and_in_order_per_subscription()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var second = await SecondInstance.StartAsync(host.Database, new Dictionary<string, string?> { ["Webhooks:PollSeconds"] = "0.1" },
            services => services.AddSingleton<TimeProvider>(host.Clock));
        var (_, admin) = await host.NewTenantAsync();
        var hooks = new List<Guid>();
        for (var i = 0; i < 4; i++) hooks.Add((await admin.SubscribeAsync(receiver.Url($"/s{i}"))).Id);

        var created = new List<Guid>();
        for (var i = 0; i < 60; i++) created.Add(await admin.CreateLeadAsync($"Lead{i:00}"));

        for (var i = 0; i < hooks.Count; i++)
        {
            var path = $"/s{i}";
            var got = await Eventually.Until(() => receiver.On(path), r => r.Count >= created.Count, TimeSpan.FromSeconds(60), $"every event at {path}");
            got.Select(r => r.Json.GetProperty("data").GetProperty("id").GetGuid()).ShouldBe(created);
        }
        await Task.Delay(500); // a duplicate, if any, would arrive now
        receiver.All.Count.ShouldBe(created.Count * hooks.Count);
        receiver.All.GroupBy(r => (r.Path, r.Id)).ShouldAllBe(g => g.Count() == 1);
    }
}
