namespace Switchboard.BrowserTests;

public sealed class DebugTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Dump()
    {
        using var client = host.CreateClient();
        var r = await client.GetAsync("/signin");
        await File.WriteAllTextAsync("/tmp/signin.html", (int)r.StatusCode + "\n" + r.Headers + "\n" + await r.Content.ReadAsStringAsync());
        await using var ui = await host.OpenAsync();
        await ui.Page.GotoAsync("/signin");
        await ui.Page.ScreenshotAsync(new() { Path = "/tmp/signin.png", FullPage = true });
        await File.WriteAllTextAsync("/tmp/signin-browser.html", await ui.Page.ContentAsync() + "\n<!--" + string.Join("\n", ui.Problems) + "-->");
    }
}
