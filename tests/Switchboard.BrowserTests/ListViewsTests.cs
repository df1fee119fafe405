using System.Net.Http.Json;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>The list tool bar: choosing columns, filtering, saving the list as a view and opening it again.</summary>
public sealed class ListViewsTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task A_manager_chooses_columns_saves_the_view_and_reopens_it()
    {
        var manager = await host.As("manager");
        var tag = Guid.NewGuid().ToString("N")[..8];
        (await manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Viewable", company = $"Views {tag}", title = "Chief Viewer", status = "qualified" })).EnsureSuccessStatusCode();
        (await manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Hidden", company = $"Views {tag}", status = "new" })).EnsureSuccessStatusCode();
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));
        await ui.Page.GotoAsync($"/leads?search={tag}");
        var table = ui.Page.GetByTestId("lead-table");

        await ui.Page.GetByTestId("column-menu").ClickAsync();
        await ui.Page.GetByTestId("column-title").CheckAsync();
        await ui.Page.GetByTestId("column-phone").UncheckAsync();
        await ui.Page.GetByTestId("apply-columns").ClickAsync();
        await Expect(table.GetByRole(AriaRole.Columnheader, new() { Name = "Title" })).ToBeVisibleAsync();
        await Expect(table.GetByRole(AriaRole.Columnheader, new() { Name = "Phone" })).ToHaveCountAsync(0);

        await ui.Page.GetByTestId("filter-menu").ClickAsync();
        await ui.Page.GetByTestId("filter-field").SelectOptionAsync("status");
        await ui.Page.GetByTestId("filter-op").SelectOptionAsync("eq");
        await ui.Page.GetByTestId("filter-value").FillAsync("qualified");
        await ui.Page.GetByTestId("add-filter").ClickAsync();
        await Expect(ui.Page.GetByTestId("active-filters")).ToContainTextAsync("Status is qualified");
        await Expect(table.GetByRole(AriaRole.Link, new() { Name = "Hidden" })).ToHaveCountAsync(0);

        await ui.Page.GetByTestId("save-view-menu").ClickAsync();
        await ui.Page.GetByTestId("view-name").FillAsync($"Qualified {tag}");
        await ui.Page.GetByTestId("save-view").ClickAsync();
        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync($"Saved the view “Qualified {tag}”.");

        await ui.Page.GotoAsync("/leads");
        await Expect(ui.Page.GetByTestId("lead-table").GetByRole(AriaRole.Columnheader, new() { Name = "Title" })).ToHaveCountAsync(0);
        await ui.Page.GetByTestId("view-picker").SelectOptionAsync(new SelectOptionValue { Label = $"Qualified {tag}" });

        await Expect(ui.Page).ToHaveURLAsync(new Regex("view="));
        var reopened = ui.Page.GetByTestId("lead-table");
        await Expect(reopened.GetByRole(AriaRole.Columnheader, new() { Name = "Title" })).ToBeVisibleAsync();
        await Expect(reopened.GetByRole(AriaRole.Columnheader, new() { Name = "Phone" })).ToHaveCountAsync(0);
        await Expect(reopened.GetByRole(AriaRole.Link, new() { Name = "Viewable" })).ToBeVisibleAsync();
        await Expect(reopened.GetByRole(AriaRole.Cell, new() { Name = "Chief Viewer" })).ToBeVisibleAsync();
        await Expect(reopened.GetByRole(AriaRole.Link, new() { Name = "Hidden" })).ToHaveCountAsync(0);
        await Expect(ui.Page.GetByTestId("export-csv")).ToHaveAttributeAsync("href", new Regex("handler=export.*filter.status=eq%3Aqualified"));
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_custom_column_sorts_by_its_value_when_its_header_is_clicked()
    {
        var admin = await host.As("admin");
        var tag = Guid.NewGuid().ToString("N")[..8];
        var seats = "seats" + tag;
        (await admin.PostAsJsonAsync("/api/v1/custom-fields", new { entity = "account", key = seats, label = "Seats", type = "number" })).EnsureSuccessStatusCode();
        foreach (var (name, count) in new[] { ("Ninety", 90), ("Nine hundred", 900), ("Nine", 9) })
            (await admin.PostAsJsonAsync("/api/v1/accounts", new { name = $"{name} {tag}", custom = new Dictionary<string, object> { [seats] = count } })).EnsureSuccessStatusCode();
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));
        await ui.Page.GotoAsync($"/accounts?q={tag}&columns=custom.{seats}");
        var table = ui.Page.GetByTestId("account-table");
        var names = table.Locator("tbody tr .row-link");

        await table.GetByRole(AriaRole.Link, new() { Name = "Seats" }).ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(new Regex($"sort=custom.{seats}"));
        await Expect(names).ToHaveTextAsync([$"Nine {tag}", $"Ninety {tag}", $"Nine hundred {tag}"]);

        await table.GetByRole(AriaRole.Link, new() { Name = "Seats" }).ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(new Regex($"sort=-custom.{seats}"));
        await Expect(names).ToHaveTextAsync([$"Nine hundred {tag}", $"Ninety {tag}", $"Nine {tag}"]);
        await Expect(table.GetByRole(AriaRole.Columnheader, new() { Name = "Seats" })).ToHaveAttributeAsync("aria-sort", "descending");
        await Expect(table.Locator("tbody tr").First).ToContainTextAsync("900");
        await Expect(table.Locator("tbody tr").First).Not.ToContainTextAsync("900.00");
        ui.Problems.ShouldBeEmpty();
    }
}
