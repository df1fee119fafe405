using System.Data.Common;
using Npgsql;

namespace Switchboard.Platform.Database;

/// <summary>
/// How a context's statements carry the tenant, user and platform switch that row-level security reads: always
/// transaction-local, never on the session (ADR 0062), so Switchboard runs behind a transaction-pooling PgBouncer
/// and a server connection handed to another client carries nothing over.
/// <list type="bullet">
/// <item>A statement outside a transaction is sent as <c>call app_enter(…); statement</c>: one round trip, one implicit
/// transaction (<see cref="TenantConnectionInterceptor"/> does it for EF's commands; <see cref="Batch"/> for a raw one).</item>
/// <item>A transaction sets them once after BEGIN (in BEGIN's round trip), and again if the scope's identity changes
/// while it is open.</item>
/// <item>EF's SaveChanges always runs in a transaction (<see cref="SwitchboardDbContext.Bind"/>): its statements' row
/// counts are read by position, so nothing may be put in front of them.</item>
/// </list>
/// </summary>
public sealed class TenantConnection
{
    private const string SetSql =
        "select set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true), set_config('app.platform', $3, true)";

    private TenantContext _tenant = new();
    private DbTransaction? _transaction;

    private SessionSettings Current => new(_tenant.TenantId, _tenant.UserId, _tenant.IsPlatform);

    internal void Bind(TenantContext tenant)
    {
        _tenant.Changed -= ReapplyAsync;
        _tenant = tenant;
        _tenant.Changed += ReapplyAsync;
        _transaction = null;
    }

    /// <summary>
    /// <paramref name="sql"/> with the scope's settings in front, for a command with named parameters (or none): Npgsql
    /// splits it into statements. The settings are literals (ids and a switch, never user text).
    /// </summary>
    internal string Carry(string sql) => Enter(Current) + sql;

    /// <summary>
    /// A raw statement on the context's connection outside a transaction, with the scope's settings in front: one round
    /// trip, one implicit transaction. For positional parameters (<c>$1</c>), which a multi-statement text cannot carry.
    /// </summary>
    public NpgsqlBatch Batch(NpgsqlConnection connection, NpgsqlBatchCommand statement) =>
        new(connection) { BatchCommands = { new NpgsqlBatchCommand(Enter(Current)), statement } };

    internal static string Enter(SessionSettings settings) =>
        $"call app_enter('{settings.TenantId}', '{settings.UserId}', '{(settings.Platform ? "on" : "off")}');\n";

    /// <summary>Sets the scope's settings in a raw transaction the caller began on the context's connection.</summary>
    public async Task EnterAsync(NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = BuildCommand(transaction.Connection!, Current);
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(ct);
    }

    internal void TransactionStarted(DbTransaction transaction)
    {
        _transaction = transaction;
        using var command = BuildCommand((NpgsqlConnection)transaction.Connection!, Current);
        command.Transaction = (NpgsqlTransaction)transaction;
        command.ExecuteNonQuery();
    }

    internal Task TransactionStartedAsync(DbTransaction transaction, CancellationToken ct)
    {
        _transaction = transaction;
        return EnterAsync((NpgsqlTransaction)transaction, ct);
    }

    internal void TransactionEnded() => _transaction = null;

    /// <summary>
    /// Opens <paramref name="connection"/> (the DbContext's own) and sends <paramref name="settings"/> and
    /// <paramref name="query"/> in one round trip, one implicit transaction. EF did not open it, so EF leaves it open for
    /// the rest of the scope. The settings are what the caller claims; it must check them with <paramref name="query"/>;
    /// later statements carry the scope's settings as they are then.
    /// </summary>
    public async Task<T> OpenWithAsync<T>(NpgsqlConnection connection, SessionSettings settings, NpgsqlBatchCommand query,
        Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        if (connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync(ct);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { SetCommand(settings), query } };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct);
        return await read(reader, ct);
    }

    /// <summary>
    /// Opens <paramref name="connection"/> with no tenant and no user and runs <paramref name="queries"/> in the same
    /// round trip and implicit transaction, for a lookup that finds its tenant itself (an API key: ADR 0043) and moves
    /// there with transaction-local <c>set_config</c>. <paramref name="read"/> reads the last query's rows.
    /// </summary>
    public async Task<T> OpenForLookupAsync<T>(NpgsqlConnection connection, IReadOnlyList<NpgsqlBatchCommand> queries,
        Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        if (connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync(ct);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { SetCommand(new SessionSettings(null, null, Platform: false)) } };
        foreach (var query in queries) batch.BatchCommands.Add(query);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        for (var i = 0; i < queries.Count; i++) await reader.NextResultAsync(ct);
        return await read(reader, ct);
    }

    /// <summary>The scope's identity changed inside an open transaction: the rest of the transaction runs as the new one.</summary>
    private async Task ReapplyAsync()
    {
        if (_transaction is NpgsqlTransaction { Connection: not null } transaction) await EnterAsync(transaction, CancellationToken.None);
    }

    private static NpgsqlCommand BuildCommand(NpgsqlConnection connection, SessionSettings settings)
    {
        var command = new NpgsqlCommand(SetSql, connection);
        AddParameters(command.Parameters, settings);
        return command;
    }

    private static NpgsqlBatchCommand SetCommand(SessionSettings settings)
    {
        var command = new NpgsqlBatchCommand(SetSql);
        AddParameters(command.Parameters, settings);
        return command;
    }

    private static void AddParameters(NpgsqlParameterCollection parameters, SessionSettings settings)
    {
        parameters.Add(new NpgsqlParameter { Value = settings.TenantId?.ToString() ?? "" });
        parameters.Add(new NpgsqlParameter { Value = settings.UserId?.ToString() ?? "" });
        parameters.Add(new NpgsqlParameter { Value = settings.Platform ? "on" : "off" });
    }
}
