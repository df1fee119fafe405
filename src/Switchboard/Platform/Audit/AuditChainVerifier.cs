using System.Security.Cryptography;

namespace Switchboard.Platform.Audit;

/// <summary>
/// What checking one chain found. <see cref="FirstBrokenId"/> is the first row that does not follow from the rows
/// before it (its content no longer matches its hash, or its link or number does not continue the chain); null when
/// the chain is intact, or when what is missing are its newest rows (then <see cref="Problem"/> says so).
/// </summary>
public sealed record AuditChainReport(bool Ok, long Checked, Guid? FirstBrokenId, long? FirstBrokenSeq = null, string? Problem = null)
{
    /// <summary>The row_hash of the newest row checked (lowercase hex), to note down and compare later; null for an empty chain.</summary>
    public string? HeadHash { get; init; }
}

/// <summary>
/// Recomputes a tenant's audit chain (or the platform's) in C#, independently of the hashes PostgreSQL stored: each
/// row's canonical text (<see cref="AuditCanonical"/>) and SHA-256, its link to the row before and its number, from the
/// retention anchor (or the first row) to the chain's head. Rows are streamed in chain order, never held all at once.
/// The caller's context decides what can be read: the tenant must be entered (row-level security), or the platform
/// path taken for platform rows.
/// </summary>
[Scoped]
public sealed class AuditChainVerifier(SwitchboardDbContext db)
{
    public async Task<AuditChainReport> VerifyAsync(Guid? tenantId, CancellationToken ct)
    {
        // Rows that committed while the chain's lock was busy are sealed first (waiting for the lock), so that what is
        // checked is every row committed before now; rows committed from here on may still be in the backlog.
        await AuditBacklog.SealAsync(db, tenantId, ct);
        // The head, the rows and the unsealed check from one snapshot: a transaction that commits between two of these
        // reads would otherwise look like newest rows missing (found by CI, with writers busy during a verify).
        await using var snapshot = db.Database.CurrentTransaction is null
            ? await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct)
            : null;
        var head = await db.Database.SqlQuery<ChainHead>($"""
            select seq as "Seq", head_hash as "HeadHash", anchor_seq as "AnchorSeq", anchor_hash as "AnchorHash" from audit_chain_head({tenantId})
            """).SingleOrDefaultAsync(ct);
        var expectedSeq = (head?.AnchorSeq ?? 0) + 1;
        var expectedPrev = head?.AnchorHash;
        long checkedRows = 0;
        byte[]? last = null;
        await foreach (var row in RowsAsync(tenantId).WithCancellation(ct))
        {
            var problem = row.Seq != expectedSeq
                ? row.Seq > expectedSeq ? $"rows {expectedSeq}–{row.Seq - 1} of the chain are missing before this one" : $"number {row.Seq} repeats or goes back"
                : !SameHash(row.PrevHash, expectedPrev) ? "its link to the row before does not match that row's hash"
                : !SameHash(SHA256.HashData(Encoding.UTF8.GetBytes(AuditCanonical.Of(row))), row.RowHash) ? "its content does not match its hash"
                : null;
            if (problem is not null) return new AuditChainReport(false, checkedRows, row.Id, row.Seq, $"Row {row.Seq} ({row.Id}): {problem}.");
            checkedRows++;
            expectedSeq++;
            expectedPrev = last = row.RowHash;
        }
        var headProblem = head is null
            ? checkedRows > 0 ? "the chain has rows but no head" : null
            : head.Seq != expectedSeq - 1 || !SameHash(head.HeadHash, expectedPrev)
                ? $"the chain's head is row {head.Seq}, but the rows end at {expectedSeq - 1}: its newest rows are missing or were changed"
                : null;
        if (headProblem is null && await UnsealedRowAsync(tenantId, ct) is { } unsealed)
            return new AuditChainReport(false, checkedRows, unsealed, null,
                $"Row {unsealed} is not in the chain: it was never sealed (written with the chain's triggers switched off).");
        return headProblem is null
            ? new AuditChainReport(true, checkedRows, null) { HeadHash = last is null ? null : Convert.ToHexStringLower(last) }
            : new AuditChainReport(false, checkedRows, null, null, headProblem);
    }

    /// <summary>The chain's rows with their links, in chain order (the links' primary key, then each row by its id).</summary>
    private IAsyncEnumerable<ChainRow> RowsAsync(Guid? tenantId) => db.Database.SqlQueryRaw<ChainRow>(
        $"select {ChainRow.Columns} from audit_chain l join audit_log a on a.id = l.audit_id where l.chain_id = {{0}} order by l.seq",
        AuditChainLink.ChainOf(tenantId)).AsAsyncEnumerable();

    /// <summary>
    /// A row of the chain's tenant (or the platform's) that has no link and is not waiting in the backlog: written with
    /// the seal switched off.
    /// </summary>
    private Task<Guid?> UnsealedRowAsync(Guid? tenantId, CancellationToken ct) =>
        db.AuditLog.Where(a => a.TenantId == tenantId && !db.AuditChain.Any(l => l.AuditId == a.Id) && !db.AuditBacklog.Any(b => b.AuditId == a.Id))
            .OrderBy(a => a.OccurredAt).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);

    private static bool SameHash(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    private sealed class ChainHead
    {
        public long Seq { get; init; }
        public byte[]? HeadHash { get; init; }
        public long AnchorSeq { get; init; }
        public byte[]? AnchorHash { get; init; }
    }
}

/// <summary>An audit row as the chain covers it: every content column, changes as PostgreSQL's jsonb text.</summary>
public sealed class ChainRow
{
    public Guid Id { get; init; }
    public Guid? TenantId { get; init; }
    public long Seq { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public string ActorType { get; init; } = "";
    public Guid? ActorId { get; init; }
    public string? ActorName { get; init; }
    public string Action { get; init; } = "";
    public string? EntityType { get; init; }
    public string? EntityId { get; init; }
    public string? Changes { get; init; }
    public string? Ip { get; init; }
    public string? UserAgent { get; init; }
    public byte[]? PrevHash { get; init; }
    public byte[] RowHash { get; init; } = [];

    public const string Columns = """
        a.id as "Id", a.tenant_id as "TenantId", l.seq as "Seq", a.occurred_at as "OccurredAt", a.actor_type as "ActorType", a.actor_id as "ActorId",
        a.actor_name as "ActorName", a.action as "Action", a.entity_type as "EntityType", a.entity_id as "EntityId", a.changes::text as "Changes",
        a.ip as "Ip", a.user_agent as "UserAgent", l.prev_hash as "PrevHash", l.row_hash as "RowHash"
        """;
}

/// <summary>
/// The canonical text of an audit row, version 1, as audit_canonical() in 0025_audit_seal_at_commit.sql builds it: a fixed
/// prefix, then each field as "|" + its length in UTF-8 bytes + ":" + its text, or "|-" when null, in column order.
/// </summary>
public static class AuditCanonical
{
    public const string Version = "switchboard-audit-v1";

    public static string Of(ChainRow row)
    {
        var text = new StringBuilder(Version);
        Field(text, row.Id.ToString());
        Field(text, row.TenantId?.ToString());
        Field(text, row.Seq.ToString(CultureInfo.InvariantCulture));
        Field(text, Instant(row.OccurredAt));
        Field(text, row.ActorType);
        Field(text, row.ActorId?.ToString());
        Field(text, row.ActorName);
        Field(text, row.Action);
        Field(text, row.EntityType);
        Field(text, row.EntityId);
        Field(text, row.Changes);
        Field(text, row.Ip);
        Field(text, row.UserAgent);
        Field(text, row.PrevHash is null ? null : Convert.ToHexStringLower(row.PrevHash));
        return text.ToString();
    }

    /// <summary>A time as the canonical form writes it: UTC to the microsecond, as PostgreSQL stores it.</summary>
    public static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static void Field(StringBuilder text, string? value)
    {
        if (value is null)
        {
            text.Append("|-");
            return;
        }
        text.Append('|').Append(Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
    }
}
