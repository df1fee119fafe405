namespace Switchboard.Platform.Jobs;

/// <summary>
/// Does the work for one job kind. Resolved in a fresh scope per run; when the job has a tenant, the scope is
/// already inside it (row-level security applies) and audit rows are written as system actor "job:{kind}".
/// A job may run more than once (a lease can expire, a worker can die after the work but before marking it
/// done), so a handler must be idempotent. Throwing schedules a retry with backoff until max attempts.
/// </summary>
public interface IJobHandler
{
    string Kind { get; }

    Task HandleAsync(Job job, CancellationToken ct);
}

public static class JobPayload
{
    /// <summary>How payloads are written by <see cref="JobQueue"/>: web defaults (camelCase).</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static JsonDocument Write(object payload) => JsonSerializer.SerializeToDocument(payload, payload.GetType(), Options);

    public static T Read<T>(this Job job) =>
        job.Payload.Deserialize<T>(Options) ?? throw new InvalidOperationException($"Job {job.Id} ({job.Kind}) has a null payload.");
}

internal sealed record JobHandlerRegistration(Type HandlerType);

/// <summary>Kind → handler type, read once from the registered handlers; two handlers for one kind stop startup.</summary>
[Singleton]
internal sealed class JobHandlers(IEnumerable<JobHandlerRegistration> registrations, IServiceScopeFactory scopes)
{
    private readonly Lazy<IReadOnlyDictionary<string, Type>> _byKind = new(() => Build(registrations, scopes));

    public Type? Find(string kind) => _byKind.Value.GetValueOrDefault(kind);

    public int Count => _byKind.Value.Count;

    private static IReadOnlyDictionary<string, Type> Build(IEnumerable<JobHandlerRegistration> registrations, IServiceScopeFactory scopes)
    {
        using var scope = scopes.CreateScope();
        var byKind = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in registrations.Select(r => r.HandlerType).Distinct())
        {
            var kind = ((IJobHandler)scope.ServiceProvider.GetRequiredService(type)).Kind;
            if (byKind.TryGetValue(kind, out var other))
                throw new InvalidOperationException($"Job kind '{kind}' has two handlers: {other.FullName} and {type.FullName}.");
            byKind[kind] = type;
        }
        return byKind;
    }
}
