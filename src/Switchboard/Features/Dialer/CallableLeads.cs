using System.Collections.Concurrent;
using Switchboard.Features.Calls;
using Switchboard.Features.Calls.Compliance;
using Switchboard.Features.Leads;

namespace Switchboard.Features.Dialer;

/// <summary>How many of a queue's leads the compliance guard would block now, by the guard's reasons.</summary>
/// <param name="Partial">True when more leads placed by their number than <see cref="CallableLeads.NumberCheckLimit"/>
/// were waiting: the calling-hours count and the pick cover only the first ones in queue order.</param>
public sealed record DialerSkips(int CallingHours, int Dnc, int MaxAttempts, bool Partial = false)
{
    public static readonly DialerSkips None = new(0, 0, 0);

    public int Total => CallingHours + Dnc + MaxAttempts;
}

/// <summary>When the first of the skipped leads may be called: the instant, that lead's zone and wall clock then, in words.</summary>
public sealed record NextCallable(DateTimeOffset At, string TimeZone, string LocalTime, string Message)
{
    public static NextCallable Of(DateTimeOffset at, string zone, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(at, Platform.TimeZones.FindOrUtc(zone)).ToString("HH:mm", CultureInfo.InvariantCulture);
        return new NextCallable(at, zone, local, $"Next callable lead at {local} their time ({zone}), in {Wait(at - now)}.");
    }

    /// <summary>"2 h 10 min", "45 min", "1 d 3 h", rounded up to the minute.</summary>
    public static string Wait(TimeSpan wait)
    {
        var minutes = Math.Max(1, (long)Math.Ceiling(wait.TotalMinutes));
        return minutes switch
        {
            >= 1440 => $"{minutes / 1440} d {minutes % 1440 / 60} h",
            >= 60 => $"{minutes / 60} h {minutes % 60} min",
            _ => $"{minutes} min",
        };
    }
}

/// <summary>
/// The leads of a queue the compliance guard (<see cref="ComplianceGuard"/>) would let the agent call now, as a query,
/// with the counts of those it would block and when the next one opens. The guard still checks at dial time: this only
/// keeps the dialer from serving a lead it would refuse.
/// </summary>
/// <remarks>
/// Everything is SQL except the calling hours of a lead without a (valid) time zone of its own, whose zones come from
/// its number through libphonenumber. Those numbers are read in queue order, at most <see cref="NumberCheckLimit"/>,
/// resolved in process (cached per number) and sent back as the list of numbers open now. A lead with its own zone
/// is checked in SQL against the zones open now: the distinct zone names the queue's leads carry (at most
/// <see cref="ZoneNameLimit"/>) are read first and each is evaluated once.
/// </remarks>
public sealed class CallableLeads(SwitchboardDbContext db, TenantContext ctx, TimeProvider clock, CallingPolicy policy)
{
    /// <summary>The most numbers placed by libphonenumber per turn: about 10 ms of work once they are cached.</summary>
    public const int NumberCheckLimit = 5000;

    /// <summary>Zones per number: they depend on libphonenumber's data only, so they hold for the life of the process.</summary>
    private static readonly ConcurrentDictionary<string, IReadOnlyList<string>> ZonesByNumber = new(StringComparer.Ordinal);

    /// <summary>The most distinct stored zone names read per turn (there are about 600 IANA names, links included).</summary>
    public const int ZoneNameLimit = 2000;

    private string TenantZone => ctx.Tenant?.TimeZone ?? "UTC";

    /// <summary>The candidates that pass the guard now, the counts of those it would block, and the zone sets to re-check.</summary>
    public async Task<CallableQuery> ApplyAsync(IQueryable<Lead> candidates, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var dayStart = TenantDayStart(now);
        var max = policy.MaxAttemptsPerDay;
        var dnc = db.DncNumbers;
        var calls = db.Calls;
        const string outbound = CallDirections.Outbound;

        var listed = candidates.Where(l => dnc.Any(d => d.Phone == l.Phone));
        var allowed = candidates.Where(l => !dnc.Any(d => d.Phone == l.Phone));
        var exhausted = allowed.Where(l => calls.Count(c => c.LeadId == l.Id && c.Direction == outbound && c.CreatedAt >= dayStart) >= max);
        var underLimit = allowed.Where(l => calls.Count(c => c.LeadId == l.Id && c.Direction == outbound && c.CreatedAt >= dayStart) < max);
        // The zones leads name, as stored: a valid one decides (open now or not), an invalid one leaves the lead to its number.
        var named = await underLimit.Where(l => l.TimeZone != null).Select(l => l.TimeZone!).Distinct().Take(ZoneNameLimit + 1).ToListAsync(ct);
        var checkedNames = named.Take(ZoneNameLimit).ToArray();
        var known = checkedNames.Where(Platform.TimeZones.IsValid).ToArray();
        var invalid = checkedNames.Except(known, StringComparer.Ordinal).ToArray();
        var open = known.Where(zone => IsOpen([zone.Trim()], now)).ToArray();
        var byNumber = underLimit.Where(l => l.TimeZone == null || invalid.Contains(l.TimeZone));

        var numbers = await DialerQueues.Ordered(byNumber).Select(l => l.Phone!).Take(NumberCheckLimit + 1).ToListAsync(ct);
        var partial = numbers.Count > NumberCheckLimit || named.Count > ZoneNameLimit;
        var distinct = numbers.Take(NumberCheckLimit).Distinct(StringComparer.Ordinal).ToList();
        var openNumbers = distinct.Where(n => IsOpen(ZonesOf(n), now)).ToArray();
        var closedNumbers = distinct.Except(openNumbers, StringComparer.Ordinal).ToArray();

        var callable = underLimit.Where(l =>
            open.Contains(l.TimeZone!) || ((l.TimeZone == null || invalid.Contains(l.TimeZone)) && openNumbers.Contains(l.Phone!)));
        var closedByZone = underLimit.Where(l => known.Contains(l.TimeZone!) && !open.Contains(l.TimeZone!));
        var closedByNumber = byNumber.Where(l => closedNumbers.Contains(l.Phone!));

        var skips = new DialerSkips(
            await closedByZone.CountAsync(ct) + await closedByNumber.CountAsync(ct), await listed.CountAsync(ct), await exhausted.CountAsync(ct), partial);
        return new CallableQuery(callable, skips, closedByZone, closedNumbers, exhausted);
    }

    /// <summary>
    /// The first instant one of the blocked leads may be called: the next opening of calling hours for a lead outside
    /// them, the tenant's next day (and then the lead's hours) for a lead at its attempt limit. Null when none opens
    /// within a week (no calling day), or nothing is blocked for those reasons.
    /// </summary>
    public async Task<NextCallable?> NextAsync(CallableQuery query, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var zoneSets = new List<(IReadOnlyList<string> Zones, DateTimeOffset From)>();
        foreach (var zone in await query.ClosedByZone.Select(l => l.TimeZone!.Trim()).Distinct().Take(1000).ToListAsync(ct))
            zoneSets.Add(([zone], now));
        foreach (var number in query.ClosedNumbers)
            zoneSets.Add((ZonesOf(number), now));
        var tenantZone = Platform.TimeZones.FindOrUtc(TenantZone);
        var tomorrow = Platform.TimeZones.StartOfDayUtc(Platform.TimeZones.Today(now, tenantZone).AddDays(1), tenantZone);
        foreach (var lead in await query.Exhausted.Select(l => new { l.TimeZone, l.Phone }).Distinct().Take(200).ToListAsync(ct))
            zoneSets.Add((LeadTimeZones.ResolveTimeZones(lead.TimeZone, lead.Phone), tomorrow));

        NextCallable? next = null;
        foreach (var (zones, from) in zoneSets.DistinctBy(s => (string.Join('|', s.Zones), s.From)))
        {
            if (CallingHours.NextAllowedIn(policy.Window, zones, from, TenantZone) is not { } at || (next is not null && at >= next.At)) continue;
            next = NextCallable.Of(at, zones.FirstOrDefault(Platform.TimeZones.IsValid) ?? TenantZone, now);
        }
        return next;
    }

    private static IReadOnlyList<string> ZonesOf(string number)
    {
        // A bound, not an eviction policy: numbers of a few tenants' queues fit many times over.
        if (ZonesByNumber.Count > 200_000) ZonesByNumber.Clear();
        return ZonesByNumber.GetOrAdd(number, LeadTimeZones.ForPhoneNumber);
    }

    private bool IsOpen(IReadOnlyList<string> zones, DateTimeOffset now) => CallingHours.EvaluateIn(policy.Window, zones, now, TenantZone).IsAllowed;

    /// <summary>The start of the tenant's day containing <paramref name="instant"/>: attempts count from there, as the guard counts them.</summary>
    private DateTimeOffset TenantDayStart(DateTimeOffset instant)
    {
        var zone = Platform.TimeZones.FindOrUtc(TenantZone);
        return Platform.TimeZones.StartOfDayUtc(Platform.TimeZones.Today(instant, zone), zone);
    }
}

/// <summary>The callable leads as a query, the counts of the blocked ones, and what <see cref="CallableLeads.NextAsync"/> needs.</summary>
public sealed record CallableQuery(
    IQueryable<Lead> Callable, DialerSkips Skipped, IQueryable<Lead> ClosedByZone, IReadOnlyList<string> ClosedNumbers, IQueryable<Lead> Exhausted);
