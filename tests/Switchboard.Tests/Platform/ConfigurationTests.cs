using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Features.Telephony;
using Switchboard.Platform.Cli;
using Switchboard.Platform.Configuration;
using Switchboard.Platform.Database;

namespace Switchboard.Tests.Platform;

/// <summary>
/// Every setting is checked before startup touches the database; a bad one stops startup with one line that names it.
/// No database is needed: the connection string points nowhere, and a setting problem is found before it is used.
/// </summary>
public sealed class ConfigurationTests
{
    private const string Nowhere = "Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none;Timeout=2";

    public static TheoryData<string, string> InvalidSettings => new()
    {
        { DatabaseConnections.RuntimeKey, "Bogus=1" },
        { DatabaseConnections.OwnerKey, "Bogus=1" },
        { "Database:ApplyMigrationsOnStartup", "sometimes" },
        { "Jobs:Enabled", "sometimes" },
        { "Jobs:PollSeconds", "0" },
        { "Jobs:PollSeconds", "soon" },
        { "Jobs:Concurrency", "0" },
        { "Jobs:Concurrency", "1000" },
        { "Jobs:LeaseSeconds", "0.5" },
        { "Jobs:RetryBaseSeconds", "0" },
        { "Jobs:RetryMaxSeconds", "1" },
        { "Identity:PasswordHashIterations", "10" },
        { "Security:SignInAttemptsPerMinute", "0" },
        { "Network:KnownProxies", "10.0.0.1, proxy.internal" },
        { "Telephony:PublicBaseUrl", "crm.example.com" },
        { "Telephony:PublicBaseUrl", "ftp://crm.example.com" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task An_invalid_setting_stops_startup_with_one_line_that_names_it(string key, string value)
    {
        await using var app = Build(new() { [key] = value });

        var error = await Should.ThrowAsync<StartupException>(() => app.Services.GetRequiredService<DatabaseStartup>().RunAsync(CancellationToken.None));

        error.Message.ShouldContain(key);
        error.Message.ShouldNotContain("\n");
        error.Message.ShouldNotStartWith("Cannot connect");
    }

    [Fact]
    public async Task The_defaults_are_valid()
    {
        await using var app = Build(new());

        Should.NotThrow(() => app.Services.GetRequiredService<StartupSettings>().Validate());
    }

    [Fact]
    public async Task Several_invalid_settings_are_all_named_in_the_one_line()
    {
        await using var app = Build(new() { ["Jobs:Concurrency"] = "0", ["Security:SignInAttemptsPerMinute"] = "0", ["Telephony:PublicBaseUrl"] = "nowhere" });

        var error = Should.Throw<StartupException>(() => app.Services.GetRequiredService<StartupSettings>().Validate());

        error.Message.ShouldContain("Jobs:Concurrency");
        error.Message.ShouldContain("Security:SignInAttemptsPerMinute");
        error.Message.ShouldContain("Telephony:PublicBaseUrl");
        error.Message.ShouldNotContain("\n");
    }

    [Fact]
    public async Task The_command_line_prints_the_setting_on_stderr_and_exits_with_1()
    {
        var stderr = new StringWriter();

        var code = await SwitchboardCli.RunAsync(["serve", $"--{DatabaseConnections.RuntimeKey}={Nowhere}", "--Jobs:Concurrency=0"], stderr);

        code.ShouldBe(1);
        stderr.ToString().ShouldBe($"switchboard: Jobs:Concurrency must be between 1 and 256.{Environment.NewLine}");
    }

    [Fact]
    public async Task Valid_settings_reach_the_services_that_use_them()
    {
        await using var app = Build(new()
        {
            ["Telephony:PublicBaseUrl"] = "https://crm.example.com/",
            ["Network:KnownProxies"] = "10.0.0.7",
            ["Identity:PasswordHashIterations"] = "210000",
            ["Jobs:Concurrency"] = "9",
            ["Database:ApplyMigrationsOnStartup"] = "false",
        });
        var services = app.Services;

        services.GetRequiredService<PublicUrls>().Base.ShouldBe(new Uri("https://crm.example.com/"));
        services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value.KnownProxies.ShouldContain(IPAddress.Parse("10.0.0.7"));
        services.GetRequiredService<IOptions<PasswordHasherOptions>>().Value.IterationCount.ShouldBe(210_000);
        services.GetRequiredService<IOptions<Switchboard.Platform.Jobs.JobsOptions>>().Value.Concurrency.ShouldBe(9);
        services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ApplyMigrationsOnStartup.ShouldBeFalse();
        services.GetRequiredService<DatabaseConnections>().Migrations.ShouldBe(Nowhere);
    }

    private static WebApplication Build(Dictionary<string, string?> settings)
    {
        settings.TryAdd(DatabaseConnections.RuntimeKey, Nowhere);
        return Program.BuildApp([], settings);
    }
}
