using Npgsql;
using NpgsqlTypes;
using Switchboard.Platform.Csv;

namespace Switchboard.Features.Imports;

/// <summary>
/// An import's uploaded file, kept in <c>import_files</c> in 1 MB chunks until the import has run: any instance
/// can run or resume the import, and nothing depends on a local disk.
/// </summary>
public static class ImportFiles
{
    public const int ChunkSize = 1024 * 1024;
    public const long MaxBytes = 200L * 1024 * 1024;

    /// <summary>Copies the file into the database on the given (tenant-scoped) connection, detecting its encoding on the way.</summary>
    public static async Task<(long Size, string DetectedEncoding)> WriteAsync(NpgsqlConnection connection, Guid tenantId, Guid importId, Stream file, CancellationToken ct)
    {
        var detector = new EncodingDetector();
        var buffer = new byte[ChunkSize];
        long size = 0;
        // One INSERT per chunk: PostgreSQL refuses COPY FROM into a table with row-level security.
        await using var insert = new NpgsqlCommand("insert into import_files (tenant_id, import_id, seq, data) values ($1, $2, $3, $4)", connection);
        insert.Parameters.Add(new NpgsqlParameter { Value = tenantId, NpgsqlDbType = NpgsqlDbType.Uuid });
        insert.Parameters.Add(new NpgsqlParameter { Value = importId, NpgsqlDbType = NpgsqlDbType.Uuid });
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer });
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea });
        for (var seq = 0; ; seq++)
        {
            var filled = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
            if (filled == 0) break;
            size += filled;
            detector.Feed(buffer.AsSpan(0, filled));
            insert.Parameters[2].Value = seq;
            insert.Parameters[3].Value = new ArraySegment<byte>(buffer, 0, filled);
            await insert.ExecuteNonQueryAsync(ct);
            if (filled < buffer.Length) break;
        }
        return (size, detector.Finish());
    }

    /// <summary>A stream over the stored file that fetches one chunk at a time on <paramref name="connection"/>, which must
    /// not be busy with anything else while a read runs.</summary>
    public static Stream OpenRead(NpgsqlConnection connection, Guid importId) => new ChunkStream(connection, importId);

    private sealed class ChunkStream(NpgsqlConnection connection, Guid importId) : Stream
    {
        private byte[] _chunk = [];
        private int _offset;
        private int _next;
        private bool _done;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_offset == _chunk.Length && !Fetch()) return 0;
            var n = Math.Min(count, _chunk.Length - _offset);
            Array.Copy(_chunk, _offset, buffer, offset, n);
            _offset += n;
            return n;
        }

        private bool Fetch()
        {
            if (_done) return false;
            using var command = new NpgsqlCommand("select data from import_files where import_id = $1 and seq = $2", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = importId, NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter { Value = _next++, NpgsqlDbType = NpgsqlDbType.Integer });
            if (command.ExecuteScalar() is not byte[] data || data.Length == 0)
            {
                _done = true;
                return false;
            }
            _chunk = data;
            _offset = 0;
            return true;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>
/// A raw connection for an import's bulk work, with the tenant on its session: it reads the stored file in chunks and
/// writes progress beside the COPY. It is opened on <see cref="DatabaseConnections.Session"/>, a connection that keeps
/// its session (never through a transaction-pooling PgBouncer, ADR 0062); Npgsql's reset clears the settings when it
/// goes back to the pool.
/// </summary>
public static class TenantConnections
{
    private const string SetSessionSql =
        "select set_config('app.tenant_id', $1, false), set_config('app.user_id', $2, false), set_config('app.platform', 'off', false)";

    public static async Task<NpgsqlConnection> OpenAsync(DatabaseConnections connections, Guid tenantId, Guid? userId, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connections.Session);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(SetSessionSql, connection)
        {
            Parameters = { new NpgsqlParameter { Value = tenantId.ToString() }, new NpgsqlParameter { Value = userId?.ToString() ?? "" } },
        };
        await command.ExecuteNonQueryAsync(ct);
        return connection;
    }
}
