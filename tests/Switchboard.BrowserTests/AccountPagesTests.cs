using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

public sealed class AccountPagesTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Manager_creates_an_account_then_a_contact_there_and_sees_it_on_the_account_page()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));

        await ui.Page.GotoAsync("/accounts");
        await ui.Page.GetByTestId("new-account").ClickAsync();
        await ui.Page.GetByLabel("Name", new() { Exact = true }).FillAsync("Initech Widgets");
        await ui.Page.GetByLabel("Domain").FillAsync("https://www.Initech.example/home");
        await ui.Page.GetByLabel("Phone").FillAsync("(415) 555-0123");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Account created.");
        await Expect(ui.Page.GetByTestId("account-name")).ToHaveTextAsync("Initech Widgets");
        await Expect(ui.Page.GetByText("initech.example").First).ToBeVisibleAsync();

        await ui.Page.GetByTestId("add-contact").ClickAsync();
        await Expect(ui.Page.GetByLabel("Account")).ToHaveValueAsync("Initech Widgets");
        await Expect(ui.Page.Locator("input[type=hidden][name='Form.AccountId']")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^[0-9a-f-]{36}$"));
        await ui.Page.GetByLabel("First name").FillAsync("Peter");
        await ui.Page.GetByLabel("Last name").FillAsync("Gibbons");
        await ui.Page.GetByLabel("Emails").FillAsync("Peter@Initech.example");
        await ui.Page.GetByLabel("Phones").FillAsync("(415) 555-0124");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Create contact" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Contact created.");
        await Expect(ui.Page.GetByTestId("contact-name")).ToHaveTextAsync("Peter Gibbons");
        await ui.Page.GetByTestId("contact-account").ClickAsync();

        await Expect(ui.Page.GetByTestId("account-name")).ToHaveTextAsync("Initech Widgets");
        var contacts = ui.Page.GetByTestId("account-contacts");
        await Expect(contacts.GetByRole(AriaRole.Link, new() { Name = "Peter Gibbons" })).ToBeVisibleAsync();
        await Expect(contacts).ToContainTextAsync("peter@initech.example");

        await ui.Page.GotoAsync("/contacts");
        await ui.Page.Locator("input[data-search]").PressSequentiallyAsync("gibbo");
        await Expect(ui.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("q=gibbo"));
        await Expect(ui.Page.GetByTestId("contact-total")).ToHaveTextAsync("1 contact");
        await ui.Page.GotoAsync("/accounts?q=initech");
        await Expect(ui.Page.GetByTestId("account-table").GetByRole(AriaRole.Link, new() { Name = "Initech Widgets" })).ToBeVisibleAsync();
        ui.Problems.ShouldBeEmpty();
    }
}
