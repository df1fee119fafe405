using System.Data;
using Npgsql;

namespace Switchboard.Platform.Database;

/// <summary>
/// A context's open connection and the RLS settings it carries. A change of identity while it is open is applied at
/// once, unless the connection already carries exactly those settings (the request's own connection, opened with the
/// session check in one round trip: <see cref="OpenWithAsync{T}"/>).
/// </summary>
public sealed class TenantConnection
{
    private const string SetSql =
        "select set_config('app.tenant_id', $1, false), set_config('app.user_id', $2, false), set_config('app.platform', $3, false)";

    private TenantContext _tenant = new();
    private NpgsqlConnection? _open;
    private SessionSettings? _applied;

    private SessionSettings Current => new(_tenant.TenantId, _tenant.UserId, _tenant.IsPlatform);

    internal void Bind(TenantContext tenant)
    {
        _tenant.Changed -= ReapplyAsync;
        _tenant = tenant;
        _tenant.Changed += ReapplyAsync;
        Track(null, null);
    }

    internal void Apply(NpgsqlConnection connection)
    {
        var settings = Current;
        using var command = BuildCommand(connection, settings);
        command.ExecuteNonQuery();
        Track(connection, settings);
    }

    internal async Task ApplyAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var settings = Current;
        await using var command = BuildCommand(connection, settings);
        await command.ExecuteNonQueryAsync(ct);
        Track(connection, settings);
    }

    internal void Closed() => Track(null, null);

    /// <summary>
    /// Opens <paramref name="connection"/> (the DbContext's own) and sends <paramref name="settings"/> and
    /// <paramref name="query"/> in one round trip. EF did not open it, so EF leaves it open for the rest of the
    /// scope: every later query of the scope reuses it without setting anything again. The settings are what the
    /// caller claims; it must check them with <paramref name="query"/> before anything else runs on the connection.
    /// </summary>
    public async Task<T> OpenWithAsync<T>(NpgsqlConnection connection, SessionSettings settings, NpgsqlBatchCommand query,
        Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        if (connection.State != ConnectionState.Open) await connection.OpenAsync(ct);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { SetCommand(settings), query } };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        Track(connection, settings);
        await reader.NextResultAsync(ct);
        return await read(reader, ct);
    }

    /// <summary>
    /// Opens <paramref name="connection"/> with no tenant and no user and runs <paramref name="queries"/> in the same
    /// round trip, for a lookup that finds its tenant itself (an API key: ADR 0043) and moves the session there with
    /// <c>set_config</c>. <paramref name="read"/> reads the last query's rows; <paramref name="applied"/> says which
    /// settings the queries left on the connection, so a context that enters them sends nothing more. As with
    /// <see cref="OpenWithAsync{T}"/>, the caller closes the connection when the lookup does not confirm the caller.
    /// </summary>
    public async Task<T> OpenForLookupAsync<T>(NpgsqlConnection connection, IReadOnlyList<NpgsqlBatchCommand> queries,
        Func<NpgsqlDataReader, CancellationToken, Task<T>> read, Func<T, SessionSettings?> applied, CancellationToken ct)
    {
        var none = new SessionSettings(null, null, Platform: false);
        if (connection.State != ConnectionState.Open) await connection.OpenAsync(ct);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { SetCommand(none) } };
        foreach (var query in queries) batch.BatchCommands.Add(query);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        for (var i = 0; i < queries.Count; i++) await reader.NextResultAsync(ct);
        var value = await read(reader, ct);
        Track(connection, applied(value) ?? none);
        return value;
    }

    private void Track(NpgsqlConnection? connection, SessionSettings? settings)
    {
        _open = connection;
        _applied = settings;
    }

    private async Task ReapplyAsync()
    {
        var settings = Current;
        if (_open is not { State: ConnectionState.Open } connection || settings == _applied) return;
        await using var command = BuildCommand(connection, settings);
        await command.ExecuteNonQueryAsync();
        _applied = settings;
    }

    internal static NpgsqlCommand BuildCommand(NpgsqlConnection connection, SessionSettings settings)
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
