using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Testing;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>
/// Settings → Webhooks (ADR 0055): an administrator subscribes a local receiver, sees the secret once, sees a lead's
/// event in the delivery log and replays it; rotation and deletion; agents and managers are refused, another tenant's
/// subscription is not found.
/// </summary>
public sealed class WebhooksPageTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Admin_subscribes_a_receiver_sees_the_secret_once_and_replays_a_lead_created_delivery_from_the_log()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));
        await ui.Page.GetByRole(AriaRole.Link, new() { Name = "Webhooks", Exact = true }).ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(new Regex("/settings/webhooks$"));

        // Nothing filled in: the service's 400s, labelled as the form labels them, and the fields marked.
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Create webhook" }).ClickAsync();
        var errors = ui.Page.GetByTestId("webhook-errors");
        await Expect(errors).ToContainTextAsync("URL: Url is required.");
        await Expect(errors).ToContainTextAsync("Events: Name at least one event type");
        await Expect(ui.Page.GetByLabel("URL", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(ui.Page.Locator("#events-error")).ToContainTextAsync("at least one event type");
        await ui.ScreenshotAsync("webhooks-errors.png");

        await ui.Page.GetByLabel("URL", new() { Exact = true }).FillAsync(receiver.Url);
        await ui.Page.GetByLabel("lead.created", new() { Exact = true }).CheckAsync();
        await ui.Page.GetByLabel("lead.updated", new() { Exact = true }).CheckAsync();
        await ui.Page.GetByLabel("Description (optional)").FillAsync("Warehouse <sync>");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Create webhook" }).ClickAsync();

        var shown = ui.Page.GetByTestId("new-secret");
        await Expect(shown).ToContainTextAsync("shown only this once");
        var secret = await ui.Page.GetByTestId("new-secret-value").InputValueAsync();
        secret.ShouldStartWith("whsec_");
        var row = ui.Page.GetByTestId("webhook-row").Filter(new() { HasText = receiver.Url });
        await Expect(row).ToContainTextAsync("lead.created, lead.updated");
        await Expect(row).ToContainTextAsync("Warehouse <sync>");
        await Expect(row).ToContainTextAsync("Enabled");
        await Expect(row).ToContainTextAsync("None yet");
        await ui.ScreenshotAsync("webhooks-created.png");

        var admin = await host.As("admin");
        (await admin.PostAsJsonAsync("/api/v1/leads", new { firstName = "Hook", lastName = "Page", email = "hook.page@example.com" })).EnsureSuccessStatusCode();
        var first = await Eventually.Until(() => receiver.All, r => r.Count >= 1, TimeSpan.FromSeconds(30), "the lead.created delivery");
        first[0].Type.ShouldBe("lead.created");
        // The secret the page showed is the one deliveries are signed with (Standard Webhooks, checked here from the spec).
        first[0].Signature!.Split(' ').ShouldContain("v1," + Sign(secret, first[0]));

        await ui.Page.GotoAsync("/settings/webhooks");
        (await ui.Page.ContentAsync()).ShouldNotContain(secret);
        await Eventually.Until(async () =>
        {
            await ui.Page.ReloadAsync();
            return await row.InnerTextAsync();
        }, text => text.Contains("Delivered (200)"), TimeSpan.FromSeconds(30), "the last delivery in the list");
        await row.GetByRole(AriaRole.Link, new() { Name = receiver.Url }).ClickAsync();
        await Expect(ui.Page.GetByRole(AriaRole.Heading, new() { Name = receiver.Url })).ToBeVisibleAsync();
        (await ui.Page.ContentAsync()).ShouldNotContain(secret);

        var delivered = ui.Page.GetByTestId("delivery-row").Filter(new() { HasText = "lead.created" });
        await Expect(delivered).ToHaveCountAsync(1);
        await Expect(delivered).ToContainTextAsync("Delivered");
        await Expect(delivered).ToContainTextAsync("200");
        await Expect(delivered.Locator($"[data-event-id='{first[0].Id}']")).ToHaveCountAsync(1);
        await ui.ScreenshotAsync("webhook-log.png");

        await delivered.GetByRole(AriaRole.Button, new() { Name = "Replay lead.created attempt 1" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("The lead.created event will be sent again");
        var again = await Eventually.Until(() => receiver.All, r => r.Count >= 2, TimeSpan.FromSeconds(30), "the replayed delivery");
        again[1].Id.ShouldBe(first[0].Id);
        again[1].Body.ShouldBe(first[0].Body);
        await Eventually.Until(async () =>
        {
            await ui.Page.ReloadAsync();
            return await ui.Page.GetByTestId("delivery-row").Filter(new() { HasText = "lead.created" }).Filter(new() { HasText = "Delivered" }).CountAsync();
        }, count => count == 2, TimeSpan.FromSeconds(30), "two delivered rows in the log");

        // The log's filters: failed shows none; delivered from today shows both.
        await ui.Page.GetByTestId("delivery-filters").Locator("select[name=status]").SelectOptionAsync("failed");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("delivery-log")).ToContainTextAsync("No deliveries match.");
        await ui.Page.GetByTestId("delivery-filters").Locator("select[name=status]").SelectOptionAsync("delivered");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("delivery-row").Filter(new() { HasText = "lead.created" })).ToHaveCountAsync(2);
        await ui.ScreenshotAsync("webhook-replayed.png");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Admin_edits_replays_everything_since_rotates_the_secret_and_deletes_a_subscription()
    {
        await using var receiver = await Receiver.StartAsync();
        var admin = await host.As("admin");
        var created = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url, events = new[] { "*" } });
        created.EnsureSuccessStatusCode();
        var hook = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = hook.GetProperty("id").GetGuid();
        var firstSecret = hook.GetProperty("secret").GetString()!;
        (await admin.PostAsJsonAsync("/api/v1/leads", new { firstName = "Since", lastName = "Replay" })).EnsureSuccessStatusCode();
        await Eventually.Until(() => receiver.All, r => r.Any(x => x.Type == "lead.created"), TimeSpan.FromSeconds(30), "the lead.created delivery");
        await using var ui = await host.OpenAsync();
        ui.AcceptDialogs = true;
        await ui.SignInAsync(host.Tenant.Email("admin"));
        await ui.Page.GotoAsync($"/settings/webhooks/{id}");

        // A bad URL is refused and named; the form keeps what was typed.
        await ui.Page.GetByLabel("URL", new() { Exact = true }).FillAsync("ftp://example.com/hook");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(ui.Page.GetByTestId("webhook-errors")).ToContainTextAsync("URL:");
        await Expect(ui.Page.GetByLabel("URL", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(ui.Page.GetByLabel("URL", new() { Exact = true })).ToHaveValueAsync("ftp://example.com/hook");
        await ui.ScreenshotAsync("webhook-edit-error.png");

        await ui.Page.GetByLabel("URL", new() { Exact = true }).FillAsync(receiver.Url);
        await ui.Page.GetByLabel("Enabled", new() { Exact = true }).UncheckAsync();
        await ui.Page.GetByLabel("Only when these fields change (optional)").FillAsync("status, ownerId");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("The webhook was saved.");
        await Expect(ui.Page.GetByTestId("webhook-disabled")).ToBeVisibleAsync();
        await Expect(ui.Page.GetByLabel("Only when these fields change (optional)")).ToHaveValueAsync("status, ownerId");
        var saved = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{id}");
        saved.GetProperty("enabled").GetBoolean().ShouldBeFalse();
        saved.GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()).ShouldBe(["status", "ownerId"]);
        await ui.Page.GetByLabel("Enabled", new() { Exact = true }).CheckAsync();
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(ui.Page.GetByTestId("webhook-disabled")).ToHaveCountAsync(0);

        // Replay everything since: empty is named; an hour ago sends the lead.created event again.
        await ui.Page.Locator("form.replay-since").GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("since-error")).ToContainTextAsync("Enter the date and time");
        var before = receiver.All.Count;
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var anHourAgo = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddHours(-1), zone);
        await ui.Page.GetByLabel("Replay everything since").FillAsync(anHourAgo.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await ui.Page.Locator("form.replay-since").GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("will be sent again, in order.");
        var replayed = await Eventually.Until(() => receiver.All, r => r.Count > before, TimeSpan.FromSeconds(30), "the replayed events");
        replayed.Skip(before).ShouldContain(r => r.Type == "lead.created");

        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Rotate secret" }).ClickAsync();
        var secret = await ui.Page.GetByTestId("new-secret-value").InputValueAsync();
        secret.ShouldStartWith("whsec_");
        secret.ShouldNotBe(firstSecret);
        await Expect(ui.Page.GetByTestId("new-secret")).ToContainTextAsync("shown only this once");
        await Expect(ui.Page.Locator(".page-header")).ToContainTextAsync("The previous secret is still valid until");
        await ui.ScreenshotAsync("webhook-rotated.png");
        await ui.Page.ReloadAsync();
        (await ui.Page.ContentAsync()).ShouldNotContain(secret);

        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Delete webhook" }).ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(new Regex("/settings/webhooks$"));
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("was deleted with its delivery log");
        (await admin.GetAsync($"/api/v1/webhooks/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        ui.Problems.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("agent")]
    [InlineData("manager")]
    public async Task Agents_and_managers_are_refused_the_webhooks_pages_and_see_no_link(string role)
    {
        var admin = await host.As("admin");
        var created = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/hook", events = new[] { "lead.created" } });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email(role));

        await Expect(ui.Page.GetByRole(AriaRole.Link, new() { Name = "Webhooks", Exact = true })).ToHaveCountAsync(0);
        await ui.Page.GotoAsync("/settings/webhooks");
        await Expect(ui.Page).ToHaveURLAsync(new Regex("/forbidden"));
        await ui.Page.GotoAsync($"/settings/webhooks/{id}");
        await Expect(ui.Page).ToHaveURLAsync(new Regex("/forbidden"));
    }

    [Fact]
    public async Task Another_tenants_subscription_is_not_found()
    {
        var other = await host.CreateTenantAsync("hooks-other");
        using var otherAdmin = await host.LoginAsync(other.Email("admin"));
        var created = await otherAdmin.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/other", events = new[] { "*" } });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));

        var response = await ui.Page.GotoAsync($"/settings/webhooks/{id}");

        response!.Status.ShouldBe(404);
        (await ui.Page.ContentAsync()).ShouldNotContain("/other");
    }

    /// <summary>Standard Webhooks: base64 HMAC-SHA256 of "id.timestamp.body" keyed with the secret's bytes after whsec_.</summary>
    private static string Sign(string secret, Receiver.Received request)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{request.Id}.{request.Timestamp}.").Concat(request.Body).ToArray();
        return Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    /// <summary>A local webhook endpoint on 127.0.0.1 that records each request and answers 200.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly ConcurrentQueue<Received> _received = new();
        private WebApplication _app = null!;

        public sealed record Received(string? Id, string? Timestamp, string? Signature, byte[] Body)
        {
            public string Type => JsonDocument.Parse(Body).RootElement.GetProperty("type").GetString()!;
        }

        public string Url { get; private set; } = "";
        public IReadOnlyList<Received> All => [.. _received];

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var receiver = new Receiver { _app = builder.Build() };
            receiver._app.Run(async http =>
            {
                using var body = new MemoryStream();
                await http.Request.Body.CopyToAsync(body);
                var headers = http.Request.Headers;
                receiver._received.Enqueue(new Received(headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"], body.ToArray()));
                await http.Response.WriteAsync("ok");
            });
            await receiver._app.StartAsync();
            receiver.Url = receiver._app.Urls.Single().TrimEnd('/') + "/hook";
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
