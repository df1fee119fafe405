using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Switchboard.Platform.Observability;

/// <summary>Metrics, traces, logs and the status endpoint (ADR 0063).</summary>
public static class ObservabilityComposition
{
    /// <summary>The meters /metrics exports besides our own: HTTP (per route), Kestrel, SignalR, the Npgsql pool.</summary>
    public static readonly string[] Meters =
    [
        SwitchboardInstruments.MeterName,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
        "Npgsql",
    ];

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<ObservabilityOptions>(ObservabilityOptions.Section);
        var options = builder.Configuration.GetSection(ObservabilityOptions.Section).Get<ObservabilityOptions>() ?? new ObservabilityOptions();

        // One JSON object per line, with the request's scopes (TenantId, UserId, RequestId, TraceId, SpanId), unless
        // Logging:Console:FormatterName says otherwise (the switchboard script's run verb asks for simple lines).
        // Not AddJsonConsole: it would force the json format over an operator's Logging:Console:FormatterName.
        if (string.IsNullOrEmpty(builder.Configuration["Logging:Console:FormatterName"]))
            services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = ConsoleFormatterNames.Json);
        services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("switchboard", serviceVersion: BuildInfo.Version, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(metrics => metrics
                .AddMeter(Meters)
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter())
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(o => o.Filter = http => !IsScrape(http.Request.Path));
                tracing.AddSource("Npgsql");
                if (options.OtlpEndpoint is { Length: > 0 } endpoint)
                    tracing.AddOtlpExporter(o =>
                    {
                        o.Endpoint = new Uri(new Uri(endpoint), "v1/traces");
                        o.Protocol = OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf;
                    });
            });
        _ = telemetry;
        services.AddHostedService<InstanceHeartbeat>();
        return builder;
    }

    private static bool IsScrape(PathString path) => path.StartsWithSegments(MetricsPath);

    public const string MetricsPath = "/metrics";

    /// <summary>Right after the tenant is resolved: the request's ids on its trace and its log lines.</summary>
    public static IApplicationBuilder UseRequestIdentity(this IApplicationBuilder app) => app.UseMiddleware<RequestIdentity>();

    public static IEndpointRouteBuilder MapObservability(this IEndpointRouteBuilder app)
    {
        // Created now, not on first use: the gauges exist from the first scrape, before any sign-in fails or import runs.
        _ = app.ServiceProvider.GetRequiredService<SwitchboardInstruments>();
        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: MetricsGate.Use, optionsName: null)
            .ExcludeFromDescription();
        app.MapStatusApi();
        return app;
    }
}
