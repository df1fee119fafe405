using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Bulk;

/// <summary>
/// One bulk action on a list (migration 0018, ADR 0033): what was asked, the selection resolved to ids when the job
/// starts, and the progress the job commits with each batch.
/// </summary>
public sealed class BulkOperation : TenantRow
{
    public required string Entity { get; set; }
    public required string Action { get; set; }
    public string? Value { get; set; }
    /// <summary>As requested: <c>{"ids": [...]}</c> or <c>{"filter": {list query parameters}}</c>.</summary>
    public required JsonDocument Selection { get; set; }
    /// <summary>The records to work through, in order; null until the job has resolved the selection.</summary>
    public Guid[]? RecordIds { get; set; }
    public required string Status { get; set; }
    public int Total { get; set; }
    public int Processed { get; set; }
    public int Succeeded { get; set; }
    /// <summary>[{id, reason}] for every record left unchanged.</summary>
    public JsonDocument Skipped { get; set; } = JsonDocument.Parse("[]");
    public string? Error { get; set; }
    public Guid CreatedBy { get; set; }
    /// <summary>The API key the action was started with (it then runs as that key), or null when a person started it.</summary>
    public Guid? ApiKeyId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}

internal sealed class BulkOperationConfiguration() : TenantTableConfiguration<BulkOperation>("bulk_operations")
{
    protected override void Map(EntityTypeBuilder<BulkOperation> e)
    {
        e.Property(b => b.Selection).HasColumnType("jsonb");
        e.Property(b => b.Skipped).HasColumnType("jsonb");
    }
}

public static class BulkData
{
    extension(SwitchboardDbContext db)
    {
        public DbSet<BulkOperation> BulkOperations => db.Set<BulkOperation>();
    }
}

public static class BulkStatuses
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

public static class BulkActions
{
    public const string Assign = "assign";
    public const string Status = "status";
    public const string AddToQueue = "add-to-queue";
    public const string Dnc = "dnc";
    public const string Delete = "delete";
    public static readonly IReadOnlyList<string> All = [Assign, Status, AddToQueue, Dnc, Delete];

    /// <summary>What the action does, as the summary says it ("Assigned", "Deleted").</summary>
    public static string Done(string action) => action switch
    {
        Assign => "Assigned",
        Status => "Changed the status of",
        AddToQueue => "Added to the queue",
        Dnc => "Added the numbers of",
        Delete => "Deleted",
        _ => action,
    };
}
