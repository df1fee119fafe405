using Npgsql;

namespace Switchboard.Platform.Backups;

/// <summary>One table's row count and checksum, as the manifest records them.</summary>
public sealed record TableSummary(string Name, long Rows, string Checksum);

/// <summary>
/// Row counts and checksums of every table in a database, computed in SQL inside the caller's transaction (ADR 0064).
/// The checksum is order-independent — two 64-bit sums of each row's md5 — so no table is sorted and no aggregate grows
/// with the table; the row text is made deterministic by fixing the output settings (time zone, date style, floats).
/// Row security is turned off for the transaction: a role that cannot read every row gets an error, never a silent
/// partial count.
/// </summary>
public static class TableChecksums
{
    public const string Method = "sum64(md5(row::text)) x2, UTC/ISO output";

    private const string Settings = """
        set local row_security = off;
        set local timezone = 'UTC';
        set local datestyle = 'ISO, YMD';
        set local intervalstyle = 'postgres';
        set local extra_float_digits = 1;
        set local bytea_output = 'hex';
        """;

    public static async Task<IReadOnlyList<TableSummary>> ComputeAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using (var settings = new NpgsqlCommand(Settings, conn, tx)) await settings.ExecuteNonQueryAsync(ct);
        var tables = await ListAsync(conn, tx, ct);
        var result = new List<TableSummary>(tables.Count);
        foreach (var table in tables)
        {
            await using var cmd = new NpgsqlCommand($"""
                select count(*),
                       md5(coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text || ':' ||
                           coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text)
                from (select md5(t::text) as h from {table} t) rows
                """, conn, tx);
            try
            {
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                result.Add(new TableSummary(table, reader.GetInt64(0), reader.GetString(1)));
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                throw new BackupException(
                    $"The backup connection cannot read every row of {table} ({e.MessageText}). Set Backup:ConnectionString to a superuser or a role with BYPASSRLS.", e);
            }
        }
        return result;
    }

    /// <summary>Ordinary tables outside PostgreSQL's own schemas, as qualified names (partitions count as their own tables).</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select format('%I.%I', n.nspname, c.relname)
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema')
              and n.nspname not like 'pg\_toast%' and n.nspname not like 'pg\_temp%'
            order by 1
            """, conn, tx);
        var tables = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) tables.Add(reader.GetString(0));
        return tables;
    }
}
