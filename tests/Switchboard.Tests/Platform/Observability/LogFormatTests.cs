using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Switchboard.Platform.Database;

namespace Switchboard.Tests.Platform.Observability;

/// <summary>The console writes JSON unless Logging:Console:FormatterName names another format (ADR 0063).</summary>
public sealed class LogFormatTests
{
    [Fact]
    public void The_console_writes_json_with_scopes_when_no_format_is_configured()
    {
        var services = Build(null);

        services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName.ShouldBe(ConsoleFormatterNames.Json);
        var json = services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue;
        json.IncludeScopes.ShouldBeTrue();
        json.UseUtcTimestamp.ShouldBeTrue();
    }

    [Theory]
    [InlineData("simple")]
    [InlineData("systemd")]
    public void An_operators_console_format_wins(string format) =>
        Build(format).GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName.ShouldBe(format);

    private static IServiceProvider Build(string? format)
    {
        var settings = new Dictionary<string, string?> { [DatabaseConnections.RuntimeKey] = "Host=nowhere.invalid;Database=none;Username=none" };
        if (format is not null) settings["Logging:Console:FormatterName"] = format;
        return Program.BuildApp([], settings).Services;
    }
}
