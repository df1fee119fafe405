using System.Diagnostics;
using System.Text;

namespace Switchboard.Testing;

/// <summary>
/// The built product (Switchboard.dll from the test's build output) running as a real child process — `dotnet
/// Switchboard.dll serve` — against a test database that a <see cref="SwitchboardHost"/> already migrated, configured
/// through environment variables as an operator would. <see cref="Kill"/> ends it with SIGKILL (no shutdown code runs),
/// for tests of what survives a crash. Its output is kept for the failure message.
/// </summary>
public sealed class ProductProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ProductProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>What the process wrote to stdout and stderr so far (the last 20,000 characters).</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Starts the product on <paramref name="database"/> (migrations not applied again) with these extra settings (Section:Key).</summary>
    public static ProductProcess Start(TestDatabase database, IDictionary<string, string?>? settings = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Switchboard.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("The product is not in the test's build output.", dll);
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("serve");
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Switchboard"] = database.RuntimeConnectionString,
            ["ConnectionStrings:SwitchboardOwner"] = database.OwnerConnectionString,
            ["Database:ApplyMigrationsOnStartup"] = "false",
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_LOG") ?? "Warning",
            ["Identity:PasswordHashIterations"] = "1000",
            ["Security:AllowPrivateNetworkUrls"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) environment[key] = value;
        foreach (var (key, value) in environment) info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return new ProductProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start."));
    }

    /// <summary>SIGKILL, and waits until the process is gone.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > 20_000) _output.Remove(0, _output.Length - 20_000);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
