using Switchboard.Testing;

namespace Switchboard.BrowserTests;

/// <summary>
/// The real app (<see cref="SwitchboardHost"/>: Kestrel over a fresh PostgreSQL database) plus Debian's Chromium
/// driven by Playwright, and one tenant with a user per role. A class fixture: one per test class.
/// </summary>
public class BrowserHost : SwitchboardHostWithTenant
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Chromium is not installed at {ChromiumPath}. Install it with: apt-get install -y chromium fonts-liberation (./switchboard does this).");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A fresh browser context (own cookies) on a page that records script errors and CSP violations.</summary>
    public async Task<UiSession> OpenAsync()
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = BaseAddress.ToString().TrimEnd('/'), ViewportSize = new() { Width = 1360, Height = 900 } });
        var page = await context.NewPageAsync();
        return new UiSession(context, page);
    }

    /// <summary>
    /// A fresh browser context on http://localhost:PORT rather than 127.0.0.1: WebAuthn binds passkeys to a domain and
    /// refuses IP addresses, and browsers treat localhost as a secure context (ADR 0050).
    /// </summary>
    public async Task<UiSession> OpenOnLocalhostAsync()
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = $"http://localhost:{BaseAddress.Port}", ViewportSize = new() { Width = 1360, Height = 900 } });
        return new UiSession(context, await context.NewPageAsync());
    }

    /// <summary>A phone: 390×844 CSS pixels, a touch screen and a mobile viewport.</summary>
    public async Task<UiSession> OpenPhoneAsync()
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseAddress.ToString().TrimEnd('/'), ViewportSize = new() { Width = 390, Height = 844 }, DeviceScaleFactor = 2, IsMobile = true, HasTouch = true,
        });
        return new UiSession(context, await context.NewPageAsync());
    }
}

public sealed class UiSession : IAsyncDisposable
{
    private readonly List<string> _problems = [];

    public UiSession(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.PageError += (_, error) => _problems.Add("page error: " + error);
        page.Console += (_, message) => { if (message.Type == "error") _problems.Add("console error: " + message.Text); };
        page.Dialog += async (_, dialog) =>
        {
            if (AcceptDialogs)
            {
                await dialog.AcceptAsync();
                return;
            }
            _problems.Add("dialog: " + dialog.Message);
            await dialog.DismissAsync();
        };
    }

    public IBrowserContext Context { get; }

    /// <summary>Accept confirm() dialogs (a delete the test means to confirm); otherwise any dialog is a problem.</summary>
    public bool AcceptDialogs { get; set; }
    public IPage Page { get; }

    /// <summary>A full-page PNG of the page as it is, named <paramref name="name"/>, when SWITCHBOARD_SCREENSHOTS names a folder.</summary>
    public Task ScreenshotAsync(string name) => ScreenshotAsync(Page, name);

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS") is { Length: > 0 } dir)
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name), FullPage = true });
    }

    /// <summary>Script errors, console errors (CSP violations land there) and dialogs seen so far.</summary>
    public IReadOnlyList<string> Problems => _problems;

    public async Task SignInAsync(string email, string password = BrowserHost.Password)
    {
        await Page.GotoAsync("/signin");
        await Page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        // A tenant's member lands on the home page; a superadmin outside any tenant on the tenants list.
        await Assertions.Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("^[^?#]*/(tenants)?$"));
        // Scripts are deferred: wait for them so keyboard and htmx interactions have their handlers.
        await Page.WaitForLoadStateAsync(LoadState.Load);
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
