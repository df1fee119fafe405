using Switchboard.Testing;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>The LDAP sign-in settings page (/settings/ldap) against Debian's slapd: a mistake named, saved, tested, and a directory member signs in.</summary>
public sealed class LdapPageTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Admin_connects_the_workspace_to_the_directory_and_a_member_signs_in_with_the_directory_password()
    {
        await using var directory = await TestSlapd.StartAsync();
        var tenant = await host.CreateTenantAsync("ldappage");
        await directory.AddPersonAsync($"agent-{tenant.Slug}", tenant.Email("agent"), "Directory-orchard-58", "sales");
        await using var admin = await host.OpenAsync();
        await admin.SignInAsync(tenant.Email("admin"));
        await admin.Page.GetByRole(AriaRole.Link, new() { Name = "Security", Exact = true }).ClickAsync();
        await admin.Page.GetByTestId("security-tabs").GetByRole(AriaRole.Link, new() { Name = "LDAP" }).ClickAsync();
        await Expect(admin.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/settings/ldap$"));

        var page = admin.Page;
        await page.GetByLabel("Members sign in with their directory password").CheckAsync();
        await page.GetByLabel("Host", new() { Exact = true }).FillAsync("127.0.0.1");
        await page.GetByLabel("Port", new() { Exact = true }).FillAsync(directory.LdapPort.ToString());
        await page.GetByLabel("Connection security").SelectOptionAsync("starttls");
        await page.GetByLabel("CA certificate (PEM, optional)").FillAsync(directory.CaPem);
        await page.GetByLabel("Search base", new() { Exact = true }).FillAsync(TestSlapd.People);
        await page.GetByLabel("Search filter", new() { Exact = true }).FillAsync("mail={email}");
        await page.GetByLabel("Service account DN (optional)").FillAsync(TestSlapd.ServiceDn);
        await page.GetByLabel("Service account password").FillAsync(TestSlapd.ServicePassword);
        await page.GetByLabel("Where a person's groups come from").SelectOptionAsync("member-of");
        await page.GetByLabel("Group → role").FillAsync($"manager: {TestSlapd.GroupDn("sales")}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save LDAP settings" }).ClickAsync();
        await Expect(page.Locator("#searchFilter-error")).ToContainTextAsync("Give a filter in parentheses");
        await admin.ScreenshotAsync("settings-ldap-mistake.png");

        await page.GetByLabel("Search filter", new() { Exact = true }).FillAsync("(mail={email})");
        await page.GetByLabel("Service account password").FillAsync(TestSlapd.ServicePassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save LDAP settings" }).ClickAsync();
        await Expect(page.GetByTestId("flash")).ToContainTextAsync("LDAP settings were saved.");
        await Expect(page.GetByLabel("Service account password")).ToHaveValueAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Expect(page.GetByTestId("ldap-test")).ToContainTextAsync("Connection test passed");
        await admin.ScreenshotAsync("settings-ldap.png");

        await using var agent = await host.OpenAsync();
        await agent.SignInAsync(tenant.Email("agent"), "Directory-orchard-58");
        await Expect(agent.Page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
    }
}
