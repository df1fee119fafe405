using Switchboard.Testing;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>The browser host with a real OpenID Connect provider beside it (<see cref="TestOpenIdProvider"/>).</summary>
public sealed class SsoBrowserHost : BrowserHost
{
    public TestOpenIdProvider Provider { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Provider = await TestOpenIdProvider.StartForAsync(BaseAddress);
    }

    public override async Task DisposeAsync()
    {
        await Provider.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>Single sign-on in a browser (ADR 0047): an administrator sets it up on /settings/sso, a person signs in with "Sign in with SSO".</summary>
public sealed class SsoPageTests(SsoBrowserHost host) : IClassFixture<SsoBrowserHost>
{
    [Fact]
    public async Task Admin_sets_up_the_provider_and_a_new_person_signs_in_through_its_login_page()
    {
        var tenant = await host.CreateTenantAsync("ssopage");
        await using var admin = await host.OpenAsync();
        await admin.SignInAsync(tenant.Email("admin"));
        await admin.Page.GetByRole(AriaRole.Link, new() { Name = "Security", Exact = true }).ClickAsync();
        await admin.Page.GetByTestId("security-tabs").GetByRole(AriaRole.Link, new() { Name = "Single sign-on" }).ClickAsync();
        await Expect(admin.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/settings/sso$"));

        await admin.Page.GetByLabel("Issuer URL").FillAsync(host.Provider.Issuer);
        await admin.Page.GetByLabel("Client ID").FillAsync(TestOpenIdProvider.ClientId);
        await admin.Page.GetByLabel("Client secret").FillAsync(TestOpenIdProvider.ClientSecret);
        await admin.Page.GetByLabel("Allowed email domains").FillAsync($"{tenant.Slug}.test");
        await admin.Page.GetByLabel("Create an account for a person").CheckAsync();
        await admin.Page.GetByLabel("Role of a new member").SelectOptionAsync("manager");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Save single sign-on" }).ClickAsync();
        await Expect(admin.Page.GetByTestId("flash")).ToContainTextAsync("Single sign-on settings were saved.");
        await Expect(admin.Page.GetByTestId("sso-secret-state")).ToContainTextAsync("set");
        (await admin.Page.ContentAsync()).ShouldNotContain(TestOpenIdProvider.ClientSecret);
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Expect(admin.Page.GetByTestId("sso-test")).ToContainTextAsync("Connected to");
        await admin.ScreenshotAsync("settings-sso.png");

        host.Provider.Add(new TestIdpUser($"newcomer@{tenant.Slug}.test", "Nia", "Newcomer"));
        await using var person = await host.OpenAsync();
        await person.Page.GotoAsync("/signin");
        await person.Page.GetByLabel("Email", new() { Exact = true }).FillAsync($"newcomer@{tenant.Slug}.test");
        await person.ScreenshotAsync("signin-with-sso.png");
        await person.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in with SSO" }).ClickAsync();
        await Expect(person.Page.GetByRole(AriaRole.Heading, new() { Name = "Test identity provider" })).ToBeVisibleAsync();
        await person.Page.GetByLabel("Email").FillAsync($"newcomer@{tenant.Slug}.test");
        await person.Page.GetByLabel("Password").FillAsync(TestOpenIdProvider.Password);
        await person.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(person.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("^[^?#]*/$"));
        // Signed in: the profile opens instead of the sign-in page.
        await person.Page.GotoAsync("/profile");
        await Expect(person.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/profile$"));
        person.Problems.ShouldBeEmpty();
        admin.Problems.ShouldBeEmpty();
    }
}
