using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

public sealed class LeadPagesTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Manager_creates_a_lead_and_finds_it_by_typing_in_search()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));
        await ui.Page.GotoAsync("/leads");
        await Expect(ui.Page.GetByRole(AriaRole.Heading, new() { Name = "Leads", Exact = true })).ToBeVisibleAsync();

        await ui.Page.GetByTestId("new-lead").ClickAsync();
        await ui.Page.GetByLabel("First name").FillAsync("Grace");
        await ui.Page.GetByLabel("Last name").FillAsync("Hopperwick");
        await ui.Page.GetByLabel("Company").FillAsync("Cobol Works");
        await ui.Page.GetByLabel("Phone").FillAsync("(415) 555-0199");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Create lead" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Lead created.");
        await Expect(ui.Page.GetByTestId("lead-name")).ToHaveTextAsync("Grace Hopperwick");
        var phone = ui.Page.GetByRole(AriaRole.Link, new() { Name = "(415) 555-0199" });
        await Expect(phone).ToBeVisibleAsync();
        await Expect(phone).ToHaveAttributeAsync("href", "tel:+14155550199");

        await ui.Page.GotoAsync("/leads");
        await ui.Page.Locator("input[data-search]").PressSequentiallyAsync("hopperw");

        await Expect(ui.Page).ToHaveURLAsync(new Regex("search=hopperw"));
        await Expect(ui.Page.GetByTestId("lead-table").GetByRole(AriaRole.Link, new() { Name = "Grace Hopperwick" })).ToBeVisibleAsync();
        await Expect(ui.Page.GetByTestId("lead-total")).ToHaveTextAsync("1 lead");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Search_without_matches_shows_an_empty_state()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));
        await ui.Page.GotoAsync("/leads");

        await ui.Page.Locator("input[data-search]").FillAsync("zz-no-such-lead-zz");

        await Expect(ui.Page.GetByTestId("empty-state")).ToContainTextAsync("No leads match");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Lead_form_shows_validation_errors_next_to_the_fields()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));
        await ui.Page.GotoAsync("/leads/new");

        await ui.Page.GetByLabel("First name").FillAsync("Nameless");
        await ui.Page.GetByLabel("Email").FillAsync("not-an-email");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Create lead" }).ClickAsync();

        await Expect(ui.Page.Locator("#lastName-error")).ToHaveTextAsync("Last name is required.");
        await Expect(ui.Page.Locator("#email-error")).ToContainTextAsync("is not a valid email address");
        await Expect(ui.Page.GetByLabel("First name")).ToHaveValueAsync("Nameless");
        await Expect(ui.Page.GetByLabel("Owner")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Lead_named_with_markup_renders_as_literal_text_on_the_list_and_detail_pages()
    {
        const string markup = "<img src=x onerror=alert(1)>";
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));
        await ui.Page.GotoAsync("/leads/new");
        await ui.Page.GetByLabel("Last name").FillAsync(markup);
        await ui.Page.GetByLabel("Company").FillAsync(markup);
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Create lead" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("lead-name")).ToHaveTextAsync(markup);
        await Expect(ui.Page.GetByTestId("lead-history")).ToContainTextAsync("created the lead");
        await Expect(ui.Page.Locator("main img")).ToHaveCountAsync(0);

        await ui.Page.GotoAsync("/leads?search=" + Uri.EscapeDataString("onerror"));
        var table = ui.Page.GetByTestId("lead-table");
        await Expect(table.GetByRole(AriaRole.Link, new() { Name = markup })).ToBeVisibleAsync();
        await Expect(table.GetByText(markup, new() { Exact = true })).ToHaveCountAsync(2);
        await Expect(ui.Page.Locator("img")).ToHaveCountAsync(0);
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Readonly_user_sees_no_new_lead_button_and_cannot_open_the_form()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("readonly"));
        await ui.Page.GotoAsync("/leads");

        await Expect(ui.Page.GetByRole(AriaRole.Heading, new() { Name = "Leads", Exact = true })).ToBeVisibleAsync();
        await Expect(ui.Page.GetByTestId("new-lead")).ToHaveCountAsync(0);

        await ui.Page.GotoAsync("/leads/new");
        await Expect(ui.Page).ToHaveURLAsync(new Regex("/forbidden"));
    }

    [Fact]
    public async Task Admin_edits_a_lead_and_sees_the_change_in_its_history()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));
        await ui.Page.GotoAsync("/leads/new");
        await ui.Page.GetByLabel("Last name").FillAsync("Editable");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Create lead" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("lead-name")).ToHaveTextAsync("Editable");

        await ui.Page.GetByRole(AriaRole.Link, new() { Name = "Edit", Exact = true }).ClickAsync();
        await ui.Page.GetByLabel("Status").SelectOptionAsync("qualified");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Changes saved.");
        await Expect(ui.Page.GetByTestId("lead-history")).ToContainTextAsync("Status New → Qualified");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Manager_converts_a_lead_from_its_page_and_follows_the_link_to_the_new_contact()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));
        await ui.Page.GotoAsync("/leads/new");
        await ui.Page.GetByLabel("First name").FillAsync("Katherine");
        await ui.Page.GetByLabel("Last name").FillAsync("Convertson");
        await ui.Page.GetByLabel("Company").FillAsync("Orbit Labs");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Create lead" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("lead-name")).ToHaveTextAsync("Katherine Convertson");

        await ui.Page.GetByText("Convert", new() { Exact = true }).ClickAsync();
        await ui.Page.GetByTestId("convert-create-opportunity").CheckAsync();
        await ui.Page.GetByLabel("Opportunity name").FillAsync("Orbit launch");
        await ui.Page.GetByLabel("Amount").FillAsync("1200");
        await ui.Page.GetByTestId("convert-submit").ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Lead converted.");
        await Expect(ui.Page.GetByTestId("lead-converted")).ToBeVisibleAsync();
        await Expect(ui.Page.GetByTestId("converted-opportunity")).ToBeVisibleAsync();
        await Expect(ui.Page.GetByTestId("convert-lead")).ToHaveCountAsync(0);

        // The new opportunity's page names what it was linked to, and its edit form carries its own heading.
        await ui.Page.GetByTestId("converted-opportunity").ClickAsync();
        await Expect(ui.Page.GetByTestId("opportunity-account")).ToHaveTextAsync("Orbit Labs");
        await Expect(ui.Page.GetByTestId("opportunity-contact")).ToHaveTextAsync("Katherine Convertson");
        await Expect(ui.Page.GetByRole(AriaRole.Form, new() { Name = "Edit" }).GetByRole(AriaRole.Heading, new() { Name = "Edit" })).ToBeVisibleAsync();
        await ui.Page.GoBackAsync();

        await ui.Page.GetByTestId("converted-contact").ClickAsync();
        await Expect(ui.Page.GetByTestId("contact-name")).ToHaveTextAsync("Katherine Convertson");
        ui.Problems.ShouldBeEmpty();
    }
}
