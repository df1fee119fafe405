using Switchboard.Features.Lists;
using Switchboard.Features.Opportunities;

namespace Switchboard.Features.Export;

/// <summary>
/// Streams a checked list selection as CSV into the response, row by row as the database returns them (no row
/// cap, nothing buffered beyond the writer's), then writes one audit row with the entity, what was asked and the
/// row count. Admins and managers only: an export takes the whole book of business out of the product.
/// </summary>
[Scoped]
public sealed class ListExport(SwitchboardDbContext db, TenantContext ctx, AuditLog audit, TimeProvider clock)
{
    private const int FlushEvery = 500;

    public static bool CanExport(TenantContext ctx) => ctx.Role is TenantRole.Superadmin or TenantRole.Admin or TenantRole.Manager;

    /// <summary>Names shown instead of ids: the tenant's members, pipelines and stages (small tables, read once).</summary>
    public async Task<ListContext> ContextAsync(CancellationToken ct)
    {
        var names = new Dictionary<Guid, string>();
        var members = await (from m in db.Memberships.AsNoTracking()
                             join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                             select new { u.Id, u.FirstName, u.LastName, u.Email }).ToListAsync(ct);
        foreach (var m in members) names[m.Id] = $"{m.FirstName} {m.LastName}".Trim() is { Length: > 0 } name ? name : m.Email ?? m.Id.ToString();
        foreach (var p in await db.Set<Pipeline>().AsNoTracking().Select(p => new { p.Id, p.Name }).ToListAsync(ct)) names[p.Id] = p.Name;
        foreach (var s in await db.Set<PipelineStage>().AsNoTracking().Select(s => new { s.Id, s.Name }).ToListAsync(ct)) names[s.Id] = s.Name;
        return ListContexts.For(ctx, names);
    }

    public async Task WriteAsync<TEntity, TDto>(
        HttpResponse response, string entity, IReadOnlyList<ListField<TEntity, TDto>> columns, IAsyncEnumerable<TDto> rows,
        ExportRequest request, CancellationToken ct)
    {
        var context = await ContextAsync(ct);
        var day = Platform.TimeZones.Today(clock.GetUtcNow(), context.Zone).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{entity}s-{day}.csv\"";
        response.Headers.CacheControl = "no-store";

        long count = 0;
        var completed = false;
        try
        {
            await using var writer = new StreamWriter(response.Body, Csv.Encoding, bufferSize: 64 * 1024);
            await writer.WriteAsync(Csv.Record(columns.Select(c => Csv.Cell(c.Label))));
            await foreach (var row in rows.WithCancellation(ct))
            {
                await writer.WriteAsync(Csv.Record(columns.Select(c => Csv.Cell(c, row, context))));
                if (++count % FlushEvery == 0) await writer.FlushAsync(ct);
            }
            await writer.FlushAsync(ct);
            completed = true;
        }
        finally
        {
            // Audited even when the download is abandoned half-way: rows may already have left.
            await audit.WriteAsync(AuditActions.ExportDownloaded, ctx.TenantId, entity, null, new
            {
                request.Filters, Columns = columns.Select(c => c.Key).ToList(), request.Search, request.Sort, request.Parameters,
                request.ViewId, Rows = count, Completed = completed,
            }, CancellationToken.None);
        }
    }
}

/// <summary>What an export was asked for, as the audit row records it.</summary>
public sealed record ExportRequest(
    IReadOnlyList<ListFilter> Filters, string? Search, string? Sort, IReadOnlyDictionary<string, string?> Parameters, Guid? ViewId);
