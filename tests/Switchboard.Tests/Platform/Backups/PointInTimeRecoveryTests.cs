using System.Diagnostics;

namespace Switchboard.Tests.Platform.Backups;

/// <summary>
/// The point-in-time recovery drill, bench/pitr/run.sh (ADR 0064), run for real: a scratch cluster archiving WAL, a base
/// backup, rows A, time T, rows B, a copy recovered to T. The script checks the rows and exits 1 when recovery is wrong.
/// </summary>
public sealed class PointInTimeRecoveryTests
{
    [Fact]
    public async Task A_base_backup_recovered_to_a_time_has_the_rows_written_before_it_and_none_after()
    {
        var script = Path.Combine(RepositoryRoot(), "bench", "pitr", "run.sh");
        var start = new ProcessStartInfo("bash") { ArgumentList = { script, "1000" }, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);

        var report = $"{await output}\n{await errors}";
        process.ExitCode.ShouldBe(0, report);
        report.ShouldContain("primary before the loss : A=1000 B=1000");
        report.ShouldContain("restored copy          : A=1000 B=0");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Switchboard.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"No Switchboard.slnx above {AppContext.BaseDirectory}.");
    }
}
