using System.Net.Http.Json;
namespace Switchboard.BrowserTests;

public sealed class DebugTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Dump()
    {
        using var api = await host.LoginAsync(host.Tenant.Email("admin"));
        string[] names = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov", "Donald Knuth"];
        string[] statuses = ["new", "contacted", "qualified", "unqualified", "converted", "new"];
        for (var i = 0; i < names.Length; i++)
        {
            var parts = names[i].Split(' ');
            (await api.PostAsJsonAsync("/api/v1/leads", new { firstName = parts[0], lastName = parts[1], company = $"{parts[1]} Computing", email = $"{parts[0].ToLower()}@example.com", phone = $"(415) 555-01{i:00}", status = statuses[i], ownerId = host.Tenant.Users[i % 2 == 0 ? "agent" : "manager"] })).EnsureSuccessStatusCode();
        }
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));
        await ui.Page.ScreenshotAsync(new() { Path = "/tmp/leads.png", FullPage = true });
        await ui.Page.GetByRole(AriaRole.Link, new() { Name = "Ada Lovelace" }).ClickAsync();
        await ui.Page.GetByRole(AriaRole.Link, new() { Name = "Edit", Exact = true }).ClickAsync();
        await ui.Page.GetByLabel("Status").SelectOptionAsync("qualified");
        await ui.Page.GetByLabel("Phone").FillAsync("12");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await ui.Page.ScreenshotAsync(new() { Path = "/tmp/edit-error.png", FullPage = true });
        await ui.Page.GetByLabel("Phone").FillAsync("(415) 555-0111");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await ui.Page.ScreenshotAsync(new() { Path = "/tmp/detail.png", FullPage = true });
        await ui.Page.GotoAsync("/users");
        await ui.Page.ScreenshotAsync(new() { Path = "/tmp/users.png", FullPage = true });
        await ui.Page.GotoAsync("/audit");
        await ui.Page.ScreenshotAsync(new() { Path = "/tmp/audit.png", FullPage = true });
        await ui.Page.GotoAsync("/leads");
        await ui.Page.GetByTestId("tenant-switcher").ClickAsync();
        await ui.Page.ScreenshotAsync(new() { Path = "/tmp/switcher.png" });
        await ui.Page.SetViewportSizeAsync(390, 844);
        await ui.Page.Keyboard.PressAsync("Escape");
        await ui.Page.ScreenshotAsync(new() { Path = "/tmp/mobile.png", FullPage = true });
        await using var root = await host.OpenAsync();
        await root.SignInAsync(BrowserHost.SuperadminEmail);
        await root.Page.GotoAsync("/tenants");
        await root.Page.ScreenshotAsync(new() { Path = "/tmp/tenants.png", FullPage = true });
        await File.WriteAllTextAsync("/tmp/problems.txt", string.Join("\n", ui.Problems.Concat(root.Problems)));
    }
}
