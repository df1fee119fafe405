using Switchboard.Platform.Csv;

namespace Switchboard.Features.Audit;

/// <summary>What an export will write: the checked filters and the file format.</summary>
public sealed record AuditExportPlan(AuditFilter Filter, string Format);

/// <summary>
/// Streams the audit rows the filters select into the response, in chain order (oldest first), as CSV or a JSON array,
/// row by row as PostgreSQL returns them (nothing held beyond the writer's buffer); then writes an audit.exported row
/// with the filters and the row count, even when the download was abandoned half-way. Every row carries its chain
/// number and hashes and its content exactly as hashed (times in UTC to the microsecond, changes in PostgreSQL's
/// jsonb text), so a JSON export can be checked on its own against the canonical form of ADR 0038. CSV cells a
/// spreadsheet would run as a formula get a leading apostrophe (as in every export), so check hashes from JSON. The
/// export walks the chain's links (ADR 0041): a row without one (written with the seal switched off, which verification
/// reports) is not in it.
/// </summary>
[Scoped]
public sealed class AuditExport(SwitchboardDbContext db, StandbyReads reads, AuditQueries queries, TenantContext ctx, AuditLog audit, TimeProvider clock)
{
    public const string Csv = "csv";
    public const string Json = "json";
    private const int FlushEvery = 500;

    private static readonly string[] Columns =
        ["id", "tenant_id", "seq", "occurred_at", "actor_type", "actor_id", "actor_name", "action", "entity_type", "entity_id", "changes", "ip", "user_agent", "prev_hash", "row_hash"];

    public async Task<Outcome<AuditExportPlan>> PlanAsync(AuditQuery query, string? format)
    {
        var errors = new ValidationErrors();
        var kind = string.IsNullOrWhiteSpace(format) ? Csv : format.Trim().ToLowerInvariant();
        if (kind is not (Csv or Json)) errors.Add("format", "format must be 'csv' or 'json'.");
        return await queries.FilterAsync(query, errors) switch
        {
            Outcome<AuditFilter>.Ok ok => new AuditExportPlan(ok.Value, kind),
            Outcome<AuditFilter>.Forbidden f => new Outcome<AuditExportPlan>.Forbidden(f.Message),
            Outcome<AuditFilter>.Invalid i => new Outcome<AuditExportPlan>.Invalid(i.Errors),
            _ => new Outcome<AuditExportPlan>.NotFound(),
        };
    }

    public async Task WriteAsync(HttpResponse response, AuditExportPlan plan, CancellationToken ct)
    {
        var zone = Platform.TimeZones.FindOrUtc(ctx.Tenant?.TimeZone);
        var day = Platform.TimeZones.Today(clock.GetUtcNow(), zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var name = plan.Filter.TenantId is null ? "platform" : ctx.Tenant?.Slug ?? "tenant";
        response.ContentType = plan.Format == Json ? "application/json; charset=utf-8" : "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"audit-{name}-{day}.{plan.Format}\"";
        response.Headers.CacheControl = "no-store";

        await AuditBacklog.SealAsync(db, plan.Filter.TenantId, ct); // the export walks the chain: every row committed so far is in it
        var chain = AuditChainLink.ChainOf(plan.Filter.TenantId);
        // Read where a standby may serve it (ADR 0070): it has replayed the seal above before it is read.
        var read = await reads.ContextAsync(ct);
        var rows = (from link in read.AuditChain.AsNoTracking()
                    where link.ChainId == chain
                    join row in plan.Filter.Apply(read.AuditLog.AsNoTracking()) on link.AuditId equals row.Id
                    orderby link.Seq
                    select new ChainedRow(row, link)).AsAsyncEnumerable();
        long count = 0;
        var completed = false;
        try
        {
            count = plan.Format == Json ? await WriteJsonAsync(response.Body, rows, ct) : await WriteCsvAsync(response.Body, rows, ct);
            completed = true;
        }
        finally
        {
            await audit.WriteAsync(AuditActions.AuditExported, plan.Filter.TenantId, "audit-log", null,
                new { plan.Format, Filters = plan.Filter.Described, Rows = count, Completed = completed }, CancellationToken.None);
        }
    }

    private static async Task<long> WriteCsvAsync(Stream body, IAsyncEnumerable<ChainedRow> rows, CancellationToken ct)
    {
        long count = 0;
        await using var csv = new CsvWriter(body);
        await csv.WriteRowAsync(Columns);
        await foreach (var (row, link) in rows.WithCancellation(ct))
        {
            await csv.WriteRowAsync([
                row.Id.ToString(), row.TenantId?.ToString(), link.Seq.ToString(CultureInfo.InvariantCulture), AuditCanonical.Instant(row.OccurredAt), row.ActorType,
                row.ActorId?.ToString(), row.ActorName, row.Action, row.EntityType, row.EntityId, row.Changes?.RootElement.GetRawText(),
                row.Ip, row.UserAgent, Hex(link.PrevHash), Hex(link.RowHash),
            ]);
            if (++count % FlushEvery == 0) await csv.FlushAsync();
        }
        await csv.FlushAsync();
        return count;
    }

    private static async Task<long> WriteJsonAsync(Stream body, IAsyncEnumerable<ChainedRow> rows, CancellationToken ct)
    {
        long count = 0;
        await using var json = new Utf8JsonWriter(body);
        json.WriteStartArray();
        await foreach (var (row, link) in rows.WithCancellation(ct))
        {
            json.WriteStartObject();
            json.WriteString("id", row.Id);
            Text(json, "tenantId", row.TenantId?.ToString());
            json.WriteNumber("seq", link.Seq);
            json.WriteString("occurredAt", AuditCanonical.Instant(row.OccurredAt));
            json.WriteString("actorType", row.ActorType);
            Text(json, "actorId", row.ActorId?.ToString());
            Text(json, "actorName", row.ActorName);
            json.WriteString("action", row.Action);
            Text(json, "entityType", row.EntityType);
            Text(json, "entityId", row.EntityId);
            json.WritePropertyName("changes");
            // PostgreSQL's jsonb text, as it was hashed: the value's text in the file is exactly changes::text.
            if (row.Changes is null) json.WriteNullValue();
            else json.WriteRawValue(row.Changes.RootElement.GetRawText());
            Text(json, "ip", row.Ip);
            Text(json, "userAgent", row.UserAgent);
            Text(json, "prevHash", Hex(link.PrevHash));
            json.WriteString("rowHash", Convert.ToHexStringLower(link.RowHash));
            json.WriteEndObject();
            if (++count % FlushEvery == 0) await json.FlushAsync(ct);
        }
        json.WriteEndArray();
        await json.FlushAsync(ct);
        return count;
    }

    private static void Text(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, value);
    }

    private static string? Hex(byte[]? hash) => hash is null ? null : Convert.ToHexStringLower(hash);

    /// <summary>An exported row and its link in the chain.</summary>
    private sealed record ChainedRow(AuditEntry Row, AuditChainLink Link);
}
