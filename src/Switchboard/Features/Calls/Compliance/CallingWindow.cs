using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Switchboard.Platform.Web;

namespace Switchboard.Features.Calls.Compliance;

/// <summary>Calling hours on one day, in the lead's local time. The end is exclusive: 21:00 means "until 20:59".</summary>
public sealed record DayWindow
{
    public DayWindow(TimeOnly start, TimeOnly end)
    {
        if (end <= start)
        {
            throw new ArgumentException($"Calling hours must start before they end, not {Clock(start)}–{Clock(end)}.", nameof(end));
        }

        Start = start;
        End = end;
    }

    public TimeOnly Start { get; }

    public TimeOnly End { get; }

    public bool Contains(TimeOnly time) => time >= Start && time < End;

    public override string ToString() => $"{Clock(Start)}–{Clock(End)}";

    internal static string Clock(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>A tenant's calling-hours policy: one window per day of the week, null for a day with no calling.</summary>
public sealed partial record CallingWindow(
    DayWindow? Monday,
    DayWindow? Tuesday,
    DayWindow? Wednesday,
    DayWindow? Thursday,
    DayWindow? Friday,
    DayWindow? Saturday,
    DayWindow? Sunday)
{
    private static readonly (string Name, DayOfWeek Day)[] Days =
    [
        ("monday", DayOfWeek.Monday), ("tuesday", DayOfWeek.Tuesday), ("wednesday", DayOfWeek.Wednesday),
        ("thursday", DayOfWeek.Thursday), ("friday", DayOfWeek.Friday), ("saturday", DayOfWeek.Saturday),
        ("sunday", DayOfWeek.Sunday),
    ];

    /// <summary>08:00–21:00 every day: the US federal TCPA limit for telemarketing calls.</summary>
    public static CallingWindow Default { get; } = EveryDay(new TimeOnly(8, 0), new TimeOnly(21, 0));

    public static CallingWindow EveryDay(TimeOnly start, TimeOnly end)
    {
        var hours = new DayWindow(start, end);
        return new CallingWindow(hours, hours, hours, hours, hours, hours, hours);
    }

    public DayWindow? On(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => Monday,
        DayOfWeek.Tuesday => Tuesday,
        DayOfWeek.Wednesday => Wednesday,
        DayOfWeek.Thursday => Thursday,
        DayOfWeek.Friday => Friday,
        DayOfWeek.Saturday => Saturday,
        DayOfWeek.Sunday => Sunday,
        _ => throw new ArgumentOutOfRangeException(nameof(day)),
    };

    /// <summary>The settings shape: <c>{"monday": {"start": "08:00", "end": "21:00"}, …, "sunday": null}</c>.</summary>
    public JsonDocument ToJson()
    {
        var json = new JsonObject();
        foreach (var (name, day) in Days)
        {
            json[name] = On(day) is { } hours
                ? new JsonObject { ["start"] = DayWindow.Clock(hours.Start), ["end"] = DayWindow.Clock(hours.End) }
                : null;
        }

        return JsonDocument.Parse(json.ToJsonString());
    }

    /// <summary>
    /// Reads the settings shape, adding a message per problem keyed by day (<c>callingHours.monday</c>); null when
    /// anything is wrong. All seven days are required, each as start/end or null, so that a typo cannot silently
    /// open or close a day.
    /// </summary>
    public static CallingWindow? Parse(JsonElement json, ValidationErrors errors, string field = "callingHours")
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(field, """Calling hours must be an object with one entry per day, such as {"monday": {"start": "08:00", "end": "21:00"}, "sunday": null}.""");
            return null;
        }

        var valid = true;
        var seen = new HashSet<DayOfWeek>();
        var hoursByDay = new Dictionary<DayOfWeek, DayWindow?>();
        foreach (var property in json.EnumerateObject())
        {
            var key = $"{field}.{property.Name}";
            var match = Array.FindIndex(Days, d => d.Name == property.Name);
            if (match < 0)
            {
                errors.Add(key, $"'{property.Name}' is not a day of the week; use monday, tuesday, … sunday.");
                valid = false;
            }
            else if (!seen.Add(Days[match].Day))
            {
                errors.Add(key, $"{Label(Days[match].Day)} is given more than once.");
                valid = false;
            }
            else if (ParseDay(property.Value, Days[match].Day, key, errors) is (true, var hours))
            {
                hoursByDay[Days[match].Day] = hours;
            }
            else
            {
                valid = false;
            }
        }

        foreach (var (name, day) in Days.Where(d => !seen.Contains(d.Day)))
        {
            errors.Add($"{field}.{name}", $"Give {Label(day)}'s calling hours, or null for no calling on {Label(day)}s.");
            valid = false;
        }

        return valid
            ? new CallingWindow(
                hoursByDay[DayOfWeek.Monday], hoursByDay[DayOfWeek.Tuesday], hoursByDay[DayOfWeek.Wednesday],
                hoursByDay[DayOfWeek.Thursday], hoursByDay[DayOfWeek.Friday], hoursByDay[DayOfWeek.Saturday],
                hoursByDay[DayOfWeek.Sunday])
            : null;
    }

    private static (bool Valid, DayWindow? Hours) ParseDay(JsonElement value, DayOfWeek day, string key, ValidationErrors errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return (true, null);
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(key, $"{Label(day)} must be {{\"start\": \"HH:mm\", \"end\": \"HH:mm\"}}, or null for no calling.");
            return (false, null);
        }

        var valid = true;
        foreach (var unknown in value.EnumerateObject().Where(p => p.Name is not ("start" or "end")))
        {
            errors.Add(key, $"'{unknown.Name}' is not a field of {Label(day)}'s calling hours; use start and end.");
            valid = false;
        }

        var start = ParseClock(value, "start", day, key, errors);
        var end = ParseClock(value, "end", day, key, errors);
        if (start is null || end is null || !valid)
        {
            return (false, null);
        }

        if (end <= start)
        {
            errors.Add(key, $"{Label(day)}'s calling hours must start before they end, not {DayWindow.Clock(start.Value)}–{DayWindow.Clock(end.Value)}.");
            return (false, null);
        }

        return (true, new DayWindow(start.Value, end.Value));
    }

    private static TimeOnly? ParseClock(JsonElement hours, string name, DayOfWeek day, string key, ValidationErrors errors)
    {
        if (!hours.TryGetProperty(name, out var value))
        {
            errors.Add(key, $"{Label(day)}'s calling hours have no {name} time; give it as HH:mm.");
            return null;
        }

        if (value.ValueKind == JsonValueKind.String
            && value.GetString() is { } text
            && ClockPattern().IsMatch(text)
            && TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        var given = value.ValueKind == JsonValueKind.String ? $", not '{Truncate(value.GetString())}'" : "";
        errors.Add(key, $"{Label(day)}'s {name} must be a 24-hour time such as \"08:00\"{given}.");
        return null;
    }

    private static string Label(DayOfWeek day) => day.ToString();

    private static string? Truncate(string? text) => text is { Length: > 20 } ? text[..20] + "…" : text;

    [GeneratedRegex(@"^(?:[01][0-9]|2[0-3]):[0-5][0-9]\z", RegexOptions.CultureInvariant)]
    private static partial Regex ClockPattern();
}

/// <summary>Whether a lead may be called now, and why, in words an agent can act on.</summary>
/// <param name="TimeZone">The zone the check used, or null when neither the lead's nor the tenant's is valid.</param>
/// <param name="IsTenantTimeZone">True when the lead's own zone was unknown and the tenant's was used instead.</param>
/// <param name="LocalTime">The lead's wall-clock time, or null without a zone.</param>
public sealed record CallingHoursCheck(bool IsAllowed, string Message, string? TimeZone, bool IsTenantTimeZone, DateTime? LocalTime);

/// <summary>Applies a <see cref="CallingWindow"/> in the lead's local time, daylight saving included.</summary>
public static class CallingHours
{
    /// <param name="timeZone">The lead's IANA zone (see <see cref="LeadTimeZones.ResolveTimeZone"/>); null or invalid uses the fallback.</param>
    /// <param name="fallbackTimeZone">The tenant's IANA zone.</param>
    public static CallingHoursCheck Evaluate(CallingWindow window, string? timeZone, DateTimeOffset nowUtc, string fallbackTimeZone)
    {
        if (ZoneFor(timeZone, fallbackTimeZone) is not { } zone)
        {
            // Fail closed: without a zone there is no knowing whether it is the middle of the night for the lead.
            return new CallingHoursCheck(false, "Calling hours cannot be checked: neither the lead nor the tenant has a valid time zone.", null, false, null);
        }

        var local = TimeZoneInfo.ConvertTime(nowUtc, zone.Info).DateTime;
        var hours = window.On(local.DayOfWeek);
        var whose = zone.IsTenants ? $"{zone.Id}, the tenant's time zone; the lead's is unknown" : zone.Id;
        var rule = hours is null ? $"there is no calling on {local.DayOfWeek}s" : $"calling hours are {hours}";
        var message = $"It is {local.ToString("HH:mm", CultureInfo.InvariantCulture)} on {local.DayOfWeek} for this lead ({whose}); {rule}.";
        return new CallingHoursCheck(hours?.Contains(TimeOnly.FromDateTime(local)) == true, message, zone.Id, zone.IsTenants, local);
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
    public static DateTimeOffset? NextAllowed(CallingWindow window, string? timeZone, DateTimeOffset nowUtc, string fallbackTimeZone)
    {
        if (ZoneFor(timeZone, fallbackTimeZone) is not { } zone)
        {
            return null;
        }

        if (IsOpen(window, zone.Info, nowUtc))
        {
            return nowUtc.ToUniversalTime();
        }

        // Today's window may still be ahead; eight days reach the same weekday next week when today's has passed.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(nowUtc, zone.Info).DateTime);
        for (var days = 0; days <= 7; days++)
        {
            var date = today.AddDays(days);
            if (window.On(date.DayOfWeek) is not { } hours)
            {
                continue;
            }

            foreach (var opening in InstantsAt(date.ToDateTime(hours.Start), zone.Info))
            {
                if (opening > nowUtc && IsOpen(window, zone.Info, opening))
                {
                    return opening.ToUniversalTime();
                }
            }
        }

        return null;
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

    private static ResolvedZone? ZoneFor(string? timeZone, string fallbackTimeZone)
    {
        if (Platform.TimeZones.IsValid(timeZone))
        {
            var id = timeZone.Trim();
            return new ResolvedZone(id, TimeZoneInfo.FindSystemTimeZoneById(id), IsTenants: false);
        }

        if (Platform.TimeZones.IsValid(fallbackTimeZone))
        {
            var id = fallbackTimeZone.Trim();
            return new ResolvedZone(id, TimeZoneInfo.FindSystemTimeZoneById(id), IsTenants: true);
        }

        return null;
    }

    private sealed record ResolvedZone(string Id, TimeZoneInfo Info, bool IsTenants);
}
