using System.Diagnostics;

namespace Switchboard.Tests.Platform.Observability;

/// <summary>
/// The alert rules shipped in deploy/prometheus are valid for Debian's prometheus (promtool check rules), and fire as
/// docs/OPERATIONS.md says they do (promtool test rules, against the unit tests beside them).
/// </summary>
public sealed class AlertRulesTests
{
    private static readonly string Rules = Path.Combine(RepositoryRoot(), "deploy", "prometheus");

    [Fact]
    public async Task Promtool_finds_the_shipped_alert_rules_valid()
    {
        var (code, output) = await PromtoolAsync("check", "rules", "switchboard-rules.yml");

        code.ShouldBe(0, output);
        output.ShouldContain("SUCCESS");
    }

    [Fact]
    public async Task The_alert_rules_fire_at_the_documented_thresholds_in_promtools_unit_tests()
    {
        var (code, output) = await PromtoolAsync("test", "rules", "switchboard-rules.test.yml");

        code.ShouldBe(0, output);
        output.ShouldContain("SUCCESS");
    }

    private static async Task<(int Code, string Output)> PromtoolAsync(params string[] arguments)
    {
        const string promtool = "/usr/bin/promtool";
        if (!File.Exists(promtool)) throw new InvalidOperationException("promtool is not installed: ./switchboard test installs it (apt-get install prometheus).");
        var info = new ProcessStartInfo(promtool) { WorkingDirectory = Rules, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Switchboard.slnx"))) return directory.FullName;
        throw new InvalidOperationException("The repository root (Switchboard.slnx) is not above " + AppContext.BaseDirectory);
    }
}
