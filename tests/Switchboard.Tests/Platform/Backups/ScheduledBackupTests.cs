using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Switchboard.Platform.Backups;
using Switchboard.Platform.Jobs;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform.Backups;

/// <summary>
/// Scheduled backups (ADR 0064): the app queues the current slot's backup when it starts; the job makes the backup,
/// prunes beyond <c>Backup:Keep</c> and audits both on the platform; a slot runs once however many instances queue it.
/// </summary>
public sealed class ScheduledBackupTests(ScheduledBackupTests.Host host) : IClassFixture<ScheduledBackupTests.Host>
{
    [Fact]
    public async Task The_backup_queued_at_startup_runs_prunes_the_oldest_beyond_the_count_and_is_audited()
    {
        var slot = ScheduledBackup.Current(host.StartedAt, host.Settings);

        var created = await Eventually.Until(() => host.AuditAsync("backup.created", slot), rows => rows.Count == 1, Eventually.DefaultTimeout, "the startup slot's backup");

        BackupRetention.List(host.Directory).Select(b => b.Name).ShouldBe([created[0].EntityId!, Host.Fakes[^1]]);
        var pruned = (await host.AuditAsync("backup.pruned", null)).ShouldHaveSingleItem();
        pruned.Changes.ShouldContain(Host.Fakes[0]);
        pruned.Changes.ShouldContain(Host.Fakes[1]);
        created[0].ActorName.ShouldBe($"job:{ScheduledBackup.JobKind}");
        Directory.Exists(Path.Combine(host.Directory, "not-a-backup")).ShouldBeTrue();
    }

    [Fact]
    public void Slots_are_whole_periods_from_midnight_utc_or_the_daily_time()
    {
        var at = new DateTimeOffset(2026, 12, 5, 10, 17, 3, TimeSpan.Zero);

        ScheduledBackup.Current(at, new BackupOptions { Interval = TimeSpan.FromHours(6) }).ShouldBe(new DateTimeOffset(2026, 12, 5, 6, 0, 0, TimeSpan.Zero));
        ScheduledBackup.Current(at, new BackupOptions { DailyAt = "02:30" }).ShouldBe(new DateTimeOffset(2026, 12, 5, 2, 30, 0, TimeSpan.Zero));
        ScheduledBackup.Current(at, new BackupOptions { DailyAt = "11:00" }).ShouldBe(new DateTimeOffset(2026, 12, 4, 11, 0, 0, TimeSpan.Zero));
        ScheduledBackup.Next(new DateTimeOffset(2026, 12, 4, 11, 0, 0, TimeSpan.Zero), new BackupOptions { DailyAt = "11:00" })
            .ShouldBe(new DateTimeOffset(2026, 12, 5, 11, 0, 0, TimeSpan.Zero));
        var hourly = new BackupOptions { Interval = TimeSpan.FromHours(1) };
        ScheduledBackup.NextAfter(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero), at, hourly)
            .ShouldBe(new DateTimeOffset(2026, 12, 5, 11, 0, 0, TimeSpan.Zero), "on time: the next slot");
        ScheduledBackup.NextAfter(new DateTimeOffset(2026, 12, 5, 4, 0, 0, TimeSpan.Zero), at, hourly)
            .ShouldBe(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero), "six hours late: the slot that has begun, not 05:00");
    }

    public sealed class Host : ScheduledBackupHost
    {
        /// <summary>Three backups from 2020, oldest first, there before the app starts.</summary>
        public static readonly string[] Fakes = ["switchboard-20200101T000000Z", "switchboard-20200102T000000Z", "switchboard-20200103T000000Z"];

        protected override IEnumerable<string> Existing => Fakes;
    }
}

/// <summary>A scheduled slot queued by two instances of the app on one database runs once (ADR 0064).</summary>
public sealed class ScheduledBackupInstancesTests(ScheduledBackupInstancesTests.Host host) : IClassFixture<ScheduledBackupInstancesTests.Host>
{
    [Fact]
    public async Task A_slot_queued_by_two_instances_is_backed_up_once()
    {
        var slot = ScheduledBackup.Current(host.StartedAt, host.Settings).AddHours(-5);
        await using var second = await SecondInstance.StartAsync(host.Database, host.Backup);
        // The startup slot's backup first: while it holds the backup lock, another slot's job is skipped (logged), and
        // this test is about one slot queued twice, not two slots at once.
        await Eventually.Until(() => host.AuditAsync("backup.created", ScheduledBackup.Current(host.StartedAt, host.Settings)), rows => rows.Count == 1,
            TimeSpan.FromSeconds(120), "the startup slot's backup");

        var queued = await Task.WhenAll(new[] { host.Services, second.Services }.Select(async services =>
        {
            await using var scope = services.CreateAsyncScope();
            return await ScheduledBackup.ScheduleAsync(scope.ServiceProvider.GetRequiredService<JobQueue>(), host.Settings, slot, CancellationToken.None);
        }));

        queued.Count(q => q).ShouldBe(1);
        // A real pg_dump of the test database while two app instances run: under the full suite's load it has taken
        // longer than the default 30 s, so this wait allows for that (a bound, not a timing assertion).
        var backupTimeout = TimeSpan.FromSeconds(120);
        await Eventually.Until(() => host.AuditAsync("backup.created", slot), rows => rows.Count >= 1, backupTimeout, "the slot's backup");
        await Eventually.Until(() => host.JobsAsync(slot), jobs => jobs.All(j => j.Done), backupTimeout, "the slot's job to finish");
        (await host.JobsAsync(slot)).Count.ShouldBe(1);
        (await host.AuditAsync("backup.created", slot)).Count.ShouldBe(1);
        // Five hours late, it queued the slot that has begun (already queued at startup), not the four it missed.
        (await host.JobsAsync(slot.AddHours(1))).ShouldBeEmpty();
    }

    public sealed class Host : ScheduledBackupHost;
}

public sealed record AuditRow(string? EntityId, string? ActorName, string Changes);

public sealed record JobRow(Guid Id, bool Done);

/// <summary>An app with scheduled backups every hour into a fresh folder, keeping two; <see cref="Existing"/> backups are there before it starts.</summary>
public abstract class ScheduledBackupHost : SwitchboardHost
{
    protected virtual IEnumerable<string> Existing => [];

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"switchboard-scheduled-backups-{Guid.NewGuid():N}");
    public DateTimeOffset StartedAt { get; private set; }
    public BackupOptions Settings => Services.GetRequiredService<IOptions<BackupOptions>>().Value;

    public Dictionary<string, string?> Backup => new()
    {
        ["Backup:Directory"] = Directory,
        ["Backup:ConnectionString"] = Database.SuperuserConnectionString,
        ["Backup:Interval"] = "01:00:00",
        ["Backup:Keep"] = "2",
    };

    protected override IDictionary<string, string?> ExtraSettings => Backup;

    public override async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var fake in Existing)
        {
            System.IO.Directory.CreateDirectory(Path.Combine(Directory, fake));
            await File.WriteAllTextAsync(Path.Combine(Directory, fake, BackupManifest.FileName), "{}");
        }
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "not-a-backup"));
        StartedAt = DateTimeOffset.UtcNow;
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }

    public async Task<IReadOnlyList<AuditRow>> AuditAsync(string action, DateTimeOffset? slot)
    {
        await using var conn = new NpgsqlConnection(Database.SuperuserConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            select entity_id, actor_name, changes::text from audit_log
            where action = @action and tenant_id is null and (@slot::timestamptz is null or (changes->>'slot')::timestamptz = @slot)
            """, conn);
        cmd.Parameters.AddWithValue("action", action);
        cmd.Parameters.Add(new NpgsqlParameter("slot", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)slot ?? DBNull.Value });
        var rows = new List<AuditRow>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(new AuditRow(reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2)));
        return rows;
    }

    public async Task<IReadOnlyList<JobRow>> JobsAsync(DateTimeOffset slot)
    {
        await using var conn = new NpgsqlConnection(Database.SuperuserConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select id, completed_at is not null or failed_at is not null from jobs where kind = @kind and (payload->>'slot')::timestamptz = @slot", conn);
        cmd.Parameters.AddWithValue("kind", ScheduledBackup.JobKind);
        cmd.Parameters.AddWithValue("slot", slot);
        var rows = new List<JobRow>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(new JobRow(reader.GetGuid(0), reader.GetBoolean(1)));
        return rows;
    }
}
