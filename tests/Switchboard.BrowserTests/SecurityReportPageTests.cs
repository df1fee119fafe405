using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>The security report (/settings/security/report): an administrator opens it from the Security page's tabs and follows a finding.</summary>
public sealed class SecurityReportPageTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Admin_opens_the_report_from_the_security_page_and_sees_who_lacks_two_factor_sign_in()
    {
        var tenant = await host.CreateTenantAsync("secreport");
        await using var admin = await host.OpenAsync();
        await admin.SignInAsync(tenant.Email("admin"));
        await admin.Page.GotoAsync("/settings/security");

        await admin.Page.GetByTestId("security-tabs").GetByRole(AriaRole.Link, new() { Name = "Report" }).ClickAsync();

        await Expect(admin.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/settings/security/report$"));
        var summary = admin.Page.GetByTestId("security-summary");
        await Expect(summary).ToContainTextAsync("Members5");
        await Expect(summary).ToContainTextAsync("Without two-factor5");
        await Expect(admin.Page.GetByTestId("report-no-2fa").GetByTestId("report-member")).ToHaveCountAsync(5);
        await Expect(admin.Page.GetByTestId("report-failed")).ToContainTextAsync("None.");
        await admin.ScreenshotAsync("settings-security-report.png");

        await admin.Page.GetByTestId("report-admins").GetByRole(AriaRole.Link, new() { Name = "admin User" }).ClickAsync();
        await Expect(admin.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/users#user-{tenant.Users["admin"]}$"));
    }
}
