using Microsoft.AspNetCore.SignalR;
using Npgsql;

namespace Switchboard.Platform.Realtime;

/// <summary>
/// Each app instance holds one dedicated connection that LISTENs on <see cref="RealtimeEvents.Channel"/> and
/// fans every committed event out to its own hub connections. If the connection drops it reconnects with
/// backoff; events committed while it was down are lost, so on reconnect every client is told
/// <see cref="ResyncType"/> and pages reload what they show. Never takes the host down.
/// </summary>
[Singleton]
public sealed class PostgresEventListener(
    DatabaseConnections connections,
    IHubContext<FloorHub> hub,
    TimeProvider time,
    ILogger<PostgresEventListener> logger) : BackgroundService
{
    public const string ResyncType = "realtime.resync";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private volatile bool _listening;

    /// <summary>LISTEN is in place on a live connection (for a readiness check).</summary>
    public bool IsListening => _listening;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(resync: failures > 0, onListening: () => failures = 0, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _listening = false;
                failures++;
                var delay = Backoff(failures);
                logger.LogWarning(e, "Realtime LISTEN connection failed (attempt {Attempt}); retrying in {Delay}", failures, delay);
                try
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListenAsync(bool resync, Action onListening, CancellationToken ct)
    {
        var settings = new NpgsqlConnectionStringBuilder(connections.Session)
        {
            // Keepalive makes a silently dead connection (proxy, failover) fail WaitAsync instead of waiting forever.
            KeepAlive = 30,
            Pooling = false,
            ApplicationName = "switchboard-realtime",
        };
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        var received = new Queue<string>();
        connection.Notification += (_, e) => received.Enqueue(e.Payload);
        await connection.OpenAsync(ct);
        await using (var listen = new NpgsqlCommand($"LISTEN {RealtimeEvents.Channel}", connection))
            await listen.ExecuteNonQueryAsync(ct);

        _listening = true;
        onListening();
        logger.LogInformation("Listening for realtime events");
        if (resync) await SendAsync(hub.Clients.All, new RealtimeMessage(ResyncType, EmptyData), ct);

        while (true)
        {
            while (received.TryDequeue(out var payload)) await DispatchAsync(payload, ct);
            await connection.WaitAsync(ct);
        }
    }

    private async Task DispatchAsync(string payload, CancellationToken ct)
    {
        if (RealtimeEnvelope.TryParse(payload) is not { } envelope)
        {
            logger.LogWarning("Ignored a malformed realtime event ({Length} characters)", payload.Length);
            return;
        }
        var target = envelope.UserId is { } userId
            ? hub.Clients.Group(FloorHub.UserGroup(envelope.TenantId, userId))
            : hub.Clients.Group(FloorHub.TenantGroup(envelope.TenantId));
        await SendAsync(target, new RealtimeMessage(envelope.Type, envelope.Data), ct);
    }

    private async Task SendAsync(IClientProxy target, RealtimeMessage message, CancellationToken ct)
    {
        try
        {
            await target.SendAsync(FloorHub.EventMethod, message, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One undeliverable event must not cost the LISTEN connection.
            logger.LogWarning(e, "Could not deliver realtime event {Type}", message.Type);
        }
    }

    private static TimeSpan Backoff(int failures) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(failures - 1, 10))));

    private static readonly JsonElement EmptyData = JsonSerializer.SerializeToElement(new { });
}
