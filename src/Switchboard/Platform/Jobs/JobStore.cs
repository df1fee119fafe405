using Npgsql;

namespace Switchboard.Platform.Jobs;

/// <summary>The worker's statements on the jobs table (a platform table without row-level security). Each one after the claim holds only while this worker still owns the lease.</summary>
internal sealed class JobStore(string connectionString, string workerId, TimeSpan lease)
{
    private const string Owned = "where id = @id and locked_by = @worker";

    public async Task<IReadOnlyList<Job>> ClaimAsync(int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            update jobs set locked_by = @worker, locked_until = now() + @lease, attempts = attempts + 1
            where id in (
              select id from jobs
              where completed_at is null and failed_at is null and run_at <= now()
                and (locked_until is null or locked_until < now())
              order by run_at
              limit @limit
              for update skip locked)
            returning id, tenant_id, kind, payload, idempotency_key, run_at, attempts, max_attempts, locked_by, locked_until, last_error, created_at
            """, connection);
        command.Parameters.AddWithValue("worker", workerId);
        command.Parameters.AddWithValue("lease", lease);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var jobs = new List<Job>();
        while (await reader.ReadAsync(ct))
        {
            jobs.Add(new Job
            {
                Id = reader.GetGuid(0),
                TenantId = reader.IsDBNull(1) ? null : reader.GetGuid(1),
                Kind = reader.GetString(2),
                Payload = reader.GetFieldValue<JsonDocument>(3),
                IdempotencyKey = reader.IsDBNull(4) ? null : reader.GetString(4),
                RunAt = reader.GetFieldValue<DateTimeOffset>(5),
                Attempts = reader.GetInt32(6),
                MaxAttempts = reader.GetInt32(7),
                LockedBy = reader.GetString(8),
                LockedUntil = reader.GetFieldValue<DateTimeOffset>(9),
                LastError = reader.IsDBNull(10) ? null : reader.GetString(10),
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(11),
            });
        }
        return jobs.OrderBy(j => j.RunAt).ToList();
    }

    public Task<bool> RenewAsync(Guid id, CancellationToken ct) =>
        ExecuteAsync($"update jobs set locked_until = now() + @lease {Owned}", id, ct, ("lease", lease));

    public Task<bool> CompleteAsync(Guid id) =>
        ExecuteAsync($"update jobs set completed_at = now(), locked_until = null {Owned}", id, CancellationToken.None);

    public Task<bool> RetryAsync(Guid id, TimeSpan delay, string error) =>
        ExecuteAsync($"update jobs set run_at = now() + @delay, locked_by = null, locked_until = null, last_error = @error {Owned}",
            id, CancellationToken.None, ("delay", delay), ("error", error));

    public Task<bool> FailAsync(Guid id, string error) =>
        ExecuteAsync($"update jobs set failed_at = now(), locked_until = null, last_error = @error {Owned}",
            id, CancellationToken.None, ("error", error));

    /// <summary>Hands a job back on shutdown: due again at once, and the interrupted attempt does not count.</summary>
    public Task<bool> ReleaseAsync(Guid id) =>
        ExecuteAsync($"update jobs set locked_by = null, locked_until = null, attempts = greatest(attempts - 1, 0) {Owned}", id, CancellationToken.None);

    private async Task<bool> ExecuteAsync(string sql, Guid id, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("worker", workerId);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }
}
