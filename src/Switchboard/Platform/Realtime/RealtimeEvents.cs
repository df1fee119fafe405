using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Switchboard.Platform.Realtime;

/// <summary>
/// Announces a change to the browsers of one tenant (or one user in it). The announcement is a
/// <c>pg_notify</c> on the DbContext's own connection and transaction, so PostgreSQL delivers it only if
/// that transaction commits, and every app instance's <see cref="PostgresEventListener"/> hears it.
/// Outside a transaction it goes out at once. Events say what changed (ids, statuses, counters); pages
/// fetch the rest through the usual tenant-checked endpoints.
/// </summary>
[Scoped]
public sealed partial class RealtimeEvents(SwitchboardDbContext db)
{
    public const string Channel = "switchboard_events";

    /// <summary>PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.</summary>
    public const int MaxPayloadBytes = 7999;

    /// <summary>To everyone connected in the tenant.</summary>
    public Task PublishAsync(Guid tenantId, string type, object data, CancellationToken ct) =>
        NotifyAsync(new RealtimeEnvelope(tenantId, type, ToElement(data), UserId: null), ct);

    /// <summary>To one user's connections in the tenant only (e.g. an incoming call).</summary>
    public Task PublishToUserAsync(Guid tenantId, Guid userId, string type, object data, CancellationToken ct) =>
        NotifyAsync(new RealtimeEnvelope(tenantId, type, ToElement(data), userId), ct);

    /// <summary>The checked NOTIFY payload, for hot paths that send <c>pg_notify</c> in their own statement batch.</summary>
    public static string Payload(Guid tenantId, string type, object data) =>
        Checked(new RealtimeEnvelope(tenantId, type, ToElement(data), UserId: null));

    private async Task NotifyAsync(RealtimeEnvelope envelope, CancellationToken ct)
    {
        var payload = Checked(envelope);
        // ExecuteSql runs on the context's connection, inside db.Database.CurrentTransaction when there is one.
        await db.Database.ExecuteSqlAsync($"select pg_notify({Channel}, {payload})", ct);
    }

    private static string Checked(RealtimeEnvelope envelope)
    {
        if (envelope.TenantId == Guid.Empty) throw new ArgumentException("A realtime event needs a tenant.", "tenantId");
        if (!EventType().IsMatch(envelope.Type))
            throw new ArgumentException($"Realtime event type '{envelope.Type}' must be lower-case dotted words, e.g. \"call.status_changed\".", "type");

        var payload = envelope.ToJson();
        var size = Encoding.UTF8.GetByteCount(payload);
        if (size > MaxPayloadBytes)
            throw new ArgumentException(
                $"Realtime event '{envelope.Type}' is {size} bytes; PostgreSQL NOTIFY allows {MaxPayloadBytes}. Send ids and statuses, and let the page fetch the rest.",
                "data");
        return payload;
    }

    private static JsonElement ToElement(object data) => JsonSerializer.SerializeToElement(data, RealtimeEnvelope.Json);

    [GeneratedRegex("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$")]
    private static partial Regex EventType();
}

/// <summary>The NOTIFY payload: <c>{"tenantId", "type", "data", "userId"?}</c>; <c>userId</c> makes it personal.</summary>
public sealed record RealtimeEnvelope(Guid TenantId, string Type, JsonElement Data, Guid? UserId)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Null when the payload is not an envelope (someone else NOTIFYing on the channel).</summary>
    public static RealtimeEnvelope? TryParse(string payload)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<RealtimeEnvelope>(payload, Json);
            return envelope is { TenantId: var t, Type: { Length: > 0 } } && t != Guid.Empty ? envelope : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>What a browser receives with the hub method "event".</summary>
public sealed record RealtimeMessage(string Type, JsonElement Data);
