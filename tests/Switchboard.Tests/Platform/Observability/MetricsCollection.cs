namespace Switchboard.Tests.Platform.Observability;

/// <summary>
/// Tests that read a host's /metrics run alone, after the parallel classes. Hosts in one test process share the .NET
/// meter listeners: Microsoft.Extensions.Diagnostics treats every factory-made meter as "local" to every host, so a host's
/// MeterProvider also listens to the other hosts' meters of the same name, and when another host is disposed its
/// instruments complete and OpenTelemetry drops the merged series from this host too. One app per process (production)
/// never meets this; a test that counts series must not share the process with hosts coming and going (ADR 0063).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics, alone";
}
