using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

// TEMPORARY: screenshots of the home pages, deleted before the last commit.
public sealed class TempHomeScreenshots(HomePageTests.Host host) : IClassFixture<HomePageTests.Host>
{
    [Fact]
    public async Task Shots()
    {
        foreach (var (email, name) in new[] { (host.Tenant.Email("agent"), "agent"), (host.Tenant.Email("manager"), "manager"), (host.Fresh.Email("manager"), "fresh-manager"), (host.Fresh.Email("agent"), "fresh-agent") })
        {
            await using var ui = await host.OpenAsync();
            await ui.SignInAsync(email);
            await ui.Page.GotoAsync("/");
            if (name == "manager") await ui.Page.WaitForFunctionAsync("() => window.Chart && window.Chart.getChart(document.querySelector('canvas[data-home-chart=connect-rate]'))");
            await ui.Page.WaitForTimeoutAsync(700);
            await ui.Page.ScreenshotAsync(new() { Path = $"/tmp/home-{name}.png", FullPage = true });
            if (name == "agent")
            {
                await ui.Page.SetViewportSizeAsync(390, 844);
                await ui.Page.ScreenshotAsync(new() { Path = "/tmp/home-agent-phone.png", FullPage = true });
            }
            File.WriteAllText($"/tmp/home-{name}.problems.txt", string.Join("\n", ui.Problems));
        }
    }
}
