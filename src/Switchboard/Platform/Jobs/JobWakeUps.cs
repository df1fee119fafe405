using System.Threading.Channels;
using Npgsql;

namespace Switchboard.Platform.Jobs;

/// <summary>The worker's wake-up calls: a NOTIFY on <see cref="JobQueue.Channel"/>, or a reconnect (whatever was announced meanwhile).</summary>
internal sealed class JobWakeUps(string sessionConnectionString, string workerId, ILogger logger)
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public ChannelReader<bool> Reader => _wake.Reader;

    /// <summary>LISTENs on a dedicated connection, reconnecting after a poll interval when it drops.</summary>
    public async Task ListenAsync(TimeSpan retry, CancellationToken stopping)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(sessionConnectionString) { Pooling = false, KeepAlive = 30 }.ConnectionString;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stopping);
                connection.Notification += (_, _) => _wake.Writer.TryWrite(true);
                await using (var listen = new NpgsqlCommand($"listen {JobQueue.Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stopping);
                _wake.Writer.TryWrite(true); // whatever was announced while not listening
                while (true) await connection.WaitAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Job worker {WorkerId} lost its LISTEN connection; polling until it reconnects", workerId);
                try
                {
                    await Task.Delay(retry, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
