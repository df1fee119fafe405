using Switchboard.Features.Dialer;
using Switchboard.Features.Leads;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Features.Calls;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;
using Switchboard.Platform.Web;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Calls;

/// <summary>The dialer services of one request, as a member of the tenant, on the floor's clock.</summary>
public sealed record DialerScope(SwitchboardDbContext Db, DialerQueues Queues, DialerSessions Sessions);

/// <summary>
/// One tenant of its own (so a test's leads are the only ones), its members' API clients, and the dialer services
/// run in process on a <see cref="FakeTimeProvider"/>: time moves only when a test advances it.
/// </summary>
public sealed class DialerFloor(SwitchboardHost host, TestTenant tenant, FakeTimeProvider clock)
{
    public TestTenant Tenant => tenant;
    public FakeTimeProvider Clock => clock;

    /// <param name="allDay">Calling hours open 00:00–00:00 (the whole day) every day, so the hour a test runs at does not matter; false
    /// keeps the tenant's default (08:00–21:00 in the lead's time), for the tests of calling hours, which set the clock.</param>
    public static async Task<DialerFloor> CreateAsync(SwitchboardHost host, bool allDay = true)
    {
        var tenant = await host.CreateTenantAsync("dialer");
        if (allDay)
        {
            using var admin = await host.LoginAsync(tenant.Email("admin"));
            (await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { callingHours = CallingHost.AllDay() })).EnsureSuccessStatusCode();
        }
        return new(host, tenant, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds())));
    }

    /// <summary>Runs <paramref name="work"/> in a fresh request scope signed in as the role, as one page request would.</summary>
    public async Task<T> AsAsync<T>(string role, Func<DialerScope, Task<T>> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var ctx = services.GetRequiredService<TenantContext>();
        await ctx.SetUserAsync(tenant.Users[role], isSuperadmin: false);
        await ctx.EnterTenantAsync(
            new TenantSettings(tenant.Id, "Test", tenant.Slug, true, "America/New_York", "USD", "yyyy-MM-dd", "US"),
            role.StartsWith("agent", StringComparison.Ordinal) ? TenantRole.Agent : Enum.Parse<TenantRole>(role, ignoreCase: true));
        var queues = ActivatorUtilities.CreateInstance<DialerQueues>(services, (TimeProvider)clock);
        var sessions = ActivatorUtilities.CreateInstance<DialerSessions>(services, queues, (TimeProvider)clock);
        return await work(new DialerScope(services.GetRequiredService<SwitchboardDbContext>(), queues, sessions));
    }

    public Task AsAsync(string role, Func<DialerScope, Task> work) => AsAsync(role, async s => { await work(s); return 0; });

    public async Task<Guid> LeadAsync(string lastName, string owner = "agent", string? timeZone = null, string phone = "(212) 555-0150")
    {
        using var manager = await host.LoginAsync(tenant.Email("manager"));
        var response = await manager.PostAsJsonAsync("/api/v1/leads", new { lastName, phone, ownerId = tenant.Users[owner], timeZone });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>Sets what calls and dispositions would have set: when the lead was last called and its callback.</summary>
    public Task SetCallHistoryAsync(Guid lead, DateTimeOffset? lastCalledAt = null, DateTimeOffset? callbackAt = null) =>
        AsAsync("manager", s => s.Db.Leads.Where(l => l.Id == lead)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.LastCalledAt, lastCalledAt).SetProperty(l => l.CallbackAt, callbackAt)));

    public async Task<Guid> QueueAsync(string role = "agent", string name = "Everyone", string[]? statuses = null)
    {
        using var client = await host.LoginAsync(tenant.Email(role));
        var response = await client.PostAsJsonAsync("/api/v1/dialer/queues", new { name, statuses });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>An outbound call of the agent's to the lead that has no outcome yet, placed <paramref name="ago"/> before now.</summary>
    public Task<Guid> CallWithoutOutcomeAsync(Guid lead, TimeSpan ago, string role = "agent", string status = CallStatuses.Completed) =>
        CallWithoutOutcomeAsync(DialTarget.Lead(lead), ago, role, status);

    /// <summary>An outbound call of the agent's to the lead or contact that has no outcome yet, placed <paramref name="ago"/> before now.</summary>
    public Task<Guid> CallWithoutOutcomeAsync(DialTarget target, TimeSpan ago, string role = "agent", string status = CallStatuses.Completed) =>
        AsAsync(role, async s =>
        {
            var call = NewCall(target, role, status, ago);
            s.Db.Calls.Add(call);
            await s.Db.SaveChangesAsync();
            return call.Id;
        });

    /// <summary>Outbound calls to the lead placed <paramref name="ago"/> by another agent (so none holds this agent's dialer).</summary>
    public Task CallsWithOutcomeAsync(Guid lead, int count, TimeSpan ago) => CallsWithOutcomeAsync(DialTarget.Lead(lead), count, ago);

    /// <summary>Outbound calls to the lead or contact placed <paramref name="ago"/> by another agent (so none holds this agent's dialer).</summary>
    public Task CallsWithOutcomeAsync(DialTarget target, int count, TimeSpan ago) =>
        AsAsync("agent2", async s =>
        {
            for (var i = 0; i < count; i++) s.Db.Calls.Add(NewCall(target, "agent2", CallStatuses.NoAnswer, ago));
            await s.Db.SaveChangesAsync();
        });

    private Call NewCall(DialTarget target, string role, string status, TimeSpan ago) => new()
    {
        Id = Guid.CreateVersion7(), Direction = CallDirections.Outbound, FromNumber = "+12125550100", ToNumber = "+12125550150",
        LeadId = target.LeadId, ContactId = target.ContactId, AgentId = tenant.Users[role], Provider = "twilio", Status = status,
        CreatedAt = clock.GetUtcNow() - ago, UpdatedAt = clock.GetUtcNow() - ago,
    };

    /// <summary>A contact of the owner's with one phone, created by a manager through the API.</summary>
    public async Task<Guid> ContactAsync(string lastName, string owner = "agent", string phone = "(212) 555-0160", string? firstName = null, Guid? accountId = null)
    {
        using var manager = await host.LoginAsync(tenant.Email("manager"));
        var phones = phone.Length == 0 ? Array.Empty<string>() : [phone];
        var response = await manager.PostAsJsonAsync("/api/v1/contacts", new { firstName, lastName, phones, ownerId = tenant.Users[owner], accountId });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>Adds the contact to the queue through the API, as the queue's owner.</summary>
    public async Task AddContactAsync(Guid queue, Guid contact, string role = "agent")
    {
        using var client = await host.LoginAsync(tenant.Email(role));
        var response = await client.PutAsync($"/api/v1/dialer/queues/{queue}/contacts/{contact}", null);
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Puts the number on the tenant's do-not-call list, as an admin does through the API.</summary>
    public async Task ListDncAsync(string phone)
    {
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        (await admin.PostAsJsonAsync("/api/v1/dnc", new { phone, reason = "asked" })).EnsureSuccessStatusCode();
    }

    /// <summary>Sets the lead's status as an edit elsewhere would (the lead's page, the API, an import).</summary>
    public Task SetStatusAsync(Guid lead, LeadStatus status) =>
        AsAsync("manager", s => s.Db.Leads.Where(l => l.Id == lead).ExecuteUpdateAsync(u => u.SetProperty(l => l.Status, status)));

    /// <summary>Opens the queue's session (or resumes it) and takes its turn, as the agent.</summary>
    public Task<DialerTurn> TurnAsync(Guid queue, string role = "agent") =>
        AsAsync(role, async s =>
        {
            var opened = (Outcome<OpenedDialerSession>.Ok)await s.Sessions.OpenAsync(queue, CancellationToken.None);
            var session = (await s.Sessions.FindOwnAsync(opened.Value.Session.Id, CancellationToken.None))!;
            return await s.Sessions.TurnAsync(session, (await s.Queues.FindOwnAsync(queue, CancellationToken.None))!.Filter, CancellationToken.None);
        });

    /// <summary>Opens the queue's session and serves its leads and contacts one by one, skipping each, until the queue is done; their ids in order.</summary>
    public Task<IReadOnlyList<Guid>> ServeAllAsync(Guid queue, string role = "agent") =>
        AsAsync<IReadOnlyList<Guid>>(role, async s =>
        {
            var opened = await s.Sessions.OpenAsync(queue, CancellationToken.None);
            var session = (await s.Sessions.FindOwnAsync(((Outcome<OpenedDialerSession>.Ok)opened).Value.Session.Id, CancellationToken.None))!;
            var filter = (await s.Queues.FindOwnAsync(queue, CancellationToken.None))!.Filter;
            var served = new List<Guid>();
            while ((await s.Sessions.TurnAsync(session, filter, CancellationToken.None)).Target is { } target && served.Count < 20)
            {
                served.Add(target.Id);
                (await s.Sessions.SkipAsync(session, target, CancellationToken.None)).ShouldBeTrue();
            }
            return served;
        });
}

/// <summary>A browser tab on the dialer page: cookies of a signed-in member, htmx-style posts with the page's antiforgery token.</summary>
public sealed partial class DialerTab(CookieContainer cookies, HttpClient browser) : IDisposable
{
    private string _token = "";

    public string Html { get; private set; } = "";

    /// <summary>The page's address: /dialer?session={id}.</summary>
    public string Url { get; private set; } = "";

    public static async Task<DialerTab> SignInAsync(SwitchboardHost host, string email)
    {
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, email);
        return new DialerTab(cookies, Browser(cookies, host.BaseAddress));
    }

    /// <summary>Another tab of the same browser (the same sign-in), not yet on any page.</summary>
    public DialerTab NewTab() => new(cookies, Browser(cookies, browser.BaseAddress!));

    private static HttpClient Browser(CookieContainer cookies, Uri baseAddress) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };

    /// <summary>Opens the queue as its "Start session" link does; returns where the page redirected (the session's URL).</summary>
    public async Task<string> StartAsync(Guid queue)
    {
        var response = await browser.GetAsync($"/dialer?queue={queue}");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var url = response.Headers.Location!.OriginalString;
        await GoAsync(url);
        return url;
    }

    public async Task<HttpStatusCode> GoAsync(string url)
    {
        var response = await browser.GetAsync(url);
        Html = await response.Content.ReadAsStringAsync();
        Url = url;
        if (CsrfToken().Match(Html) is { Success: true } token) _token = WebUtility.HtmlDecode(token.Groups[1].Value);
        return response.StatusCode;
    }

    /// <summary>The lead the tab shows, or null when it shows none.</summary>
    public Guid? Lead => LeadOnScreen().Match(Html) is { Success: true } m ? Guid.Parse(m.Groups[1].Value) : null;

    /// <summary>Posts to a handler of the session the tab shows, as htmx does (the workspace fragment comes back).</summary>
    public async Task<HttpResponseMessage> PostAsync(string handler, Dictionary<string, string> fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url.Replace("/dialer?", $"/dialer?handler={handler}&"))
        {
            Content = new FormUrlEncodedContent(fields),
        };
        request.Headers.Add("X-CSRF-TOKEN", _token);
        request.Headers.Add("HX-Request", "true");
        request.Headers.Add("HX-Target", "workspace");
        var response = await browser.SendAsync(request);
        if (response.IsSuccessStatusCode) Html = await response.Content.ReadAsStringAsync();
        return response;
    }

    public void Dispose() => browser.Dispose();

    /// <summary>The contact the tab shows, or null when it shows none.</summary>
    public Guid? Contact => ContactOnScreen().Match(Html) is { Success: true } m ? Guid.Parse(m.Groups[1].Value) : null;

    [GeneratedRegex("data-testid=\"dialer-lead\"\\s+data-lead-id=\"([0-9a-f-]{36})\"")]
    private static partial Regex LeadOnScreen();

    [GeneratedRegex("data-testid=\"dialer-contact\"\\s+data-contact-id=\"([0-9a-f-]{36})\"")]
    private static partial Regex ContactOnScreen();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}

/// <summary>The session API as the tests call it.</summary>
internal static class DialerApi
{
    public static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    public static async Task<Guid> OpenAsync(HttpClient client, Guid queue, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await client.PostAsync($"/api/v1/dialer/queues/{queue}/session", null);
        response.StatusCode.ShouldBe(expected);
        return (await Json(response)).GetProperty("id").GetGuid();
    }

    public static async Task<Guid?> TurnAsync(HttpClient client, Guid session)
    {
        var response = await client.PostAsync($"/api/v1/dialer/sessions/{session}/turn", null);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var lead = (await Json(response)).GetProperty("leadId");
        return lead.ValueKind == JsonValueKind.Null ? null : lead.GetGuid();
    }
}
