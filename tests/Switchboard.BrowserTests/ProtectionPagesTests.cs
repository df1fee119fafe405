using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>
/// The pages of rate limits and IP rules (ADR 0046): a workspace's allowlist on the Security page and the page a person
/// outside it sees; a superadmin's API limits page of a tenant and the IP blocks page. A browser "comes from" another
/// address through X-Forwarded-For, which the app trusts from loopback.
/// </summary>
public sealed class ProtectionPagesTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Admin_sets_an_allowlist_after_being_told_it_would_lock_them_out_and_a_member_elsewhere_is_turned_away()
    {
        var tenant = await host.CreateTenantAsync("allowpage");
        await using var admin = await host.OpenAsync();
        await admin.SignInAsync(tenant.Email("admin"));
        await admin.Page.GotoAsync("/settings/security");

        await admin.Page.GetByLabel("Allowed IP addresses").FillAsync("203.0.113.0/24");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Save security settings" }).ClickAsync();
        await Expect(admin.Page.Locator("#ipAllowlist-error")).ToContainTextAsync("Your current address (127.0.0.1) is not in the list");
        await admin.ScreenshotAsync("settings-security-allowlist-refused.png");
        await admin.Page.GetByLabel("Allowed IP addresses").FillAsync("127.0.0.1\n203.0.113.0/24");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Save security settings" }).ClickAsync();
        await Expect(admin.Page.GetByTestId("flash")).ToContainTextAsync("Security settings were saved.");
        await Expect(admin.Page.GetByLabel("Allowed IP addresses")).ToHaveValueAsync("127.0.0.1/32\n203.0.113.0/24");
        await admin.ScreenshotAsync("settings-security-allowlist.png");
        admin.Problems.ShouldBeEmpty();

        await using var agent = await host.OpenAsync();
        await agent.SignInAsync(tenant.Email("agent"));
        await agent.Context.SetExtraHTTPHeadersAsync([new("X-Forwarded-For", "198.51.100.9")]);
        var response = await agent.Page.GotoAsync("/leads");
        response!.Status.ShouldBe(403);
        await Expect(agent.Page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed from this address" })).ToBeVisibleAsync();
        await agent.ScreenshotAsync("allowlist-refused.png");
    }

    [Fact]
    public async Task Superadmin_changes_a_tenants_api_limits_and_blocks_then_lifts_an_address()
    {
        var tenant = await host.CreateTenantAsync("limitpage");
        await using var root = await host.OpenAsync();
        await root.SignInAsync(BrowserHost.SuperadminEmail);
        await root.Page.GotoAsync("/tenants");
        await root.ScreenshotAsync("tenants-list.png");
        var row = root.Page.GetByTestId("tenant-table").GetByRole(AriaRole.Row).Filter(new() { HasText = tenant.Slug });
        await row.GetByRole(AriaRole.Link, new() { Name = "API limits" }).ClickAsync();
        await Expect(root.Page).ToHaveURLAsync(new Regex($"/tenants/{tenant.Id}/limits$"));

        var perUser = root.Page.GetByRole(AriaRole.Group, new() { Name = "Per user" });
        await perUser.GetByLabel("Requests per second").FillAsync("20");
        await perUser.GetByLabel("Burst (requests at once)").FillAsync("5");
        await root.Page.GetByRole(AriaRole.Button, new() { Name = "Save rate limits" }).ClickAsync();
        await Expect(root.Page.Locator("#userBurst-error")).ToHaveTextAsync("The burst (5) must be at least the rate per second (20).");
        await perUser.GetByLabel("Burst (requests at once)").FillAsync("80");
        await root.Page.GetByRole(AriaRole.Button, new() { Name = "Save rate limits" }).ClickAsync();
        await Expect(root.Page.GetByTestId("flash")).ToContainTextAsync($"The API rate limits of Tenant {tenant.Slug} were saved.");
        await Expect(perUser).ToContainTextAsync("Now: 20 a second, bursts of 80.");
        await root.ScreenshotAsync("tenant-api-limits.png");

        await root.Page.GetByRole(AriaRole.Link, new() { Name = "IP blocks" }).ClickAsync();
        await root.Page.GetByLabel("Address or CIDR block").FillAsync("198.51.100.0/24");
        await root.Page.GetByLabel("Reason").FillAsync("Password spraying seen in the sign-in log");
        await root.Page.GetByLabel("Block for").SelectOptionAsync("7 days");
        await root.Page.GetByRole(AriaRole.Button, new() { Name = "Block", Exact = true }).ClickAsync();
        await Expect(root.Page.GetByTestId("flash")).ToContainTextAsync("198.51.100.0/24 is blocked.");
        await root.ScreenshotAsync("ip-blocks.png");

        await using var stranger = await host.OpenAsync();
        await stranger.Context.SetExtraHTTPHeadersAsync([new("X-Forwarded-For", "198.51.100.40")]);
        var refused = await stranger.Page.GotoAsync("/signin");
        refused!.Status.ShouldBe(403);
        await Expect(stranger.Page.GetByRole(AriaRole.Heading, new() { Name = "Your address is blocked" })).ToBeVisibleAsync();
        await stranger.ScreenshotAsync("ip-blocked.png");

        await root.Page.GetByTestId("ip-block-row").Filter(new() { HasText = "198.51.100.0/24" }).GetByRole(AriaRole.Button, new() { Name = "Lift" }).ClickAsync();
        await Expect(root.Page.GetByTestId("flash")).ToContainTextAsync("The block of 198.51.100.0/24 was lifted.");
        (await stranger.Page.GotoAsync("/signin"))!.Status.ShouldBe(200);
        root.Problems.ShouldBeEmpty();
    }
}
