using Microsoft.Extensions.DependencyInjection;
using Switchboard.Platform.Database;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

/// <summary>Startup refuses to run in an unsafe or inconsistent configuration, with one clear message.</summary>
public sealed class StartupChecksTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestCluster.CreateDatabaseAsync(migrated: false);

    public async Task DisposeAsync()
    {
        await _db.DropAsync();
    }

    private static Task RunStartupAsync(IDictionary<string, string?> settings)
    {
        var app = Program.BuildApp([], settings);
        return app.Services.GetRequiredService<DatabaseStartup>().RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_superuser_runtime_role_is_refused()
    {
        var error = await Should.ThrowAsync<StartupException>(() => RunStartupAsync(new Dictionary<string, string?>
        {
            [DatabaseConnections.RuntimeKey] = _db.SuperuserConnectionString,
        }));

        error.Message.ShouldContain("superuser");
    }

    [Fact]
    public async Task Pending_migrations_are_refused_when_startup_may_not_apply_them()
    {
        var error = await Should.ThrowAsync<StartupException>(() => RunStartupAsync(new Dictionary<string, string?>
        {
            [DatabaseConnections.RuntimeKey] = _db.RuntimeConnectionString,
            ["Database:ApplyMigrationsOnStartup"] = "false",
        }));

        error.Message.ShouldContain("pending");
    }

    [Fact]
    public async Task An_unreachable_database_is_reported_in_one_line()
    {
        var error = await Should.ThrowAsync<StartupException>(() => RunStartupAsync(new Dictionary<string, string?>
        {
            [DatabaseConnections.RuntimeKey] = "Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none;Timeout=2",
        }));

        error.Message.ShouldStartWith("Cannot connect to PostgreSQL");
        error.Message.ShouldNotContain("\n");
    }

    [Fact]
    public async Task A_missing_connection_string_names_the_setting()
    {
        var error = await Should.ThrowAsync<StartupException>(() => RunStartupAsync(new Dictionary<string, string?>()));

        error.Message.ShouldContain("ConnectionStrings:Switchboard");
    }

    [Fact]
    public async Task The_owner_connection_applies_migrations_for_a_separate_runtime_role()
    {
        await RunStartupAsync(new Dictionary<string, string?>
        {
            [DatabaseConnections.RuntimeKey] = _db.RuntimeConnectionString,
            [DatabaseConnections.OwnerKey] = _db.OwnerConnectionString,
        });

        var status = await new MigrationRunner(Microsoft.Extensions.Logging.Abstractions.NullLogger<MigrationRunner>.Instance).StatusAsync(_db.RuntimeConnectionString);
        status.ShouldAllBe(m => m.Applied);
    }
}
