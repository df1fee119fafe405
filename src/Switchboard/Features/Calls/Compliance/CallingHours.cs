namespace Switchboard.Features.Calls.Compliance;

/// <summary>Whether a lead may be called now, and why, in words an agent can act on.</summary>
/// <param name="TimeZone">The zone the check used (the one that blocks, when the lead may be in several), or null when
/// neither the lead's nor the tenant's is valid.</param>
/// <param name="IsTenantTimeZone">True when the lead's own zone was unknown and the tenant's was used instead.</param>
/// <param name="LocalTime">The lead's wall-clock time in that zone, or null without a zone.</param>
public sealed record CallingHoursCheck(bool IsAllowed, string Message, string? TimeZone, bool IsTenantTimeZone, DateTime? LocalTime);

/// <summary>Applies a <see cref="CallingWindow"/> in the lead's local time, daylight saving included.</summary>
/// <remarks>
/// A lead whose number may be in several zones (a mobile or toll-free number in a country that spans zones, see
/// <see cref="LeadTimeZones.ResolveTimeZones"/>) may be called only when the window is open in every one of them.
/// </remarks>
public static class CallingHours
{
    /// <param name="timeZone">The lead's IANA zone (see <see cref="LeadTimeZones.ResolveTimeZone"/>); null or invalid uses the fallback.</param>
    /// <param name="fallbackTimeZone">The tenant's IANA zone.</param>
    public static CallingHoursCheck Evaluate(CallingWindow window, string? timeZone, DateTimeOffset nowUtc, string fallbackTimeZone) =>
        EvaluateIn(window, timeZone is null ? [] : [timeZone], nowUtc, fallbackTimeZone);

    /// <param name="timeZones">The zones the lead may be in (see <see cref="LeadTimeZones.ResolveTimeZones"/>); invalid
    /// ones are ignored, and with none left the fallback is used.</param>
    /// <param name="fallbackTimeZone">The tenant's IANA zone.</param>
    public static CallingHoursCheck EvaluateIn(CallingWindow window, IReadOnlyList<string> timeZones, DateTimeOffset nowUtc, string fallbackTimeZone)
    {
        var zones = ZonesFor(timeZones, fallbackTimeZone);
        if (zones.Count == 0)
        {
            // Fail closed: without a zone there is no knowing whether it is the middle of the night for the lead.
            return new CallingHoursCheck(false, "Calling hours cannot be checked: neither the lead nor the tenant has a valid time zone.", null, false, null);
        }

        var checks = zones.Select(zone => EvaluateZone(window, zone, nowUtc, zones.Count)).ToList();
        return checks.FirstOrDefault(check => !check.IsAllowed) ?? checks[0];
    }

    /// <summary>
    /// The first instant at or after <paramref name="nowUtc"/> when the lead may be called (now itself when the window
    /// is open), in UTC; null when the window has no calling day or there is no valid zone.
    /// </summary>
    /// <remarks>
    /// A window opening inside a spring-forward gap (02:30 on the night clocks jump from 02:00 to 03:00) opens when
    /// the gap ends; a window lying wholly inside the gap does not open that day. An opening time that happens twice
    /// when clocks fall back opens at its first occurrence.
    /// </remarks>
    public static DateTimeOffset? NextAllowed(CallingWindow window, string? timeZone, DateTimeOffset nowUtc, string fallbackTimeZone) =>
        NextAllowedIn(window, timeZone is null ? [] : [timeZone], nowUtc, fallbackTimeZone);

    /// <summary>As <see cref="NextAllowed(CallingWindow, string?, DateTimeOffset, string)"/>, for a lead that may be in
    /// several zones: the first instant the window is open in all of them, or null when that does not happen within a week.</summary>
    public static DateTimeOffset? NextAllowedIn(CallingWindow window, IReadOnlyList<string> timeZones, DateTimeOffset nowUtc, string fallbackTimeZone)
    {
        var zones = ZonesFor(timeZones, fallbackTimeZone).Select(zone => zone.Info).ToList();
        if (zones.Count == 0)
        {
            return null;
        }

        if (zones.All(zone => IsOpen(window, zone, nowUtc)))
        {
            return nowUtc.ToUniversalTime();
        }

        // Where the windows overlap, the overlap begins when the last of them opens: one zone's opening is the answer.
        var openings = zones.SelectMany(zone => Openings(window, zone, nowUtc)).Where(opening => opening > nowUtc).Order();
        foreach (var opening in openings)
        {
            if (zones.All(zone => IsOpen(window, zone, opening)))
            {
                return opening.ToUniversalTime();
            }
        }

        return null;
    }

    private static CallingHoursCheck EvaluateZone(CallingWindow window, ResolvedZone zone, DateTimeOffset nowUtc, int zoneCount)
    {
        var local = TimeZoneInfo.ConvertTime(nowUtc, zone.Info).DateTime;
        var hours = window.On(local.DayOfWeek);
        var whose = zone.IsTenants ? $"{zone.Id}, the tenant's time zone; the lead's is unknown"
            : zoneCount > 1 ? $"{zone.Id}, one of {zoneCount} time zones its number may be in"
            : zone.Id;
        var rule = hours is null ? $"there is no calling on {local.DayOfWeek}s" : $"calling hours are {hours}";
        var message = $"It is {local.ToString("HH:mm", CultureInfo.InvariantCulture)} on {local.DayOfWeek} for this lead ({whose}); {rule}.";
        return new CallingHoursCheck(hours?.Contains(TimeOnly.FromDateTime(local)) == true, message, zone.Id, zone.IsTenants, local);
    }

    /// <summary>Every instant in the next eight local days at which the zone's window opens, earliest first.</summary>
    private static IEnumerable<DateTimeOffset> Openings(CallingWindow window, TimeZoneInfo zone, DateTimeOffset nowUtc)
    {
        // Today's window may still be ahead; eight days reach the same weekday next week when today's has passed.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(nowUtc, zone).DateTime);
        for (var days = 0; days <= 7; days++)
        {
            var date = today.AddDays(days);
            if (window.On(date.DayOfWeek) is not { } hours)
            {
                continue;
            }

            foreach (var opening in InstantsAt(date.ToDateTime(hours.Start), zone))
            {
                yield return opening;
            }
        }
    }

    private static bool IsOpen(CallingWindow window, TimeZoneInfo zone, DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone).DateTime;
        return window.On(local.DayOfWeek)?.Contains(TimeOnly.FromDateTime(local)) == true;
    }

    /// <summary>The instants, earliest first, at which the zone's clocks show <paramref name="local"/> or, in a gap, first pass it.</summary>
    private static IEnumerable<DateTimeOffset> InstantsAt(DateTime local, TimeZoneInfo zone)
    {
        if (zone.IsInvalidTime(local))
        {
            // Clocks skip this time (spring forward); the first time they show after it ends the gap. Transitions
            // fall on whole minutes, so stepping by minutes from the whole minute lands exactly on it.
            var after = local.AddTicks(-(local.Ticks % TimeSpan.TicksPerMinute));
            do
            {
                after = after.AddMinutes(1);
            }
            while (zone.IsInvalidTime(after));

            yield return new DateTimeOffset(after, zone.GetUtcOffset(after));
        }
        else if (zone.IsAmbiguousTime(local))
        {
            // Clocks show this time twice (fall back): first at the larger, daylight offset.
            foreach (var offset in zone.GetAmbiguousTimeOffsets(local).OrderDescending())
            {
                yield return new DateTimeOffset(local, offset);
            }
        }
        else
        {
            yield return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }
    }

    private static List<ResolvedZone> ZonesFor(IReadOnlyList<string> timeZones, string fallbackTimeZone)
    {
        var leads = timeZones
            .Where(Platform.TimeZones.IsValid)
            .Select(zone => zone.Trim())
            .Distinct(StringComparer.Ordinal)
            .Select(id => new ResolvedZone(id, TimeZoneInfo.FindSystemTimeZoneById(id), IsTenants: false))
            .ToList();
        if (leads.Count > 0 || !Platform.TimeZones.IsValid(fallbackTimeZone))
        {
            return leads;
        }

        var tenants = fallbackTimeZone.Trim();
        return [new ResolvedZone(tenants, TimeZoneInfo.FindSystemTimeZoneById(tenants), IsTenants: true)];
    }

    private sealed record ResolvedZone(string Id, TimeZoneInfo Info, bool IsTenants);
}
