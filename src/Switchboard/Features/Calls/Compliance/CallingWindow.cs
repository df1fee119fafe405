using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Switchboard.Features.Calls.Compliance;

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

        if (end != TimeOnly.MinValue && end <= start) // an end of 00:00 is midnight at the end of the day (DayWindow)
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
