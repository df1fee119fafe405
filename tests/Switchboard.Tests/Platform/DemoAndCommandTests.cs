using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Features.Demo;
using Switchboard.Platform.Cli;
using Switchboard.Platform.Database;
using Switchboard.Platform.Identity;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

public sealed class DemoAndCommandTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>
{
    [Fact]
    public async Task Demo_data_is_seeded_once_and_its_users_can_sign_in()
    {
        await DemoSeeder.SeedOnFirstStartAsync(host.Services, CancellationToken.None);
        await DemoSeeder.SeedOnFirstStartAsync(host.Services, CancellationToken.None);

        using var admin = await host.LoginAsync("admin@acme.test", "acme", DemoSeeder.Password);
        var leads = await admin.GetFromJsonAsync<JsonElement>("/api/v1/leads?pageSize=1");
        leads.GetProperty("total").GetInt32().ShouldBe(200);
        // Every CRM page has something to show: accounts with contacts, opportunities on the board, products, tasks.
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/accounts?pageSize=1")).GetProperty("total").GetInt32().ShouldBe(18);
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/contacts?pageSize=1")).GetProperty("total").GetInt32().ShouldBeGreaterThanOrEqualTo(36);
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/opportunities?pageSize=1")).GetProperty("total").GetInt32().ShouldBe(18);
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/products?pageSize=1")).GetProperty("total").GetInt32().ShouldBe(4);
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/activities?pageSize=1")).GetProperty("total").GetInt32().ShouldBe(18);
        foreach (var email in DemoSeeder.Emails.Where(e => e != SwitchboardHost.SuperadminEmail))
            (await Login(email, DemoSeeder.Password)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Create_superadmin_is_idempotent_and_sets_the_new_password()
    {
        const string email = "ops@switchboard.test";

        var first = await Superadmins.EnsureAsync(host.Services, email, "First-harbor-lantern-1", CancellationToken.None);
        var second = await Superadmins.EnsureAsync(host.Services, email, "Second-copper-meadow-2", CancellationToken.None);
        var again = await Superadmins.EnsureAsync(host.Services, email, "Second-copper-meadow-2", CancellationToken.None);
        var weak = await Should.ThrowAsync<CliException>(() => Superadmins.EnsureAsync(host.Services, email, "password1234", CancellationToken.None));

        first.ShouldStartWith("Created");
        second.ShouldStartWith("Updated");
        again.ShouldStartWith("Updated");
        weak.Message.ShouldBe(PasswordStrength.Guessable);
        (await Login(email, "First-harbor-lantern-1")).ShouldBe(HttpStatusCode.Unauthorized);
        using var ops = await host.LoginAsync(email, password: "Second-copper-meadow-2");
        (await ops.GetAsync("/api/v1/tenants")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Health_answers_and_ready_reports_current_migrations()
    {
        using var client = host.CreateClient();

        (await client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var ready = await client.GetAsync("/health/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Ready_is_503_with_the_reason_while_migrations_are_pending()
    {
        var database = await TestCluster.CreateDatabaseAsync(migrated: false);
        await using var app = Program.BuildApp([], new Dictionary<string, string?>
        {
            [DatabaseConnections.RuntimeKey] = database.RuntimeConnectionString,
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var response = await client.GetAsync("/health/ready");

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).ShouldContain("0001_foundation");
        await app.StopAsync();
    }

    [Fact]
    public async Task The_OpenAPI_document_and_the_API_docs_page_are_served()
    {
        using var client = host.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var docs = await client.GetAsync("/api-docs/index.html");

        document.GetProperty("paths").TryGetProperty("/api/v1/leads", out _).ShouldBeTrue();
        docs.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private async Task<HttpStatusCode> Login(string email, string password)
    {
        using var client = host.CreateClient();
        return (await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password })).StatusCode;
    }
}
