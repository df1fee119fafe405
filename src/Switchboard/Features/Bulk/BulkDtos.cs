namespace Switchboard.Features.Bulk;

/// <summary>
/// The body of <c>POST /api/v1/{leads|contacts|accounts|opportunities}/bulk</c>: the records (ids, or a filter of the
/// list's own query parameters), the action, and its value (owner id, status, queue id).
/// </summary>
public sealed record BulkRequest : RequestBody
{
    /// <summary>The records to change (at most <see cref="BulkService.MaxIds"/>); or send <see cref="Filter"/>.</summary>
    public Optional<IReadOnlyList<Guid>?> Ids { get; init; }

    /// <summary>Every record the list shows for these query parameters (as GET /api/v1/{entity} takes them), resolved when the job starts.</summary>
    public Optional<Dictionary<string, JsonElement>?> Filter { get; init; }

    /// <summary>assign | status | add-to-queue | dnc | delete.</summary>
    public Optional<string?> Action { get; init; }

    /// <summary>assign: the owner's user id (null or "" unassigns); status: the status; add-to-queue: the queue's id.</summary>
    public Optional<string?> Value { get; init; }
}

/// <summary>The selection as stored: exactly one of ids and filter.</summary>
public sealed record BulkSelection(IReadOnlyList<Guid>? Ids, IReadOnlyDictionary<string, string[]>? Filter);

public sealed record BulkStarted(Guid Id);

public sealed record BulkSkip(Guid Id, string Reason);

/// <summary>What <c>GET /api/v1/bulk/{id}</c> answers: the job's state and counts, and every skipped record with its reason.</summary>
public sealed record BulkOperationDto(
    Guid Id, string Entity, string Action, string? Value, string Status, int Total, int Processed, int Succeeded,
    IReadOnlyList<BulkSkip> Skipped, string? Error, Guid CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public bool IsFinished => Status is BulkStatuses.Completed or BulkStatuses.Failed;
}

/// <summary>The job's payload.</summary>
public sealed record BulkJob(Guid OperationId);
