using Npgsql;
using Switchboard.Features.ApiKeys;
using Switchboard.Features.Calls;

namespace Switchboard.Features.Bulk;

/// <summary>
/// Runs a bulk action (job <c>bulk.run</c>, ADR 0033) as the member who asked for it, with the role they hold when it
/// runs. The selection is resolved to ids first (a filter: the records it matches at that moment, as that member sees
/// them); then the ids are worked through in batches of <see cref="BatchSize"/>, each batch one transaction that also
/// commits the progress, so a stop resumes after the last committed batch and nothing is done twice. Every record goes
/// through the entity's single-record use case: a record the member may not see or change is skipped with the reason
/// that use case gives, never changed.
/// </summary>
// Wide on purpose: database, tenant, actor, clock and logger are ambient; the rest are the run's steps (resolve the
// selection, act on each record, report progress live).
public sealed class BulkRunner(SwitchboardDbContext db, TenantContext ctx, AuditActor actor, TimeProvider clock, BulkTargets targets,
    BulkRecordActions actions, RealtimeEvents realtime, ILogger<BulkRunner> logger) : IJobHandler
{
    public const int BatchSize = 200;

    /// <summary>The most records a filter may select; beyond it the operation fails and asks for a narrower filter.</summary>
    public const int MaxRecords = 100_000;

    public string Kind => BulkService.JobKind;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var id = job.Read<BulkJob>().OperationId;
        var operation = await db.BulkOperations.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, ct);
        if (operation is null || operation.Status is BulkStatuses.Completed or BulkStatuses.Failed) return;
        try
        {
            if (await EnterAsRequesterAsync(operation, ct) is { } refused)
            {
                await FinishAsync(id, BulkStatuses.Failed, refused);
                return;
            }
            var target = targets.ForEntity(operation.Entity) ?? throw new InvalidOperationException($"No bulk target for '{operation.Entity}'.");
            if (operation.RecordIds is null && await ResolveAsync(operation, target, ct) is { } invalid)
            {
                await FinishAsync(id, BulkStatuses.Failed, invalid);
                return;
            }
            var ids = operation.RecordIds!;
            for (var done = operation.Processed; done < ids.Length; done += BatchSize)
                await RunBatchAsync(operation, target, ids.Skip(done).Take(BatchSize).ToList(), ct);
            await FinishAsync(id, BulkStatuses.Completed, null);
        }
        catch (Exception e) when (e is not OperationCanceledException && job.Attempts >= job.MaxAttempts)
        {
            logger.LogError(e, "Bulk operation {OperationId} failed on its last attempt", id);
            db.ChangeTracker.Clear();
            await FinishAsync(id, BulkStatuses.Failed, "The bulk action stopped with an unexpected error. The records counted as processed were changed; the rest were not. Try again for those.");
        }
    }

    /// <summary>Acts as the requesting member from here on (role checks, visibility, audit); a reason when they no longer may.</summary>
    private async Task<string?> EnterAsRequesterAsync(BulkOperation operation, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == operation.CreatedBy)
            .Select(u => new { u.Email, u.IsActive, u.IsSuperadmin }).SingleOrDefaultAsync(ct);
        var membership = await db.Memberships.AsNoTracking().Where(m => m.UserId == operation.CreatedBy)
            .Select(m => new { m.Role, m.IsActive }).SingleOrDefaultAsync(ct);
        if (user is not { IsActive: true } || (membership is not { IsActive: true } && !user.IsSuperadmin))
            return "The member who started this is no longer active in this workspace; nothing was changed.";
        if (operation.ApiKeyId is { } keyId) return await EnterAsKeyAsync(operation, keyId, ct);
        var role = user.IsSuperadmin && membership is not { IsActive: true } ? TenantRole.Superadmin : TenantRoles.MembershipRoleOrReadonly(membership!.Role);
        await ctx.EnterAsync(operation.CreatedBy, user.IsSuperadmin, ctx.Tenant, role);
        actor.SignedIn(operation.CreatedBy, user.Email);
        return null;
    }

    /// <summary>Acts as the API key that started the action (ADR 0043): its role, audited as the key; a reason when it was revoked since.</summary>
    private async Task<string?> EnterAsKeyAsync(BulkOperation operation, Guid keyId, CancellationToken ct)
    {
        var key = await db.ApiKeys.AsNoTracking().Where(k => k.Id == keyId).Select(k => new { k.Name, k.Role, k.Scopes, k.RevokedAt }).SingleAsync(ct);
        if (key.RevokedAt is not null) return $"The API key '{key.Name}' that started this was revoked; nothing was changed.";
        var role = key.Role is null ? TenantRole.Admin : TenantRoles.MembershipRoleOrReadonly(key.Role);
        await ctx.EnterWithApiKeyAsync(new ApiKeyIdentity(keyId, key.Name, key.Scopes), operation.CreatedBy, ctx.Tenant!, role);
        actor.KeyUsed(keyId, key.Name);
        return null;
    }

    /// <summary>Fixes the records to work through and marks the operation running; a reason when the selection cannot be resolved.</summary>
    private async Task<string?> ResolveAsync(BulkOperation operation, IBulkTarget target, CancellationToken ct)
    {
        var selection = operation.Selection.Deserialize<BulkSelection>(JobPayload.Options)!;
        List<Guid> ids;
        if (selection.Ids is { } listed) ids = listed.Distinct().ToList();
        else
        {
            var errors = new ValidationErrors();
            var query = await target.SelectAsync(new BulkFilter(selection.Filter ?? new Dictionary<string, string[]>()), errors, ct);
            if (query is null) return "The filter no longer applies: " + string.Join(" ", errors.ToDictionary().SelectMany(e => e.Value));
            ids = await query.Take(MaxRecords + 1).ToListAsync(ct);
            if (ids.Count > MaxRecords) return $"More than {MaxRecords:N0} {target.Plural} match the filter; narrow it and try again.";
        }
        operation.RecordIds = [.. ids];
        operation.Total = ids.Count;
        operation.Status = BulkStatuses.Running;
        operation.StartedAt = clock.GetUtcNow();
        await db.BulkOperations.Where(b => b.Id == operation.Id).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.RecordIds, operation.RecordIds)
            .SetProperty(b => b.Total, operation.Total)
            .SetProperty(b => b.Status, BulkStatuses.Running)
            .SetProperty(b => b.StartedAt, operation.StartedAt), ct);
        return null;
    }

    /// <summary>One transaction: each record's change (or its skip), then the counts, then a progress event to the requester.</summary>
    private async Task RunBatchAsync(BulkOperation operation, IBulkTarget target, IReadOnlyList<Guid> batch, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var skipped = new List<BulkSkip>();
        foreach (var id in batch)
        {
            string? reason;
            try
            {
                reason = await actions.ApplyAsync(target, operation.Action, operation.Value, id, ct);
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException)
            {
                // The failed statement was rolled back to the savepoint EF Core sets before each SaveChanges in a transaction.
                logger.LogInformation(e, "Bulk operation {OperationId}: {Entity} {RecordId} could not be changed", operation.Id, target.Entity, id);
                reason = "It could not be changed: other records depend on it, or it changed meanwhile.";
            }
            db.ChangeTracker.Clear();
            if (reason is not null) skipped.Add(new BulkSkip(id, reason));
        }
        var skippedJson = JsonSerializer.Serialize(skipped, JobPayload.Options);
        await db.Database.ExecuteSqlAsync($"""
            update bulk_operations set processed = processed + {batch.Count}, succeeded = succeeded + {batch.Count - skipped.Count},
              skipped = skipped || {skippedJson}::jsonb
            where id = {operation.Id}
            """, ct);
        var progress = await db.BulkOperations.AsNoTracking().Where(b => b.Id == operation.Id)
            .Select(b => new { b.Processed, b.Total, b.Succeeded }).SingleAsync(ct);
        await realtime.PublishToUserAsync(operation.TenantId, operation.CreatedBy, "bulk.progress",
            new { id = operation.Id, status = BulkStatuses.Running, progress.Processed, progress.Total, progress.Succeeded }, ct);
        await transaction.CommitAsync(ct);
    }

    private async Task FinishAsync(Guid id, string status, string? error)
    {
        await db.BulkOperations.Where(b => b.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.Status, status)
            .SetProperty(b => b.Error, error)
            .SetProperty(b => b.FinishedAt, clock.GetUtcNow()), CancellationToken.None);
        var operation = await db.BulkOperations.AsNoTracking().SingleAsync(b => b.Id == id, CancellationToken.None);
        await realtime.PublishToUserAsync(operation.TenantId, operation.CreatedBy, "bulk.finished",
            new { id, status, operation.Processed, operation.Total, operation.Succeeded }, CancellationToken.None);
    }
}

/// <summary>What each action does to one record; the reason it was skipped, or null when it was done.</summary>
[Scoped]
public sealed class BulkRecordActions(DncService dnc)
{
    public const string NotVisible = "Not found, or not visible to you.";

    public async Task<string?> ApplyAsync(IBulkTarget target, string action, string? value, Guid id, CancellationToken ct) => action switch
    {
        BulkActions.Assign or BulkActions.Status => Reason(await target.UpdateAsync(id, action, value, ct)),
        BulkActions.Delete => Reason(await target.DeleteAsync(id, ct)),
        BulkActions.Dnc => await AddNumbersToDncAsync(target, id, ct),
        BulkActions.AddToQueue => await AddToQueueAsync(target, Guid.Parse(value!), id, ct),
        _ => throw new InvalidOperationException($"Unknown bulk action '{action}'."),
    };

    /// <summary>The single-record use case's refusal, as the summary shows it.</summary>
    private static string? Reason(Outcome<bool> outcome) => outcome switch
    {
        Outcome<bool>.Ok => null,
        Outcome<bool>.NotFound => NotVisible,
        var refused => refused.Problem,
    };

    private async Task<string?> AddNumbersToDncAsync(IBulkTarget target, Guid id, CancellationToken ct)
    {
        if (await target.PhonesAsync(id, ct) is not { } phones) return NotVisible;
        if (phones.Count == 0) return "It has no phone number.";
        foreach (var phone in phones)
        {
            var added = await dnc.AddAsync(new DncWrite { Phone = Optional.Of<string?>(phone), Reason = Optional.Of<string?>("Bulk action from a list") }, ct);
            if (added is not Outcome<DncDto>.Ok) return added.Problem;
        }
        return null;
    }

    /// <summary>Adds a lead or contact the member may call to their queue (checked when the operation started; gone since: skipped).</summary>
    private static async Task<string?> AddToQueueAsync(IBulkTarget target, Guid queueId, Guid id, CancellationToken ct) =>
        await target.AddToQueueAsync(queueId, id, ct) switch
        {
            Outcome<bool>.Ok { Value: true } => null,
            Outcome<bool>.Ok => "It is already in this queue.",
            var refused => Reason(refused),
        };
}
