using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Switchboard.Testing;
using static Switchboard.Tests.Features.Imports.ImportClient;

namespace Switchboard.Tests.Features.Imports;

/// <summary>The import wizard's pages (/imports, /imports/{id}) over real HTTP, as a signed-in browser uses them.</summary>
public sealed partial class ImportPagesTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private static string Unique() => Guid.NewGuid().ToString("N")[..8];

    [Theory]
    [InlineData("agent")]
    [InlineData("readonly")]
    public async Task Agents_and_readonly_users_are_refused_the_import_page(string role)
    {
        using var browser = await BrowserAsync(host.Tenant.Email(role));

        var response = await browser.GetAsync("/imports");

        (await LandsOnAsync(browser, response)).ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_sidebar_shows_the_import_link_to_managers_but_not_to_agents()
    {
        using var manager = await BrowserAsync(host.Tenant.Email("manager"));
        using var agent = await BrowserAsync(host.Tenant.Email("agent"));

        var managerPage = await manager.GetStringAsync("/leads");
        var agentPage = await agent.GetStringAsync("/leads");

        managerPage.ShouldContain("href=\"/imports\"");
        agentPage.ShouldNotContain("href=\"/imports\"");
    }

    [Fact]
    public async Task Agent_cannot_start_an_import_by_posting_to_its_page()
    {
        var admin = await host.As("admin");
        var draft = await DraftAsync(admin, $"lastName,email\nStone,stone.{Unique()}@example.com\n");
        using var agent = await BrowserAsync(host.Tenant.Email("agent"));
        var token = CsrfMeta().Match(await agent.GetStringAsync("/leads")).Groups[1].Value;

        var response = await agent.PostAsync($"/imports/{draft}?handler=Start", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["map-0"] = "lastName", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        }));

        (await LandsOnAsync(agent, response)).ShouldBe(HttpStatusCode.Forbidden);
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{draft}")).GetProperty("status").GetString().ShouldBe("uploaded");
    }

    [Fact]
    public async Task Another_tenants_import_is_not_found()
    {
        var draft = await DraftAsync(await host.As("admin"), "lastName\nStone\n");
        var other = await host.CreateTenantAsync("imports-other");
        using var browser = await BrowserAsync(other.Email("admin"));

        var response = await browser.GetAsync($"/imports/{draft}");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Uploading_a_file_on_the_page_creates_a_draft_and_opens_its_mapping_step()
    {
        using var browser = await BrowserAsync(host.Tenant.Email("manager"));
        var page = await browser.GetStringAsync("/imports");
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Utf8($"Surname,E-mail,Employer\nStone,stone.{Unique()}@example.com,Acme\n"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "prospects.csv");
        form.Add(new StringContent("leads"), "Form.Entity");
        form.Add(new StringContent("create"), "Form.Mode");
        form.Add(new StringContent(""), "Form.MatchOn");
        form.Add(new StringContent("auto"), "Form.Encoding");
        form.Add(new StringContent("auto"), "Form.Delimiter");
        form.Add(new StringContent(Token(page)), "__RequestVerificationToken");

        var response = await browser.PostAsync("/imports?handler=Upload", form);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = response.Headers.Location!.OriginalString;
        location.ShouldMatch("^/imports/[0-9a-f-]{36}$");
        var draft = await (await host.As("admin")).GetFromJsonAsync<JsonElement>("/api/v1" + location);
        draft.GetProperty("status").GetString().ShouldBe("uploaded");
        draft.GetProperty("mapping").GetProperty("Surname").GetString().ShouldBe("lastName");
        var mappingStep = await browser.GetStringAsync(location);
        mappingStep.ShouldContain("data-testid=\"mapping-table\"");
        mappingStep.ShouldContain("Don't import");
    }

    [Fact]
    public async Task Uploading_without_a_file_shows_the_error_next_to_the_file_input()
    {
        using var browser = await BrowserAsync(host.Tenant.Email("admin"));
        var page = await browser.GetStringAsync("/imports");
        using var form = new MultipartFormDataContent
        {
            { new StringContent("leads"), "Form.Entity" },
            { new StringContent(Token(page)), "__RequestVerificationToken" },
        };

        var response = await browser.PostAsync("/imports?handler=Upload", form);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Choose a CSV file to import.");
    }

    [Fact]
    public async Task Starting_with_a_mapping_that_leaves_out_a_required_field_shows_the_error_and_does_not_start()
    {
        var admin = await host.As("admin");
        var draft = await DraftAsync(admin, $"lastName,email\nStone,stone.{Unique()}@example.com\n");
        using var browser = await BrowserAsync(host.Tenant.Email("admin"));
        var page = await browser.GetStringAsync($"/imports/{draft}");

        var response = await browser.PostAsync($"/imports/{draft}?handler=Start", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["map-0"] = "", ["map-1"] = "email", ["Draft.Mode"] = "create", ["Draft.MatchOn"] = "",
            ["Draft.Encoding"] = "utf-8", ["Draft.Delimiter"] = "comma", ["__RequestVerificationToken"] = Token(page),
        }));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("data-testid=\"mapping-error\"");
        html.ShouldContain("Map a column to Last name");
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{draft}")).GetProperty("status").GetString().ShouldBe("uploaded");
    }

    [Fact]
    public async Task The_error_report_downloads_with_the_browser_session()
    {
        var admin = await host.As("admin");
        var import = await RunAsync(admin, Utf8($"lastName,email\nStone,stone.{Unique()}@example.com\nBad,not-an-email\n"), "leads");
        using var browser = await BrowserAsync(host.Tenant.Email("admin"));

        var response = await browser.GetAsync($"/imports/{import.Id()}?handler=Errors");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var csv = await response.Content.ReadAsStringAsync();
        csv.ShouldStartWith("row,column,value,reason");
        csv.ShouldContain("3,email,not-an-email,");
    }

    [Fact]
    public async Task The_status_card_of_a_finished_import_shows_its_counts_and_the_undo_button()
    {
        var admin = await host.As("admin");
        var import = await RunAsync(admin, Utf8($"lastName,email\nStone,stone.{Unique()}@example.com\nBad,not-an-email\n"), "leads");
        using var browser = await BrowserAsync(host.Tenant.Email("admin"));

        var html = await browser.GetStringAsync($"/imports/{import.Id()}?handler=Status");

        html.ShouldNotContain("<html");
        html.ShouldContain("data-live=\"false\"");
        html.ShouldContain("data-testid=\"count-created\">1<");
        html.ShouldContain("data-testid=\"count-failed\">1<");
        html.ShouldContain("data-testid=\"undo-import\"");
    }

    private static async Task<Guid> DraftAsync(HttpClient admin, string csv)
    {
        var response = await admin.PostAsync("/api/v1/imports", Form(Utf8(csv), "leads", start: false));
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Id();
    }

    /// <summary>Where a browser ends up: refusals redirect to /forbidden, which answers 403.</summary>
    private static async Task<HttpStatusCode> LandsOnAsync(HttpClient browser, HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.Redirect) return response.StatusCode;
        response.Headers.Location!.AbsolutePath.ShouldBe("/forbidden");
        return (await browser.GetAsync(response.Headers.Location)).StatusCode;
    }

    /// <summary>Pages take the sign-in cookie, not the API's bearer token.</summary>
    private async Task<HttpClient> BrowserAsync(string email)
    {
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, email);
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
    }

    private static string Token(string html) => WebUtility.HtmlDecode(AntiforgeryToken().Match(html).Groups[1].Value);

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*?value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfMeta();
}
