using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Switchboard.Platform.Backups;
using Switchboard.Platform.Cli;
using Switchboard.Platform.Database;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform.Backups;

/// <summary>
/// <c>switchboard backup</c> and <c>restore</c> on the suite's real PostgreSQL (ADR 0064): a backup restores into a
/// scratch database and verifies; a changed row or file in a restored copy is named and fails the check; a non-empty
/// target is refused; a failed backup leaves nothing that looks complete.
/// </summary>
public sealed class BackupRestoreTests(BackupRestoreTests.Host host) : IClassFixture<BackupRestoreTests.Host>
{
    [Fact]
    public async Task A_backup_restores_into_a_scratch_database_and_verifies_against_its_manifest()
    {
        var backup = await BackUpAsync();

        var (code, output) = await RunAsync<RestoreCommand>("--in", backup.Folder, "--verify");

        code.ShouldBe(0, output);
        output.ShouldContain("Verified:");
        output.ShouldNotContain("MISMATCH");
        backup.Manifest.Tables.Single(t => t.Name == "public.tenants").Rows.ShouldBeGreaterThanOrEqualTo(1);
        backup.Manifest.Tables.Single(t => t.Name == "public.users").Rows.ShouldBeGreaterThanOrEqualTo(5);
        backup.Manifest.Files.Select(f => f.Path).ShouldBe(["calls/2026/a.wav", "notes.txt"]);
        backup.Manifest.Migrations.ShouldNotBeEmpty();
        (await ScratchDatabasesAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_backup_taken_while_rows_are_written_verifies_because_dump_and_manifest_read_one_snapshot()
    {
        await using (var conn = new NpgsqlConnection(host.Database.SuperuserConnectionString))
        {
            await conn.OpenAsync();
            await using var create = new NpgsqlCommand("create table if not exists backup_load (id bigserial primary key, at timestamptz not null default clock_timestamp())", conn);
            await create.ExecuteNonQueryAsync();
        }
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(async () =>
        {
            await using var conn = new NpgsqlConnection(host.Database.SuperuserConnectionString);
            await conn.OpenAsync();
            await using var insert = new NpgsqlCommand("insert into backup_load default values", conn);
            long written = 0;
            while (!stop.IsCancellationRequested) written += await insert.ExecuteNonQueryAsync();
            return written;
        });
        await Eventually.Until(async () => await CountAsync("backup_load"), n => n > 0, Eventually.DefaultTimeout, "the writer to start");

        var backup = await BackUpAsync();
        await stop.CancelAsync();
        var written = await writing;

        var inBackup = backup.Manifest.Tables.Single(t => t.Name == "public.backup_load").Rows;
        inBackup.ShouldBeGreaterThan(0);
        (await CountAsync("backup_load")).ShouldBeGreaterThan(inBackup, $"rows were written during the backup ({written} in all)");
        var (code, output) = await RunAsync<RestoreCommand>("--in", backup.Folder, "--verify");
        code.ShouldBe(0, output);
    }

    [Fact]
    public async Task A_changed_row_and_a_changed_file_in_the_restored_copy_are_named_and_the_check_exits_1()
    {
        var backup = await BackUpAsync();
        var (target, files) = (await EmptyDatabaseAsync(), Temp());
        (await RunAsync<RestoreCommand>("--in", backup.Folder, "--target", target, "--files-to", files, "--verify")).Code.ShouldBe(0);

        await using (var conn = new NpgsqlConnection(target))
        {
            await conn.OpenAsync();
            await using var tamper = new NpgsqlCommand($"update tenants set name = name || ' (changed)' where id = '{host.Tenant.Id}'", conn);
            (await tamper.ExecuteNonQueryAsync()).ShouldBe(1);
        }
        await File.AppendAllTextAsync(Path.Combine(files, "notes.txt"), "!");

        var (code, output) = await RunAsync<RestoreCommand>("--in", backup.Folder, "--target", target, "--files-to", files, "--check-only");

        code.ShouldBe(1);
        output.ShouldContain("MISMATCH table public.tenants: checksum differs");
        output.ShouldContain("MISMATCH file notes.txt: SHA-256 differs");
        output.Split('\n').Count(l => l.StartsWith("MISMATCH", StringComparison.Ordinal)).ShouldBe(2, output);
    }

    [Fact]
    public async Task The_restore_command_restores_into_the_configured_empty_database_without_migrating_it_first()
    {
        var backup = await BackUpAsync();
        var target = await EmptyDatabaseAsync();
        var name = new NpgsqlConnectionStringBuilder(target).Database!;

        var code = await SwitchboardCli.RunAsync([
            "restore", $"--{DatabaseConnections.RuntimeKey}={host.Database.Cluster.AppConnectionString(name)}",
            $"--{DatabaseConnections.OwnerKey}={host.Database.Cluster.OwnerConnectionString(name)}",
            "--in", backup.Folder, "--target", target, "--files-to", Temp(), "--verify",
        ], new StringWriter());

        code.ShouldBe(0);
        var restored = await BackupVerifier.CompareDatabaseAsync(backup.Manifest, target, CancellationToken.None);
        // After verifying, the command audits the restore in the configured database — here the restored one — so only the audit tables moved on.
        restored.Where(m => !m.StartsWith("table public.audit_", StringComparison.Ordinal)).ShouldBeEmpty();
        await using var conn = new NpgsqlConnection(target);
        await conn.OpenAsync();
        await using var audited = new NpgsqlCommand(
            $"select count(*) from audit_log where action = 'backup.restore-verified' and tenant_id is null and changes->>'database' = '{name}'", conn);
        (await audited.ExecuteScalarAsync()).ShouldBe(1L);
    }

    [Fact]
    public async Task A_deleted_row_in_the_restored_copy_is_named_by_its_count()
    {
        var backup = await BackUpAsync();
        var target = await EmptyDatabaseAsync();
        (await RunAsync<RestoreCommand>("--in", backup.Folder, "--target", target, "--files-to", Temp())).Code.ShouldBe(0);
        await using (var conn = new NpgsqlConnection(target))
        {
            await conn.OpenAsync();
            await using var tamper = new NpgsqlCommand("delete from schema_migrations where version = (select max(version) from schema_migrations)", conn);
            (await tamper.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        var outcome = await BackupVerifier.CompareDatabaseAsync(backup.Manifest, target, CancellationToken.None);

        var rows = backup.Manifest.Tables.Single(t => t.Name == "public.schema_migrations").Rows;
        outcome.ShouldBe([$"table public.schema_migrations: {rows:N0} rows in the backup, {rows - 1:N0} in the database"]);
    }

    [Fact]
    public async Task A_damaged_dump_file_is_found_before_anything_is_restored()
    {
        var backup = await BackUpAsync();
        await using (var dump = File.OpenWrite(Path.Combine(backup.Folder, BackupManifest.DumpFileName)))
        {
            dump.Seek(-1, SeekOrigin.End);
            dump.WriteByte(0x42);
        }

        var (code, output) = await RunAsync<RestoreCommand>("--in", backup.Folder, "--verify");

        code.ShouldBe(1);
        output.ShouldContain("MISMATCH database.dump: SHA-256 differs from the manifest");
        output.ShouldNotContain("Restored the database");
    }

    [Fact]
    public async Task Restore_into_a_database_that_is_not_empty_is_refused_and_changes_nothing()
    {
        var backup = await BackUpAsync();
        var live = host.Database.SuperuserConnectionString;
        var before = await SummariesAsync(live, "public.tenants", "public.users", "public.schema_migrations");

        var refusal = await Should.ThrowAsync<CliException>(() => RunAsync<RestoreCommand>("--in", backup.Folder, "--target", live, "--files-to", Temp(), "--verify"));

        refusal.Message.ShouldContain($"The target database {host.Database.Name} is not empty");
        refusal.Message.ShouldContain("restore only restores into an empty database");
        // Those tables only: the app's background work (job rows, audit sealing) may change others meanwhile.
        (await SummariesAsync(live, "public.tenants", "public.users", "public.schema_migrations")).ShouldBe(before);
    }

    [Fact]
    public async Task A_backup_as_the_owner_role_fails_naming_the_setting_and_leaves_no_backup()
    {
        var parent = Temp();
        var asOwner = new BackupWriter(Options.Create(new BackupOptions()), host.Services.GetRequiredService<DatabaseConnections>(), TimeProvider.System);

        var failure = await Should.ThrowAsync<BackupException>(() => asOwner.CreateAsync(parent, CancellationToken.None));

        failure.Message.ShouldContain("Backup:ConnectionString");
        Directory.EnumerateFileSystemEntries(parent).ShouldBeEmpty();
        BackupRetention.List(parent).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_backup_whose_pg_dump_fails_leaves_no_backup()
    {
        var parent = Temp();
        var broken = new BackupWriter(Options.Create(new BackupOptions { ConnectionString = host.Database.SuperuserConnectionString, PgBinDirectory = Temp() }),
            host.Services.GetRequiredService<DatabaseConnections>(), TimeProvider.System);

        await Should.ThrowAsync<BackupException>(() => broken.CreateAsync(parent, CancellationToken.None));

        Directory.EnumerateFileSystemEntries(parent).ShouldBeEmpty();
    }

    private async Task<BackupResult> BackUpAsync()
    {
        var parent = Temp();
        var (code, output) = await RunAsync<BackupCommand>("--out", parent);
        code.ShouldBe(0, output);
        var folder = Directory.GetDirectories(parent).ShouldHaveSingleItem();
        output.ShouldContain($"Backup written to {folder}");
        return new BackupResult(folder, await BackupManifest.ReadAsync(folder, CancellationToken.None));
    }

    private async Task<(int Code, string Output)> RunAsync<TCommand>(params string[] args) where TCommand : ICliCommand
    {
        await using var scope = host.Services.CreateAsyncScope();
        var command = (ICliCommand)ActivatorUtilities.CreateInstance(scope.ServiceProvider, typeof(TCommand));
        var output = new StringWriter();
        var code = await command.RunAsync(args, output, CancellationToken.None);
        return (code, output.ToString());
    }

    private async Task<string> EmptyDatabaseAsync()
    {
        var name = "restore_" + Guid.NewGuid().ToString("N")[..12];
        await using var conn = new NpgsqlConnection(host.Database.Cluster.SuperuserConnectionString());
        await conn.OpenAsync();
        await using var create = new NpgsqlCommand($"create database {name} template template0", conn);
        await create.ExecuteNonQueryAsync();
        host.Created.Add(name);
        return new NpgsqlConnectionStringBuilder(host.Database.Cluster.SuperuserConnectionString(name)) { Pooling = false }.ConnectionString;
    }

    private static async Task<IReadOnlyList<TableSummary>> SummariesAsync(string connectionString, params string[] tables)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        return (await TableChecksums.ComputeAsync(conn, tx, CancellationToken.None)).Where(t => tables.Contains(t.Name)).ToList();
    }

    private async Task<long> CountAsync(string table)
    {
        await using var conn = new NpgsqlConnection(host.Database.SuperuserConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"select count(*) from {table}", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<IReadOnlyList<string>> ScratchDatabasesAsync()
    {
        await using var conn = new NpgsqlConnection(host.Database.Cluster.SuperuserConnectionString());
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select datname from pg_database where datname like 'switchboard\\_verify\\_%'", conn);
        var names = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }

    private string Temp()
    {
        var path = Path.Combine(host.Root, Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    public sealed class Host : SwitchboardHostWithTenant
    {
        public string Root { get; } = Path.Combine(Path.GetTempPath(), $"switchboard-backup-tests-{Guid.NewGuid():N}");
        public List<string> Created { get; } = [];

        private string FilesDirectory => Path.Combine(Root, "store");

        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Backup:ConnectionString"] = Database.SuperuserConnectionString,
            ["Backup:FilesDirectory"] = FilesDirectory,
        };

        public override async Task InitializeAsync()
        {
            Directory.CreateDirectory(Path.Combine(FilesDirectory, "calls", "2026"));
            await File.WriteAllBytesAsync(Path.Combine(FilesDirectory, "calls", "2026", "a.wav"), [1, 2, 3, 4]);
            await File.WriteAllTextAsync(Path.Combine(FilesDirectory, "notes.txt"), "a file in the store");
            await base.InitializeAsync();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            foreach (var name in Created) await Database.Cluster.DropDatabaseAsync(name);
            if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        }
    }
}
