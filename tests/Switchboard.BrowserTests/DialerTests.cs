using Switchboard.Testing;
using System.Net.Http.Json;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>
/// The app with the simulator provider active, calling hours open all day, fast job polling, and two leads
/// owned by the agent; plus Chromium. The simulator answers every call, rings 1 s and talks 4 s, so a 2 s poll
/// sees the call live at least once.
/// </summary>
public sealed class DialerHost : SwitchboardHostWithTenant
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Jobs:PollSeconds"] = "0.2" };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var admin = await As("admin");
        // Auto-dial off: these tests dial by hand. Power dialing has its own tenants (PowerDialingTests).
        await SimulateCallsAsync(admin, autoDialSeconds: 0);
        foreach (var (first, phone) in new[] { ("Ada", "(212) 555-0141"), ("Boris", "(212) 555-0142") })
            (await admin.PostAsJsonAsync("/api/v1/leads", new { firstName = first, lastName = "Queueson", phone, ownerId = Tenant.Users["agent"] }))
                .EnsureSuccessStatusCode();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = BrowserHost.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>
    /// Makes the admin's tenant dial through the simulator (answers every call, rings 1 s, talks 4 s) with calling hours
    /// open all day and the given countdown (and call script, when one is given).
    /// </summary>
    public static async Task SimulateCallsAsync(HttpClient admin, int autoDialSeconds, string? callScript = null)
    {
        (await admin.PutAsJsonAsync("/api/v1/telephony/providers/simulator", new
        {
            active = true, callerId = "(212) 555-0100", answerRate = 1, ringSeconds = 1, talkSeconds = 4, transcripts = false,
        })).EnsureSuccessStatusCode();
        var allDay = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" }
            .ToDictionary(d => d, _ => (object)new { start = "00:00", end = "00:00" });
        var settings = new Dictionary<string, object> { ["callingHours"] = allDay, ["autoDialSeconds"] = autoDialSeconds };
        if (callScript is not null) settings["callScript"] = callScript;
        (await admin.PatchAsJsonAsync("/api/v1/calling/settings", settings)).EnsureSuccessStatusCode();
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
    }

    /// <param name="phone">A phone-sized touch screen (390×844) instead of a desktop window.</param>
    public async Task<UiSession> OpenAsync(bool phone = false)
    {
        var context = await Browser.NewContextAsync(phone
            ? new() { BaseURL = BaseAddress.ToString().TrimEnd('/'), ViewportSize = new() { Width = 390, Height = 844 }, HasTouch = true, IsMobile = true, DeviceScaleFactor = 2 }
            : new() { BaseURL = BaseAddress.ToString().TrimEnd('/'), ViewportSize = new() { Width = 1360, Height = 900 } });
        return new UiSession(context, await context.NewPageAsync());
    }
}

public sealed class DialerTests(DialerHost host) : IClassFixture<DialerHost>
{
    private static readonly LocatorAssertionsToHaveAttributeOptions CallTimeout = new() { Timeout = 30_000 };

    [Fact]
    public async Task Agent_dials_the_first_lead_records_the_outcome_and_the_next_lead_appears()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));
        await ui.Page.GotoAsync("/dialer");
        await ui.Page.GetByLabel("Queue name").FillAsync("Fresh leads");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save and start" }).ClickAsync();

        var lead = ui.Page.GetByTestId("dialer-lead");
        await Expect(lead).ToContainTextAsync("Ada Queueson");
        await Expect(lead).ToContainTextAsync("(212) 555-0141");
        await ui.Page.GetByTestId("dial").ClickAsync();

        var status = ui.Page.GetByTestId("call-status");
        await Expect(status).ToHaveAttributeAsync("data-status", "in-progress", CallTimeout);
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, "dialer-live.png"), FullPage = true });
        await Expect(status).ToHaveAttributeAsync("data-status", "completed", CallTimeout);
        await ui.Page.GetByTestId("disposition").SelectOptionAsync("interested");
        await ui.Page.GetByTestId("save-disposition").ClickAsync();

        await Expect(lead).ToContainTextAsync("Boris Queueson");
        await Expect(ui.Page.GetByTestId("call-status")).ToHaveAttributeAsync("data-status", "idle");
        await Expect(ui.Page.GetByTestId("dial")).ToBeVisibleAsync();
        // The workspace's forms carry their own antiforgery token, so a submit htmx did not take over (a form swapped in a
        // moment before) is still accepted rather than answered with a 400.
        await Expect(ui.Page.Locator("form:has([data-testid=skip]) input[name=__RequestVerificationToken]")).ToHaveCountAsync(1);
        await ui.Page.Keyboard.PressAsync("s");
        await Expect(ui.Page.GetByTestId("queue-empty")).ToContainTextAsync("This queue is done");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Manager_calls_a_lead_from_its_page_and_the_call_appears_in_the_timeline()
    {
        var admin = await host.As("admin");
        var created = await admin.PostAsJsonAsync("/api/v1/leads", new { firstName = "Clara", lastName = "Clicktocall", phone = "(212) 555-0143", ownerId = host.Tenant.Users["manager"] });
        var id = (await created.Content.ReadFromJsonAsync<IdOnly>())!.Id;
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));
        await ui.Page.GotoAsync($"/leads/{id}");

        await ui.Page.GetByTestId("call-lead").ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Calling.");
        await Expect(ui.Page.GetByTestId("lead-calls")).ToContainTextAsync("Outbound");
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, "lead-calls.png"), FullPage = true });
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Agent_saves_their_own_phone_on_the_profile_page()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));
        await ui.Page.GotoAsync("/profile");

        await ui.Page.GetByLabel("Your phone").FillAsync("415 555 0123");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save phone" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Phone saved.");
        await Expect(ui.Page.GetByLabel("Your phone")).ToHaveValueAsync("(415) 555-0123");
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, "profile.png"), FullPage = true });
        ui.Problems.ShouldBeEmpty();
    }

    private sealed record IdOnly(Guid Id);

    [Fact]
    public async Task Agent_renames_and_then_deletes_a_saved_queue_from_the_dialer_page()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent2"));
        await ui.Page.GotoAsync("/dialer");
        await ui.Page.GetByLabel("Queue name").FillAsync("Morning calls");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save and start" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("queue-name")).ToHaveTextAsync("Morning calls");
        await ui.Page.GotoAsync("/dialer");

        var item = ui.Page.GetByTestId("queue-item").Filter(new() { HasText = "Morning calls" });
        await item.GetByTestId("rename-queue").ClickAsync();
        await item.GetByLabel("New name for Morning calls").FillAsync("Afternoon calls");
        await item.GetByRole(AriaRole.Button, new() { Name = "Save name" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Queue renamed to Afternoon calls.");
        var renamed = ui.Page.GetByTestId("queue-item");
        await Expect(renamed).ToHaveCountAsync(1);
        await Expect(renamed.GetByTestId("queue-item-name")).ToHaveTextAsync("Afternoon calls");

        var questions = new List<string>();
        ui.Page.Dialog += (_, dialog) => questions.Add(dialog.Message);
        ui.AcceptDialogs = true;
        await renamed.GetByRole(AriaRole.Button, new() { Name = "Delete queue Afternoon calls" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Queue deleted.");
        questions.ShouldBe(["Delete the queue 'Afternoon calls'? Its leads and contacts are not affected."]);
        await Expect(ui.Page.GetByTestId("queue-item")).ToHaveCountAsync(0);
        await Expect(ui.Page.GetByTestId("no-queues")).ToBeVisibleAsync();
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_second_tab_resumes_the_session_and_a_skip_in_one_tab_is_not_repeated_by_the_other()
    {
        var admin = await host.As("admin");
        foreach (var (first, phone) in new[] { ("Xenia", "(212) 555-0144"), ("Yusuf", "(212) 555-0145") })
            (await admin.PostAsJsonAsync("/api/v1/leads", new { firstName = first, lastName = "Twotabs", phone, status = "unqualified", ownerId = host.Tenant.Users["manager"] }))
                .EnsureSuccessStatusCode();
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));
        await ui.Page.GotoAsync("/dialer");
        await ui.Page.GetByLabel("Queue name").FillAsync("Second thoughts");
        await ui.Page.GetByLabel("Unqualified").CheckAsync();
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save and start" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("dialer-lead")).ToContainTextAsync("Xenia Twotabs");
        ui.Page.Url.ShouldMatch("/dialer\\?session=[0-9a-f-]{36}$");

        var second = await ui.Context.NewPageAsync();
        await second.GotoAsync("/dialer");
        var item = second.GetByTestId("queue-item").Filter(new() { HasText = "Second thoughts" });
        await Expect(item.GetByTestId("start-queue")).ToHaveTextAsync("Resume session");
        await item.GetByTestId("start-queue").ClickAsync();
        await Expect(second.GetByTestId("dialer-lead")).ToContainTextAsync("Xenia Twotabs");
        second.Url.ShouldBe(ui.Page.Url);
        await second.GetByTestId("skip").ClickAsync();
        await Expect(second.GetByTestId("dialer-lead")).ToContainTextAsync("Yusuf Twotabs");

        await ui.Page.GetByTestId("skip").ClickAsync();

        await Expect(ui.Page.GetByTestId("dialer-lead")).ToContainTextAsync("Yusuf Twotabs");
        await Expect(ui.Page.GetByTestId("dialer-notice")).ToBeVisibleAsync();
        await Expect(ui.Page.GetByTestId("session-stats")).ToContainTextAsync("1 skipped");
        await ui.Page.GetByTestId("end-session").ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Session ended: 0 call(s), 0 connected, 1 skipped.");
        await Expect(ui.Page.GetByTestId("queue-item").Filter(new() { HasText = "Second thoughts" }).GetByTestId("start-queue")).ToHaveTextAsync("Start session");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_queue_skips_leads_outside_their_calling_hours_and_never_offers_to_dial_them()
    {
        // A tenant of its own keeps the default calling hours, 08:00–21:00 in each lead's time.
        var tenant = await host.CreateTenantAsync("hours");
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        var night = CallingZones.WhereItIs(3, DateTimeOffset.UtcNow);
        var day = CallingZones.WhereItIs(12, DateTimeOffset.UtcNow);
        foreach (var (first, phone, zone) in new[] { ("Nadia", "(212) 555-0161", night), ("Dara", "(212) 555-0162", day), ("Nico", "(212) 555-0163", night) })
            (await admin.PostAsJsonAsync("/api/v1/leads", new { firstName = first, lastName = "Zoned", phone, timeZone = zone, ownerId = tenant.Users["agent"] }))
                .EnsureSuccessStatusCode();

        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(tenant.Email("agent"));
        await ui.Page.GotoAsync("/dialer");
        await ui.Page.GetByLabel("Queue name").FillAsync("Around the world");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save and start" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("dialer-lead")).ToContainTextAsync("Dara Zoned");
        await Expect(ui.Page.GetByTestId("dial")).ToBeVisibleAsync();
        await Expect(ui.Page.GetByTestId("queue-skipped")).ToContainTextAsync("2 outside their calling hours");
        await ui.Page.GetByTestId("skip").ClickAsync();

        var waiting = ui.Page.GetByTestId("queue-waiting");
        await Expect(waiting).ToContainTextAsync("Nothing callable now");
        await Expect(ui.Page.GetByTestId("next-callable")).ToContainTextAsync($"Next callable lead at 08:00 their time ({night})");
        await Expect(ui.Page.GetByTestId("dial")).ToHaveCountAsync(0);
        await Expect(ui.Page.GetByTestId("dialer-lead")).ToHaveCountAsync(0);
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { } dir)
            await ui.Page.ScreenshotAsync(new() { Path = Path.Combine(dir, "dialer-nothing-callable.png"), FullPage = true });
        await ui.Page.GetByRole(AriaRole.Link, new() { Name = "Check again" }).ClickAsync();
        await Expect(waiting).ToBeVisibleAsync();
        await Expect(ui.Page.GetByTestId("dial")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Readonly_user_cannot_open_the_dialer()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("readonly"));

        await ui.Page.GotoAsync("/dialer");

        await Expect(ui.Page.GetByRole(AriaRole.Heading, new() { Name = "You don't have access to this page" })).ToBeVisibleAsync();
        await Expect(ui.Page.GetByLabel("Queue name")).ToHaveCountAsync(0);
    }
}
