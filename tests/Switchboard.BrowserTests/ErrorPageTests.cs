using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>
/// The browser host plus two things only tests have: the My tasks page, and a lead search for "explode", fail (a page
/// filter throws, as a broken service would), and the server's error log is kept so a test can find the reference the
/// 500 page shows.
/// </summary>
public sealed class ErrorPagesHost : BrowserHost
{
    public const string SecretMessage = "connection string Password=hunter2 leaked";
    public const string FailingSearch = "explode";

    public ConcurrentQueue<string> ErrorLog { get; } = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.Configure<RazorPagesOptions>(o => o.Conventions.ConfigureFilter(new FailingPageFilter()));
        services.AddSingleton<ILoggerProvider>(new ErrorLogProvider(ErrorLog));
    }

    private sealed class FailingPageFilter : IAsyncPageFilter
    {
        public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

        public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
        {
            var request = context.HttpContext.Request;
            var fails = request.Path == "/tasks" || (request.Path == "/leads" && request.Query["search"] == FailingSearch);
            return fails ? throw new InvalidOperationException(SecretMessage) : next();
        }
    }

    private sealed class ErrorLogProvider(ConcurrentQueue<string> log) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ErrorLogger(log);
        public void Dispose() { }
    }

    private sealed class ErrorLogger(ConcurrentQueue<string> log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) log.Enqueue(formatter(state, exception));
        }
    }
}

public sealed class ErrorPageTests(ErrorPagesHost host) : IClassFixture<ErrorPagesHost>
{
    private static ILocator Nav(UiSession ui) => ui.Page.GetByRole(AriaRole.Navigation).First;

    private async Task<Guid> ColleaguesLeadAsync()
    {
        var admin = await host.As("admin");
        var created = await admin.PostAsJsonAsync("/api/v1/leads", new { firstName = "Hidden", lastName = "Colleaguelead", ownerId = host.Tenant.Users["agent2"] });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<IdOnly>())!.Id;
    }

    [Fact]
    public async Task Agent_opening_a_colleagues_lead_gets_the_not_found_page_in_the_layout()
    {
        var lead = await ColleaguesLeadAsync();
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));

        var response = await ui.Page.GotoAsync($"/leads/{lead}");

        response!.Status.ShouldBe(404);
        (await response.HeaderValueAsync("content-type"))!.ShouldStartWith("text/html");
        await Expect(ui.Page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
        await Expect(Nav(ui).GetByRole(AriaRole.Link, new() { Name = "Leads" })).ToBeVisibleAsync();
        await Expect(ui.Page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Back to home" })).ToHaveAttributeAsync("href", "/");
        (await ui.Page.ContentAsync()).ShouldNotContain("\"status\":404");
        OnlyTheDocumentFailed(ui, 404);
    }

    [Fact]
    public async Task A_mistyped_address_gets_the_not_found_page()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("manager"));

        var response = await ui.Page.GotoAsync("/leadz");

        response!.Status.ShouldBe(404);
        await Expect(ui.Page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
        await Expect(Nav(ui)).ToBeVisibleAsync();
        OnlyTheDocumentFailed(ui, 404);
    }

    [Fact]
    public async Task A_signed_out_visitor_of_a_page_is_still_sent_to_sign_in()
    {
        await using var ui = await host.OpenAsync();

        await ui.Page.GotoAsync($"/leads/{Guid.NewGuid()}");

        await Expect(ui.Page).ToHaveURLAsync(new Regex("/signin\\?ReturnUrl="));
    }

    [Fact]
    public async Task A_signed_out_visitor_of_a_mistyped_address_gets_the_not_found_page_without_the_shell()
    {
        await using var ui = await host.OpenAsync();

        var response = await ui.Page.GotoAsync("/no-such-page");

        response!.Status.ShouldBe(404);
        await Expect(ui.Page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
        await Expect(ui.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
        OnlyTheDocumentFailed(ui, 404);
    }

    [Fact]
    public async Task Agent_opening_the_users_page_gets_the_forbidden_page_in_the_layout()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));

        var response = await ui.Page.GotoAsync("/users");

        response!.Status.ShouldBe(403);
        await Expect(ui.Page.GetByRole(AriaRole.Heading, new() { Name = "You don't have access to this page" })).ToBeVisibleAsync();
        await Expect(Nav(ui).GetByRole(AriaRole.Link, new() { Name = "Leads" })).ToBeVisibleAsync();
        OnlyTheDocumentFailed(ui, 403);
    }

    [Fact]
    public async Task Superadmin_opens_their_profile_from_the_navigation()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(BrowserHost.SuperadminEmail);

        var response = await ui.Page.RunAndWaitForResponseAsync(() => Nav(ui).GetByRole(AriaRole.Link, new() { Name = "Profile" }).ClickAsync(),
            r => r.Url.EndsWith("/profile", StringComparison.Ordinal));

        response.Status.ShouldBe(200);
        await Expect(ui.Page.GetByRole(AriaRole.Heading, new() { Name = "Your profile" })).ToBeVisibleAsync();
        await Expect(ui.Page.GetByTestId("profile-email")).ToHaveTextAsync(BrowserHost.SuperadminEmail);
        await Expect(ui.Page.GetByTestId("profile-role")).ToHaveTextAsync("Superadmin");
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Superadmin_opens_their_profile_from_the_user_menu()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(BrowserHost.SuperadminEmail);

        await ui.Page.GetByTestId("user-menu").ClickAsync();
        await ui.Page.GetByRole(AriaRole.Menuitem, new() { Name = "Your profile" }).ClickAsync();

        await Expect(ui.Page).ToHaveURLAsync(new Regex("/profile$"));
        await Expect(ui.Page.GetByTestId("profile-email")).ToHaveTextAsync(BrowserHost.SuperadminEmail);
        ui.Problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_failing_page_shows_a_reference_that_is_in_the_server_log_and_no_internals()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));

        var response = await ui.Page.GotoAsync("/tasks");

        response!.Status.ShouldBe(500);
        await Expect(ui.Page.GetByRole(AriaRole.Heading, new() { Name = "Something went wrong" })).ToBeVisibleAsync();
        var reference = (await ui.Page.GetByTestId("error-reference").TextContentAsync())!.Trim();
        reference.ShouldNotBeNullOrWhiteSpace();
        host.ErrorLog.ShouldContain(line => line.Contains(reference) && line.Contains("/tasks"));
        var html = await ui.Page.ContentAsync();
        html.ShouldNotContain("hunter2");
        html.ShouldNotContain("InvalidOperationException");
        html.ShouldNotContain(" at Switchboard");
        await Expect(Nav(ui).GetByRole(AriaRole.Link, new() { Name = "Leads" })).ToBeVisibleAsync();
        OnlyTheDocumentFailed(ui, 500);
    }

    [Fact]
    public async Task An_htmx_request_that_misses_gets_a_fragment_not_a_document()
    {
        var lead = await ColleaguesLeadAsync();
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));

        var response = await ui.Page.APIRequest.GetAsync($"/leads/{lead}", new() { Headers = new Dictionary<string, string> { ["HX-Request"] = "true" } });

        response.Status.ShouldBe(404);
        response.Headers["content-type"].ShouldStartWith("text/html");
        var body = await response.TextAsync();
        body.ShouldContain("Page not found");
        body.ShouldNotContain("<html");
        body.ShouldNotContain("<nav");
    }

    [Fact]
    public async Task A_failing_htmx_search_shows_the_error_on_the_page()
    {
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("agent"));
        await ui.Page.GotoAsync("/leads");

        await ui.Page.Locator("input[data-search]").FillAsync(ErrorPagesHost.FailingSearch);

        var error = ui.Page.GetByTestId("error-fragment");
        await Expect(error).ToContainTextAsync("Something went wrong");
        await Expect(error).ToContainTextAsync("Reference");
        await Expect(error).Not.ToContainTextAsync("hunter2");
        await Expect(ui.Page.GetByRole(AriaRole.Heading, new() { Name = "Leads", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_api_still_answers_problem_json_even_to_a_browser_accept_header()
    {
        var lead = await ColleaguesLeadAsync();
        var agent = await host.As("agent");

        foreach (var path in new[] { $"/api/v1/leads/{lead}", "/api/v1/no-such-thing" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
            var response = await agent.SendAsync(request);

            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json", path);
            (await response.Content.ReadFromJsonAsync<Problem>())!.Status.ShouldBe(404);
        }
    }

    /// <summary>Chromium reports the error page's own status on the console; anything more (a missing script) is a problem.</summary>
    private static void OnlyTheDocumentFailed(UiSession ui, int status) =>
        ui.Problems.ShouldHaveSingleItem().ShouldStartWith($"console error: Failed to load resource: the server responded with a status of {status}");

    private sealed record IdOnly(Guid Id);

    private sealed record Problem(int Status, string? Title);
}
