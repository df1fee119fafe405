using Switchboard.Features.Calls;
using Switchboard.Features.Dialer;

namespace Switchboard.Features.Bulk;

/// <summary>
/// Starts bulk actions and reports on them (ADR 0033). A request is checked whole before anything runs: the action
/// must apply to the list, its value must be valid, the caller's role must allow the action at all, and a filter
/// must be one the list takes. Which records the caller may change is then decided record by record by the job,
/// through the single-record use cases. An operation is visible to the member who started it and to admins.
/// </summary>
[Scoped]
public sealed class BulkService(SwitchboardDbContext db, TenantContext ctx, TimeProvider clock, JobQueue jobs, BulkTargets targets, DialerQueues queues)
{
    public const string JobKind = "bulk.run";

    /// <summary>The most ids one request may list; larger selections are sent as a filter.</summary>
    public const int MaxIds = 10_000;

    public async Task<Outcome<BulkStarted>> StartAsync(string path, BulkRequest body, CancellationToken ct)
    {
        if (ctx.TenantId is not { } tenantId || targets.ForPath(path) is not { } target) return new Outcome<BulkStarted>.NotFound();
        var errors = body.BindingErrors();
        var action = body.Action.Value?.Trim();
        if (string.IsNullOrEmpty(action)) errors.Add("action", $"Action is required: one of {string.Join(", ", target.Actions)}.");
        else if (!BulkActions.All.Contains(action)) errors.Add("action", $"'{action}' is not an action. Use one of: {string.Join(", ", target.Actions)}.");
        else if (!target.Actions.Contains(action)) errors.Add("action", NotApplicable(target, action));
        else if (Refusal(target, action) is { } refused) return new Outcome<BulkStarted>.Forbidden(refused);

        var selection = await ReadSelectionAsync(target, body, errors, ct);
        var value = errors.IsValid && action is not null ? await ReadValueAsync(target, action, body.Value.Value, errors, ct) : null;
        if (!errors.IsValid) return new Outcome<BulkStarted>.Invalid(errors.ToDictionary());

        var operation = new BulkOperation
        {
            Id = Guid.CreateVersion7(), Entity = target.Entity, Action = action!, Value = value, Status = BulkStatuses.Queued,
            Selection = JsonSerializer.SerializeToDocument(selection, JobPayload.Options), CreatedBy = ctx.RequiredUserId, ApiKeyId = ctx.ApiKey?.Id, CreatedAt = clock.GetUtcNow(),
        };
        db.BulkOperations.Add(operation);
        // Written in the same SaveChanges: the operation and its job exist together or not at all.
        await jobs.EnqueueAsync(JobKind, new BulkJob(operation.Id), tenantId, $"bulk:{operation.Id}", maxAttempts: 3, ct: ct);
        await db.SaveChangesAsync(ct);
        return new BulkStarted(operation.Id);
    }

    /// <summary>The operation, for the member who started it and for admins; anyone else gets not found.</summary>
    public async Task<Outcome<BulkOperationDto>> FindAsync(Guid id, CancellationToken ct)
    {
        var operation = await db.BulkOperations.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, ct);
        if (operation is null || !CanRead(operation)) return new Outcome<BulkOperationDto>.NotFound();
        return ToDto(operation);
    }

    /// <summary>The list's actions the caller's role may take (what the list page offers).</summary>
    public IReadOnlyList<string> AllowedActions(IBulkTarget target) => target.Actions.Where(a => Refusal(target, a) is null).ToList();

    private bool CanRead(BulkOperation operation) =>
        operation.CreatedBy == ctx.UserId || ctx.Role is TenantRole.Admin or TenantRole.Superadmin;

    /// <summary>Why the caller's role may not take this action on any record at all (403); null when it may.</summary>
    private string? Refusal(IBulkTarget target, string action) => action switch
    {
        _ when ctx.Role is null or TenantRole.Readonly => $"Your role cannot change {target.Plural}.",
        BulkActions.Assign when !RecordPermissions.CanAssign(ctx) => $"Your role cannot reassign {target.Plural}.",
        BulkActions.Delete when !RecordPermissions.CanDelete(ctx) => $"Only administrators can delete {target.Plural}.",
        BulkActions.Dnc when !DncService.CanManage(ctx) => "Only administrators and managers can change the do-not-call list.",
        BulkActions.AddToQueue when !DialerQueues.CanUse(ctx) => "Your role cannot use the dialer.",
        _ => null,
    };

    private static string NotApplicable(IBulkTarget target, string action) => action switch
    {
        BulkActions.Status => $"{Capital(target.Plural)} have no status to change in bulk.",
        BulkActions.AddToQueue => $"Dialer queues hold leads and contacts; {target.Plural} cannot be added to one.",
        BulkActions.Dnc => $"{Capital(target.Plural)} have no phone numbers to add to the do-not-call list.",
        _ => $"'{action}' does not apply to {target.Plural}. Use one of: {string.Join(", ", target.Actions)}.",
    };

    private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static async Task<BulkSelection?> ReadSelectionAsync(IBulkTarget target, BulkRequest body, ValidationErrors errors, CancellationToken ct)
    {
        var ids = body.Ids.Value;
        var filter = body.Filter.Value;
        if (ids is null && filter is null)
        {
            if (body.Ids.Error is null && body.Filter.Error is null) errors.Add("ids", "Send ids (the records to change) or filter (the list's query parameters, {} for every record).");
            return null;
        }
        if (ids is not null && filter is not null)
        {
            errors.Add("filter", "Send either ids or filter, not both.");
            return null;
        }
        if (ids is not null)
        {
            if (ids.Count == 0) errors.Add("ids", "List at least one record.");
            else if (ids.Count > MaxIds) errors.Add("ids", $"At most {MaxIds:N0} ids at once; send a filter for larger selections.");
            return new BulkSelection(ids.Distinct().ToList(), null);
        }
        var parameters = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, element) in filter!)
        {
            if (ReadParameter(element) is not { } values) errors.Add("filter." + key, $"'{key}' must be a text, a number, true or false, or a list of those.");
            // Checked here: the job runs the filter later, where PostgreSQL's refusal of NUL would only fail the job.
            else if (values.Any(v => v.Contains('\0')) || key.Contains('\0')) errors.Add("filter." + key, "A filter value cannot contain NUL characters.");
            else parameters[key] = values;
        }
        if (!errors.IsValid) return null;
        await target.SelectAsync(new BulkFilter(parameters), errors, ct);
        return new BulkSelection(null, parameters);
    }

    private static string[]? ReadParameter(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => [element.GetRawText()],
        JsonValueKind.Array when element.EnumerateArray().All(e => e.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False) =>
            element.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToArray(),
        _ => null,
    };

    /// <summary>The value to store for the action; problems go under "value", worded for the action.</summary>
    private async Task<string?> ReadValueAsync(IBulkTarget target, string action, string? raw, ValidationErrors errors, CancellationToken ct)
    {
        var text = string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
        switch (action)
        {
            case BulkActions.Assign:
                if (text is null) return null; // unassign
                if (!Guid.TryParse(text, out var owner)) errors.Add("value", $"'{text}' is not a user id. Send the new owner's id, or null to unassign.");
                else if (!await db.Memberships.AnyAsync(m => m.UserId == owner && m.IsActive, ct)) errors.Add("value", "The owner must be an active member of this workspace.");
                return owner.ToString();
            case BulkActions.Status:
                if (text is null) errors.Add("value", $"Choose the new status: one of {string.Join(", ", target.Statuses)}.");
                else if (!target.Statuses.Contains(text)) errors.Add("value", $"'{text}' is not a status to set. Use one of: {string.Join(", ", target.Statuses)}.");
                return text;
            case BulkActions.AddToQueue:
                if (text is null) errors.Add("value", "Choose the dialer queue (its id).");
                else if (!Guid.TryParse(text, out var queue) || await queues.FindOwnAsync(queue, ct) is null) errors.Add("value", "That is not one of your dialer queues.");
                return text;
            default:
                if (text is not null) errors.Add("value", $"'{action}' takes no value.");
                return null;
        }
    }

    public static BulkOperationDto ToDto(BulkOperation b) => new(
        b.Id, b.Entity, b.Action, b.Value, b.Status, b.Total, b.Processed, b.Succeeded,
        b.Skipped.Deserialize<List<BulkSkip>>(JobPayload.Options) ?? [], b.Error, b.CreatedBy, b.CreatedAt, b.StartedAt, b.FinishedAt);
}
