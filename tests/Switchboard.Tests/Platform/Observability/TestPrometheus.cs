using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Net.Http.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform.Observability;

/// <summary>
/// Debian's real prometheus, started by a test on a free loopback port with its own configuration and storage, scraping
/// one target every second. Stopped (and its files removed) when disposed. The switchboard script installs it.
/// </summary>
public sealed class TestPrometheus : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus";
    private readonly string _directory;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public HttpClient Api { get; }

    private TestPrometheus(string directory, Process process, int port)
    {
        _directory = directory;
        _process = process;
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static async Task<TestPrometheus> StartAsync(Uri target, string metricsPath = "/metrics", string? bearerToken = null)
    {
        if (!File.Exists(Binary)) throw new InvalidOperationException("prometheus is not installed: ./switchboard test installs it (apt-get install prometheus).");
        var directory = Directory.CreateTempSubdirectory("switchboard-prometheus-").FullName;
        var port = Loopback.FreePort();
        var authorization = bearerToken is null ? "" : $"""

                authorization:
                  type: Bearer
                  credentials: {bearerToken}
            """;
        await File.WriteAllTextAsync(Path.Combine(directory, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: switchboard
                metrics_path: {metricsPath}
                scrape_timeout: 1s{authorization}
                static_configs:
                  - targets: ["{target.Host}:{target.Port}"]
            """);
        var info = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
                 {
                     $"--config.file={Path.Combine(directory, "prometheus.yml")}",
                     $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}",
                 })
            info.ArgumentList.Add(argument);
        var prometheus = new TestPrometheus(directory, Process.Start(info) ?? throw new InvalidOperationException("prometheus did not start."), port);
        await Eventually.Until(async () =>
        {
            if (prometheus._process.HasExited) throw new InvalidOperationException("prometheus exited: " + prometheus.Output);
            try { return (await prometheus.Api.GetAsync("/-/ready")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, TimeSpan.FromSeconds(30), "prometheus to be ready");
        return prometheus;
    }

    /// <summary>An instant query (/api/v1/query): each series' labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        var answer = await Api.GetFromJsonAsync<JsonElement>("/api/v1/query?query=" + Uri.EscapeDataString(promql));
        if (answer.GetProperty("status").GetString() != "success") throw new InvalidOperationException($"{promql}: {answer}");
        return answer.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(r => ((IReadOnlyDictionary<string, string>)r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
                double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>The target's health as prometheus last saw it ("up", "down", "unknown") and its last scrape error.</summary>
    public async Task<string> TargetsAsync() => await Api.GetStringAsync("/api/v1/targets");

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > 20_000) _output.Remove(0, _output.Length - 20_000);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }
}
