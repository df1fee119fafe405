namespace Switchboard.Platform.Observability;

/// <summary>Observability:* (ADR 0063). Log levels and the console format are the standard Logging:* settings.</summary>
public sealed class ObservabilityOptions : IValidatedOptions
{
    public const string Section = "Observability";

    /// <summary>A bearer token that lets a scraper outside this machine read /metrics. Empty: loopback only.</summary>
    public string? MetricsToken { get; set; }

    /// <summary>How long the backlog behind the queue gauges is reused before it is read again.</summary>
    public double BacklogCacheSeconds { get; set; } = 5;

    /// <summary>How often this instance writes its row in app_instances.</summary>
    public double HeartbeatSeconds { get; set; } = 15;

    /// <summary>An OTLP/HTTP collector (e.g. http://127.0.0.1:4318) to send traces to. Empty: traces feed the logs' ids only.</summary>
    public string? OtlpEndpoint { get; set; }

    public TimeSpan BacklogCache => TimeSpan.FromSeconds(BacklogCacheSeconds);
    public TimeSpan Heartbeat => TimeSpan.FromSeconds(HeartbeatSeconds);

    public IEnumerable<string> Problems()
    {
        if (MetricsToken is { Length: > 0 } token && token.Length < 24)
            yield return "Observability:MetricsToken must be at least 24 characters (or empty for loopback-only metrics).";
        if (BacklogCacheSeconds is not (>= 0 and <= 300)) yield return "Observability:BacklogCacheSeconds must be between 0 and 300 (seconds).";
        if (HeartbeatSeconds is not (>= 1 and <= 30)) yield return "Observability:HeartbeatSeconds must be between 1 and 30 (seconds): instances are listed when seen in the last minute.";
        if (OtlpEndpoint is { Length: > 0 } otlp && !(Uri.TryCreate(otlp, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            yield return "Observability:OtlpEndpoint must be an absolute http(s) URL such as http://127.0.0.1:4318.";
    }
}
