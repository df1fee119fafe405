using System.Collections.Concurrent;
using Switchboard.Features.Calls;
using Switchboard.Features.Calls.Compliance;

namespace Switchboard.Features.Dialer;

/// <summary>How many of a queue's leads and contacts the compliance guard would block now, by the guard's reasons.</summary>
/// <param name="Partial">True when more targets placed by their number than <see cref="CallableTargets.NumberCheckLimit"/>
/// were waiting: the calling-hours count and the pick cover only the first ones in queue order.</param>
/// <param name="Contacts">How many of the blocked are contacts (the rest are leads).</param>
public sealed record DialerSkips(int CallingHours, int Dnc, int MaxAttempts, bool Partial = false, int Contacts = 0)
{
    public static readonly DialerSkips None = new(0, 0, 0);

    public int Total => CallingHours + Dnc + MaxAttempts;
}

/// <summary>When the first of the skipped targets may be called: the instant, its zone and wall clock then, in words.</summary>
public sealed record NextCallable(DateTimeOffset At, string TimeZone, string LocalTime, string Message)
{
    /// <param name="noun">What opens then: "lead" or "contact".</param>
    public static NextCallable Of(DateTimeOffset at, string zone, DateTimeOffset now, string noun = "lead")
    {
        var local = TimeZoneInfo.ConvertTime(at, Platform.TimeZones.FindOrUtc(zone)).ToString("HH:mm", CultureInfo.InvariantCulture);
        return new NextCallable(at, zone, local, $"Next callable {noun} at {local} their time ({zone}), in {Wait(at - now)}.");
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
/// The leads and contacts of a queue the compliance guard (<see cref="ComplianceGuard"/>) would let the agent call now,
/// as a query, with the counts of those it would block and when the next one opens. The guard still checks at dial
/// time: this only keeps the dialer from serving a target it would refuse. Leads and contacts go through the same
/// rules as one query of <see cref="DialCandidate"/>s (ADR 0035); a contact is judged by its first phone.
/// </summary>
/// <remarks>
/// Everything is SQL except the calling hours of a target without a (valid) time zone of its own (every contact, and
/// leads without one), whose zones come from its number through libphonenumber. Those numbers are read in queue order,
/// at most <see cref="NumberCheckLimit"/>, resolved in process (cached per number) and sent back as the list of numbers
/// open now. A lead with its own zone is checked in SQL against the zones open now: the distinct zone names the
/// queue's leads carry (at most <see cref="ZoneNameLimit"/>) are read first and each is evaluated once.
/// </remarks>
public sealed class CallableTargets(SwitchboardDbContext db, TenantContext ctx, TimeProvider clock, CallingPolicy policy)
{
    /// <summary>The most numbers placed by libphonenumber per turn: about 10 ms of work once they are cached.</summary>
    public const int NumberCheckLimit = 5000;

    /// <summary>Zones per number: they depend on libphonenumber's data only, so they hold for the life of the process.</summary>
    private static readonly ConcurrentDictionary<string, IReadOnlyList<string>> ZonesByNumber = new(StringComparer.Ordinal);

    /// <summary>The most distinct stored zone names read per turn (there are about 600 IANA names, links included).</summary>
    public const int ZoneNameLimit = 2000;

    private string TenantZone => ctx.Tenant?.TimeZone ?? "UTC";

    /// <summary>The candidates that pass the guard now, the counts of those it would block, and the zone sets to re-check.</summary>
    public async Task<CallableQuery> ApplyAsync(DialPool pool, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var max = policy.MaxAttemptsPerDay;
        var dnc = db.DncNumbers;
        var candidates = pool.Candidates(db.Calls, TenantDayStart(now));

        var listed = candidates.Where(t => dnc.Any(d => d.Phone == t.Phone));
        var allowed = candidates.Where(t => !dnc.Any(d => d.Phone == t.Phone));
        var exhausted = allowed.Where(t => t.AttemptsToday >= max);
        var underLimit = allowed.Where(t => t.AttemptsToday < max);
        // The zones leads name, as stored: a valid one decides (open now or not), an invalid one leaves the lead to its number.
        var named = await underLimit.Where(t => t.TimeZone != null).Select(t => t.TimeZone!).Distinct().Take(ZoneNameLimit + 1).ToListAsync(ct);
        var checkedNames = named.Take(ZoneNameLimit).ToArray();
        var known = checkedNames.Where(Platform.TimeZones.IsValid).ToArray();
        var invalid = checkedNames.Except(known, StringComparer.Ordinal).ToArray();
        var open = known.Where(zone => IsOpen([zone.Trim()], now)).ToArray();
        var byNumber = underLimit.Where(t => t.TimeZone == null || invalid.Contains(t.TimeZone));

        var numbers = await DialerQueues.Ordered(byNumber).Select(t => new ClosedNumber(t.Phone, t.IsContact)).Take(NumberCheckLimit + 1).ToListAsync(ct);
        var partial = numbers.Count > NumberCheckLimit || named.Count > ZoneNameLimit;
        var distinct = numbers.Take(NumberCheckLimit).DistinctBy(n => n.Phone, StringComparer.Ordinal).ToList();
        var openNumbers = distinct.Where(n => IsOpen(ZonesOf(n.Phone), now)).Select(n => n.Phone).ToArray();
        var closedNumbers = distinct.Where(n => !openNumbers.Contains(n.Phone, StringComparer.Ordinal)).ToList();
        var closedPhones = closedNumbers.Select(n => n.Phone).ToArray();

        // "t.Phone + """ on purpose: compared as written, PostgreSQL answers "phone = any(thousands of numbers)" from the
        // phone trigram index (2.2 s for 10,000 leads in bench/dialer); as an expression no index serves, it is a
        // hashed filter over the owner's rows (~15 ms).
        var callable = underLimit.Where(t =>
            open.Contains(t.TimeZone!) || ((t.TimeZone == null || invalid.Contains(t.TimeZone)) && openNumbers.Contains(t.Phone + "")));
        var closedByZone = underLimit.Where(t => known.Contains(t.TimeZone!) && !open.Contains(t.TimeZone!));
        var closedByNumber = byNumber.Where(t => closedPhones.Contains(t.Phone + "")); // as above

        var byZone = await CountAsync(closedByZone, ct);
        var byClosedNumber = await CountAsync(closedByNumber, ct);
        var listedCount = await CountAsync(listed, ct);
        var exhaustedCount = await CountAsync(exhausted, ct);
        var skips = new DialerSkips(byZone.All + byClosedNumber.All, listedCount.All, exhaustedCount.All, partial,
            byZone.Contacts + byClosedNumber.Contacts + listedCount.Contacts + exhaustedCount.Contacts);
        return new CallableQuery(callable, skips, closedByZone, closedNumbers, exhausted);
    }

    /// <summary>
    /// The first instant one of the blocked targets may be called: the next opening of calling hours for one outside
    /// them, the tenant's next day (and then its hours) for one at its attempt limit. Null when none opens within a
    /// week (no calling day), or nothing is blocked for those reasons.
    /// </summary>
    public async Task<NextCallable?> NextAsync(CallableQuery query, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var zoneSets = new List<(IReadOnlyList<string> Zones, DateTimeOffset From, bool IsContact)>();
        foreach (var zone in await query.ClosedByZone.Select(t => t.TimeZone!.Trim()).Distinct().Take(1000).ToListAsync(ct))
            zoneSets.Add(([zone], now, false));
        foreach (var number in query.ClosedNumbers)
            zoneSets.Add((ZonesOf(number.Phone), now, number.IsContact));
        var tenantZone = Platform.TimeZones.FindOrUtc(TenantZone);
        var tomorrow = Platform.TimeZones.StartOfDayUtc(Platform.TimeZones.Today(now, tenantZone).AddDays(1), tenantZone);
        foreach (var target in await query.Exhausted.Select(t => new { t.TimeZone, t.Phone, t.IsContact }).Distinct().Take(200).ToListAsync(ct))
            zoneSets.Add((LeadTimeZones.ResolveTimeZones(target.TimeZone, target.Phone), tomorrow, target.IsContact));

        NextCallable? next = null;
        foreach (var (zones, from, isContact) in zoneSets.DistinctBy(s => (string.Join('|', s.Zones), s.From, s.IsContact)))
        {
            if (CallingHours.NextAllowedIn(policy.Window, zones, from, TenantZone) is not { } at || (next is not null && at >= next.At)) continue;
            next = NextCallable.Of(at, zones.FirstOrDefault(Platform.TimeZones.IsValid) ?? TenantZone, now, isContact ? "contact" : "lead");
        }
        return next;
    }

    /// <summary>How many candidates the query holds, and how many of them are contacts: one grouped count.</summary>
    private static async Task<(int All, int Contacts)> CountAsync(IQueryable<DialCandidate> query, CancellationToken ct)
    {
        var counts = await query.GroupBy(t => t.IsContact).Select(g => new { IsContact = g.Key, Count = g.Count() }).ToListAsync(ct);
        return (counts.Sum(c => c.Count), counts.Where(c => c.IsContact).Sum(c => c.Count));
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

/// <summary>A number outside its calling hours now, and whether the first target in queue order with it is a contact.</summary>
public sealed record ClosedNumber(string Phone, bool IsContact);

/// <summary>The callable targets as a query, the counts of the blocked ones, and what <see cref="CallableTargets.NextAsync"/> needs.</summary>
public sealed record CallableQuery(
    IQueryable<DialCandidate> Callable, DialerSkips Skipped, IQueryable<DialCandidate> ClosedByZone, IReadOnlyList<ClosedNumber> ClosedNumbers,
    IQueryable<DialCandidate> Exhausted);
