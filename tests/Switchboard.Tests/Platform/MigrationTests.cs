using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Switchboard.Platform.Database;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

public sealed class MigrationTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private readonly MigrationRunner _runner = new(NullLogger<MigrationRunner>.Instance);

    public async Task InitializeAsync() => _db = await TestCluster.CreateDatabaseAsync(migrated: false);

    public async Task DisposeAsync()
    {
        await _db.DropAsync();
    }

    [Fact]
    public async Task A_fresh_database_gets_every_migration_and_a_second_run_is_a_no_op()
    {
        var first = await _runner.ApplyAsync(_db.OwnerConnectionString);
        var second = await _runner.ApplyAsync(_db.OwnerConnectionString);

        first.ShouldBe(MigrationRunner.Embedded.Count);
        second.ShouldBe(0);
        (await _runner.StatusAsync(_db.OwnerConnectionString)).ShouldAllBe(m => m.Applied);
    }

    [Fact]
    public async Task Status_lists_pending_migrations_before_they_are_applied()
    {
        var status = await _runner.StatusAsync(_db.OwnerConnectionString);

        status.Count.ShouldBe(MigrationRunner.Embedded.Count);
        status.ShouldAllBe(m => !m.Applied);
    }

    [Fact]
    public async Task An_applied_migration_that_was_edited_stops_the_run()
    {
        await _runner.ApplyAsync(_db.OwnerConnectionString);
        var edited = MigrationRunner.Embedded
            .Select((m, i) => i == 0 ? MigrationRunner.FromText($"{m.Version:D4}_{m.Name}", m.Sql + "\n-- edited\n") : m)
            .ToList();

        var error = await Should.ThrowAsync<MigrationChecksumMismatchException>(() => _runner.ApplyAsync(_db.OwnerConnectionString, migrations: edited));

        error.Message.ShouldContain("0001_foundation");
    }

    [Fact]
    public async Task Two_runners_starting_together_apply_each_migration_once()
    {
        var results = await Task.WhenAll(
            _runner.ApplyAsync(_db.OwnerConnectionString),
            _runner.ApplyAsync(_db.OwnerConnectionString));

        results.Sum().ShouldBe(MigrationRunner.Embedded.Count);
        await using var conn = new NpgsqlConnection(_db.OwnerConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from schema_migrations", conn);
        ((long)(await cmd.ExecuteScalarAsync())!).ShouldBe(MigrationRunner.Embedded.Count);
    }

    [Fact]
    public async Task A_failing_migration_leaves_nothing_half_applied()
    {
        await _runner.ApplyAsync(_db.OwnerConnectionString);
        var broken = MigrationRunner.Embedded
            .Append(MigrationRunner.FromText("9999_broken", "create table half_done (id int);\nselect * from no_such_table;"))
            .ToList();

        await Should.ThrowAsync<PostgresException>(() => _runner.ApplyAsync(_db.OwnerConnectionString, migrations: broken));

        await using var conn = new NpgsqlConnection(_db.OwnerConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select to_regclass('half_done') is null and not exists (select from schema_migrations where version = 9999)", conn);
        ((bool)(await cmd.ExecuteScalarAsync())!).ShouldBeTrue();
    }
}
