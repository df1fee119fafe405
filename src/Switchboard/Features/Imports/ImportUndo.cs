using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Switchboard.Features.Imports;

/// <summary>
/// Undoes a completed import in one transaction: deletes the records it created and restores the fields it
/// changed on the records it updated. A record that changed after the import (its version moved on), or a created
/// one that has since gained calls, notes or activities, is left as it is and counted: undo never destroys work
/// done after the import.
/// </summary>
[Scoped]
public sealed class ImportUndo(SwitchboardDbContext db, TenantContext ctx, TimeProvider clock, AuditLog audit, ImportTargets targets)
{
    public async Task<Outcome<ImportDto>> UndoAsync(Guid id, CancellationToken ct)
    {
        if (!ImportService.CanImport(ctx)) return new Outcome<ImportDto>.Forbidden("Only administrators and managers can undo imports.");
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Lock the import row first: two undos of one import run one after the other, and the second sees it undone.
        await db.Database.ExecuteSqlAsync($"select 1 from imports where id = {id} for update", ct);
        var import = await db.Set<Import>().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (import is null) return new Outcome<ImportDto>.NotFound();
        if (import.Status != ImportStatuses.Completed)
            return new Outcome<ImportDto>.Conflict(import.Status == ImportStatuses.Undone
                ? "The import has already been undone."
                : $"The import is {import.Status}; only a completed import can be undone.");

        var target = targets.ForEntity(import.Entity);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var sqlTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();
        async Task<int> Run(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection, sqlTransaction) { CommandTimeout = 0 };
            command.Parameters.AddWithValue("import", import.Id);
            command.Parameters.AddWithValue("entity", import.Entity);
            command.Parameters.AddWithValue("now", clock.GetUtcNow());
            return await command.ExecuteNonQueryAsync(ct);
        }

        await Run($"""
            create temp table undo_kept on commit drop as
            select c.record_id from import_changes c join {target.Table} t on t.id = c.record_id
            where c.import_id = @import and (t.version <> c.after_version or (c.created and (
                exists (select 1 from notes n where n.related_type = @entity and n.related_id = t.id)
                or exists (select 1 from activities a where a.related_type = @entity and a.related_id = t.id){(target.UndoKeepsIfReferenced is { } referenced ? $"\n                or exists ({referenced})" : "")})))
            """);
        int kept;
        await using (var count = new NpgsqlCommand("select count(*)::int from undo_kept", connection, sqlTransaction))
            kept = (int)(await count.ExecuteScalarAsync(ct))!;
        var deleted = await Run($"""
            delete from {target.Table} t using import_changes c
            where c.import_id = @import and c.created and c.record_id = t.id
              and not exists (select 1 from undo_kept k where k.record_id = t.id)
            """);
        var restores = target.Fields.Select(f => $"{f.Column} = case when c.before ? '{f.Column}' then {RestoreSql(f)} else t.{f.Column} end")
            .Append("custom = c.before -> 'custom'").Append("updated_at = @now").Append("version = t.version + 1");
        var restored = await Run($"""
            update {target.Table} t set {string.Join(", ", restores)}
            from import_changes c
            where c.import_id = @import and not c.created and c.record_id = t.id
              and not exists (select 1 from undo_kept k where k.record_id = t.id)
            """);

        var result = new ImportUndoResult(deleted, restored, kept);
        import.Status = ImportStatuses.Undone;
        import.UndoneAt = clock.GetUtcNow();
        import.UndoResult = JsonSerializer.SerializeToDocument(result, JsonSerializerOptions.Web);
        audit.Add(AuditActions.ImportUndone, import.TenantId, "import", import.Id.ToString(), new { import.Entity, import.FileName, result.Deleted, result.Restored, result.KeptChanged });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return ImportService.ToDto(import);
    }

    /// <summary>The stored value back from the before-image (jsonb) in the column's type.</summary>
    private static string RestoreSql(ImportField field) => field.Kind switch
    {
        _ when field.Column is "emails" or "phones" => $"array(select jsonb_array_elements_text(c.before -> '{field.Column}'))",
        ImportFieldKind.Boolean => $"(c.before ->> '{field.Column}')::boolean",
        ImportFieldKind.Owner or ImportFieldKind.Account => $"(c.before ->> '{field.Column}')::uuid",
        _ => $"c.before ->> '{field.Column}'",
    };
}
