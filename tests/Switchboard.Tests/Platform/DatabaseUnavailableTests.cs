using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

/// <summary>
/// A request whose database connection PostgreSQL ends under it (as a restart or failover does: 57P01, "terminating
/// connection due to administrator command") is answered 503 with Retry-After, not 500: the failure is the moment's,
/// not a defect, and a retry succeeds. The host adds one innermost middleware that provokes exactly that.
/// </summary>
public sealed class DatabaseUnavailableTests(DatabaseUnavailableTests.Host host) : IClassFixture<DatabaseUnavailableTests.Host>
{
    public sealed class Host : SwitchboardHost
    {
        public const string ApiPath = "/api/v1/test-database-away";
        public const string PagePath = "/test-database-away";

        protected override void ConfigureServices(IServiceCollection services) => services.AddTransient<IStartupFilter>(_ => new EndingConnection(() => Database.RuntimeConnectionString));

        /// <summary>Innermost (after the app's pipeline, inside its exception handler): PostgreSQL ends this request's connection.</summary>
        private sealed class EndingConnection(Func<string> connectionString) : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                next(app);
                app.Use(async (HttpContext http, RequestDelegate rest) =>
                {
                    if (http.Request.Path != ApiPath && http.Request.Path != PagePath)
                    {
                        await rest(http);
                        return;
                    }
                    await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString()) { Pooling = false }.ConnectionString);
                    await conn.OpenAsync();
                    await using var command = new NpgsqlCommand("select pg_terminate_backend(pg_backend_pid())", conn);
                    await command.ExecuteNonQueryAsync();
                });
            };
        }
    }

    [Fact]
    public async Task The_api_answers_503_problem_json_with_retry_after_and_the_next_request_succeeds()
    {
        using var client = await host.SuperadminAsync();

        var response = await client.GetAsync(Host.ApiPath);
        var after = await client.GetAsync("/api/v1/auth/me");

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(2));
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("title").GetString().ShouldBe("Service unavailable");
        problem.GetProperty("detail").GetString()!.ShouldStartWith("The database could not complete the request just now");
        problem.GetProperty("detail").GetString()!.ShouldNotContain("57P01");
        after.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_person_gets_the_html_error_page_that_says_to_try_again()
    {
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Host.PagePath);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("Switchboard is busy for a moment");
        html.ShouldNotContain("Npgsql");
    }
}
