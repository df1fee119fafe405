using Switchboard.Platform.Backups;

namespace Switchboard.Tests.Platform.Backups;

/// <summary>Pruning a backup folder by count and by age (ADR 0064): only completed backups this app named are touched, and never the newest.</summary>
public sealed class BackupRetentionTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private readonly string _parent = Path.Combine(Path.GetTempPath(), $"switchboard-retention-{Guid.NewGuid():N}");

    [Fact]
    public void Keeping_two_removes_the_oldest_completed_backups()
    {
        var names = Make(Now.AddDays(-3), Now.AddDays(-2), Now.AddDays(-1), Now);

        var removed = BackupRetention.Prune(_parent, keep: 2, keepDays: 0, Now);

        removed.ShouldBe([names[0], names[1]]);
        BackupRetention.List(_parent).Select(b => b.Name).ShouldBe([names[3], names[2]]);
    }

    [Fact]
    public void Keeping_days_removes_older_backups_but_never_the_newest()
    {
        var names = Make(Now.AddDays(-40), Now.AddDays(-31), Now.AddDays(-29));

        BackupRetention.Prune(_parent, keep: 0, keepDays: 30, Now).ShouldBe([names[0], names[1]]);
        BackupRetention.Prune(_parent, keep: 0, keepDays: 1, Now).ShouldBeEmpty();
        BackupRetention.List(_parent).Select(b => b.Name).ShouldBe([names[2]]);
    }

    [Fact]
    public void Folders_without_a_manifest_and_other_names_are_left_alone()
    {
        var names = Make(Now.AddDays(-3), Now);
        Directory.CreateDirectory(Path.Combine(_parent, "switchboard-20200101T000000Z")); // no manifest: not complete, not ours to judge
        Directory.CreateDirectory(Path.Combine(_parent, "keep-me"));
        var fresh = Directory.CreateDirectory(Path.Combine(_parent, BackupWriter.TempPrefix + "running"));

        BackupRetention.Prune(_parent, keep: 1, keepDays: 0, Now).ShouldBe([names[0]]);

        Directory.Exists(Path.Combine(_parent, "switchboard-20200101T000000Z")).ShouldBeTrue();
        Directory.Exists(Path.Combine(_parent, "keep-me")).ShouldBeTrue();
        fresh.Exists.ShouldBeTrue();
    }

    private string[] Make(params DateTimeOffset[] times) => times.Select(at =>
    {
        var name = BackupWriter.NamePrefix + at.UtcDateTime.ToString(BackupWriter.NameTimeFormat, System.Globalization.CultureInfo.InvariantCulture);
        Directory.CreateDirectory(Path.Combine(_parent, name));
        File.WriteAllText(Path.Combine(_parent, name, BackupManifest.FileName), "{}");
        return name;
    }).ToArray();

    public void Dispose()
    {
        if (Directory.Exists(_parent)) Directory.Delete(_parent, recursive: true);
    }
}
