namespace Switchboard.Platform.Identity;

/// <summary>
/// How long a session of a tenant may live: its idle timeout (none when null) and its absolute lifetime (30 days when the
/// tenant sets none). The per-request check (<see cref="SessionLookup"/>'s row), refresh and the
/// sessions list apply it here (ADR 0044).
/// </summary>
public sealed record SessionLimits(TimeSpan? Idle, TimeSpan Lifetime)
{
    /// <summary>However often it is refreshed, a session ends this long after sign-in unless its tenant says sooner.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(30);

    /// <summary>
    /// last_seen_at is written at most this often (not on every request), so it may lag the last request by up to this
    /// much; the idle timeout allows for it, so a session is never ended while it was used within its idle timeout.
    /// </summary>
    public static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    public static SessionLimits For(int? idleMinutes, int? maxHours) =>
        new(idleMinutes is { } idle ? TimeSpan.FromMinutes(idle) : null, maxHours is { } hours ? TimeSpan.FromHours(hours) : DefaultLifetime);

    /// <summary>Why the session has ended by <paramref name="now"/> (<see cref="SessionEndReasons.Expired"/> or <see cref="SessionEndReasons.Idle"/>), or null while it may go on.</summary>
    public string? EndReason(DateTimeOffset createdAt, DateTimeOffset lastSeenAt, DateTimeOffset now)
    {
        if (createdAt + Lifetime <= now) return SessionEndReasons.Expired;
        if (Idle is { } idle && lastSeenAt + idle + TouchInterval <= now) return SessionEndReasons.Idle;
        return null;
    }
}
