using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>The import wizard end to end: upload, remap a column, see the failing cell, run with live progress, read the result, undo.</summary>
public sealed class ImportWizardTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    // Big enough that the run takes a while, so the progress bar is on screen before the result replaces it.
    private const int Rows = 40_000;
    private static readonly TimeSpan RunDeadline = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Admin_imports_leads_with_the_wizard_watches_the_progress_and_undoes_the_import()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));
        await ui.Page.GotoAsync("/leads");
        await ui.Page.GetByRole(AriaRole.Link, new() { Name = "Import", Exact = true }).ClickAsync();

        // Upload: the file comes from memory; leads, create mode, format detected.
        await ui.Page.GetByLabel("CSV file", new() { Exact = true }).SetInputFilesAsync(new FilePayload
        {
            Name = $"prospects-{tag}.csv", MimeType = "text/csv", Buffer = Csv(tag),
        });
        await ui.Page.GetByLabel("Import as", new() { Exact = true }).SelectOptionAsync("leads");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Upload and map columns" }).ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(new Regex("/imports/[0-9a-f-]{36}$"));
        var importId = Guid.Parse(ui.Page.Url[^36..]);

        // Mapping: the suggestion knows "Surname" and "Work Email" but not "Employer"; map it to Company.
        await Expect(ui.Page.GetByLabel("Surname", new() { Exact = true })).ToHaveValueAsync("lastName");
        await Expect(ui.Page.GetByLabel("Work Email", new() { Exact = true })).ToHaveValueAsync("email");
        await Expect(ui.Page.GetByLabel("Employer", new() { Exact = true })).ToHaveValueAsync("");
        await ui.Page.GetByLabel("Employer", new() { Exact = true }).SelectOptionAsync("company");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Update preview" }).ClickAsync();

        // Preview: the remapped column is imported, and the bad email of the second row is highlighted with its reason.
        var preview = ui.Page.GetByTestId("preview-table");
        await Expect(preview.Locator("thead")).ToContainTextAsync("→ Company");
        await Expect(ui.Page.GetByLabel("Employer", new() { Exact = true })).ToHaveValueAsync("company");
        var failing = preview.GetByTestId("preview-error-cell");
        await Expect(failing).ToHaveCountAsync(1);
        await Expect(failing).ToHaveTextAsync("not-an-email");
        await Expect(failing).ToHaveAttributeAsync("data-column", "Work Email");
        await Expect(failing).ToHaveAttributeAsync("title", new Regex(".+"));
        await Expect(ui.Page.GetByTestId("preview-problems")).ToContainTextAsync("Row 3, Work Email");

        // Run: the progress bar shows while it runs, then the result replaces it without a reload.
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Start import" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("import-progress")).ToBeVisibleAsync();
        await ui.Page.EvaluateAsync("() => { window.__samePage = true; }");
        await Expect(ui.Page.GetByTestId("count-created")).ToHaveTextAsync((Rows - 1).ToString("N0"), new() { Timeout = (float)RunDeadline.TotalMilliseconds });
        await Expect(ui.Page.GetByTestId("count-failed")).ToHaveTextAsync("1");
        await Expect(ui.Page.GetByTestId("import-progress")).ToHaveCountAsync(0);
        (await ui.Page.EvaluateAsync<bool>("() => window.__samePage === true")).ShouldBeTrue("the result must replace the progress bar in place");
        (await CompanyOfAsync($"p1.{tag}@example.com")).ShouldBe($"Acme {tag}");

        // The error CSV downloads with the row that failed.
        var download = await ui.Page.RunAndWaitForDownloadAsync(() => ui.Page.GetByTestId("errors-link").ClickAsync());
        var errors = await File.ReadAllTextAsync((await download.PathAsync())!);
        errors.ShouldStartWith("row,column,value,reason");
        errors.ShouldContain("3,Work Email,not-an-email,");

        // Undo: confirmed, it deletes what the import created.
        ui.AcceptDialogs = true;
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Undo import" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("undo-result")).ToContainTextAsync($"{Rows - 1:N0} records deleted", new() { Timeout = (float)RunDeadline.TotalMilliseconds });
        await Expect(ui.Page.GetByTestId("import-status-badge")).ToHaveTextAsync("Undone");

        var admin = await host.As("admin");
        var import = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{importId}");
        import.GetProperty("status").GetString().ShouldBe("undone");
        import.GetProperty("undo").GetProperty("deleted").GetInt32().ShouldBe(Rows - 1);
        (await CompanyOfAsync($"p1.{tag}@example.com")).ShouldBeNull();
        (await CompanyOfAsync($"p{Rows}.{tag}@example.com")).ShouldBeNull();
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_value_mapping_step_lists_unknown_statuses_with_their_rows_and_suggestions_and_imports_every_row()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));
        await ui.Page.GotoAsync("/imports");
        var csv = "First Name,Last Name,Email,Lead Status,Contact owner\n" +
                  $"Ann,One,ann.{tag}@example.com,open,{host.Tenant.Email("manager")}\n" +
                  $"Bob,Two,bob.{tag}@example.com,In Progress,Manager User\n" +
                  $"Cy,Three,cy.{tag}@example.com,in progress,\n" +
                  $"Di,Four,di.{tag}@example.com,Mystery {tag},\n";
        await ui.Page.GetByLabel("CSV file", new() { Exact = true }).SetInputFilesAsync(new FilePayload
        {
            Name = $"hubspot-{tag}.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv),
        });
        await ui.Page.GetByLabel("Import as", new() { Exact = true }).SelectOptionAsync("leads");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Upload and map columns" }).ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(new Regex("/imports/[0-9a-f-]{36}$"));

        // The owner column is recognised; each unknown status is listed once with its rows and the suggestion chosen.
        await Expect(ui.Page.GetByLabel("Contact owner", new() { Exact = true })).ToHaveValueAsync("owner");
        var values = ui.Page.GetByTestId("value-table");
        await Expect(values.GetByTestId("value-row")).ToHaveCountAsync(3);
        await Expect(ui.Page.GetByLabel("In Progress", new() { Exact = true })).ToHaveValueAsync("contacted");
        await Expect(values.GetByRole(AriaRole.Row).Filter(new() { HasText = "In Progress" }).GetByTestId("value-rows")).ToHaveTextAsync("2");
        await Expect(ui.Page.GetByLabel("open", new() { Exact = true })).ToHaveValueAsync("new");
        await Expect(ui.Page.GetByLabel($"Mystery {tag}", new() { Exact = true })).ToHaveValueAsync("");
        await Expect(ui.Page.GetByTestId("values-open")).ToContainTextAsync("1 value not mapped: 1 row will not be imported");
        await Expect(ui.Page.GetByTestId("preview-problems")).ToContainTextAsync("Row 5, Lead Status");

        // Map the value nobody knows; the preview has no problem left.
        await ui.Page.GetByLabel($"Mystery {tag}", new() { Exact = true }).SelectOptionAsync("qualified");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Update preview" }).ClickAsync();
        await Expect(ui.Page.GetByLabel($"Mystery {tag}", new() { Exact = true })).ToHaveValueAsync("qualified");
        await Expect(ui.Page.GetByTestId("values-open")).ToHaveCountAsync(0);
        await Expect(ui.Page.GetByTestId("preview-clean")).ToBeVisibleAsync();

        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Start import" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("count-created")).ToHaveTextAsync("4", new() { Timeout = (float)RunDeadline.TotalMilliseconds });
        await Expect(ui.Page.GetByTestId("count-failed")).ToHaveTextAsync("0");
        var admin = await host.As("admin");
        var leads = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/leads?search={tag}&pageSize=10")).GetProperty("items").EnumerateArray()
            .ToDictionary(l => l.GetProperty("firstName").GetString()!, l => l);
        leads.Values.Select(l => l.GetProperty("status").GetString()).Order().ShouldBe(["contacted", "contacted", "new", "qualified"]);
        leads["Bob"].GetProperty("ownerId").GetGuid().ShouldBe(host.Tenant.Users["manager"]);
        ui.Problems.ShouldBeEmpty();
    }

    /// <summary>Row 3 of the file (the second lead) has an email that cannot be imported; every other row is a valid new lead.</summary>
    private static byte[] Csv(string tag)
    {
        var csv = new StringBuilder("First Name,Surname,Work Email,Employer,Favourite colour\n");
        for (var i = 1; i <= Rows; i++)
            csv.Append("Pat").Append(i).Append(",Stone,").Append(i == 2 ? "not-an-email" : $"p{i}.{tag}@example.com").Append(",Acme ").Append(tag).Append(",blue\n");
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    /// <summary>The company of the lead with this email, through the API; null when there is no such lead.</summary>
    private async Task<string?> CompanyOfAsync(string email)
    {
        var admin = await host.As("admin");
        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/leads?search={Uri.EscapeDataString(email)}&pageSize=5");
        var lead = page.GetProperty("items").EnumerateArray().SingleOrDefault(l => l.GetProperty("email").GetString() == email);
        return lead.ValueKind == JsonValueKind.Undefined ? null : lead.GetProperty("company").GetString();
    }
}
