using System.Text.RegularExpressions;

namespace Switchboard.Features.Ai.Engines;

/// <summary>
/// Turns a due phrase as said on the call ("by Friday", "tomorrow at 3", "end of the month") into an instant, in the
/// lead's zone, returned in UTC. The phrase as said wins: "tomorrow" said on a Friday is Saturday; only the default
/// (nothing said, or nothing we understand) skips the weekend. See bench/ai/README.md for the full rule list.
/// </summary>
public static partial class DueDates
{
    private static readonly TimeOnly Morning = new(9, 0);
    private static readonly TimeOnly EndOfDay = new(17, 0);
    private static readonly TimeOnly Evening = new(19, 0);

    /// <summary>The next business day (Monday to Friday) after the call's local day, at 09:00 local.</summary>
    public static DateTimeOffset Default(DateTimeOffset callStartedAt, string timeZone)
    {
        var zone = Zone(timeZone);
        var day = NextBusinessDay(Today(callStartedAt, zone));
        return ToUtc(day, Morning, zone);
    }

    public static DateTimeOffset Resolve(string? phrase, DateTimeOffset callStartedAt, string timeZone)
    {
        if (string.IsNullOrWhiteSpace(phrase)) return Default(callStartedAt, timeZone);
        var zone = Zone(timeZone);
        var text = phrase.ToLowerInvariant();

        if (HoursFromNow(text) is { } hours) return (callStartedAt + hours).ToUniversalTime();

        var today = Today(callStartedAt, zone);
        var (day, dayTime) = Day(text, today);
        var time = ClockTime(text) ?? dayTime;
        if (day is null && time is null) return Default(callStartedAt, timeZone);
        if (day is null)
        {
            var now = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(callStartedAt, zone).DateTime);
            day = time > now ? today : today.AddDays(1);
        }
        return ToUtc(day.Value, time ?? Morning, zone);
    }

    /// <summary>The day a phrase names and the time that goes with it when no clock time is said (null: 09:00).</summary>
    private static (DateOnly? Day, TimeOnly? Time) Day(string text, DateOnly today)
    {
        if (InDays(text) is { } days) return (today.AddDays(days), null);
        if (EndOfDayWords().IsMatch(text)) return (today, EndOfDay);
        if (EndOfWeekWords().IsMatch(text)) return (FridayOnOrAfter(today), EndOfDay);
        if (EndOfMonthWords().IsMatch(text)) return (EndOfMonth(today), EndOfDay);
        if (text.Contains("week after next")) return (MondayOfWeek(today).AddDays(14), null);
        if (NextWeek().IsMatch(text)) return (MondayOfWeek(today).AddDays(7), null);
        if (NextMonth().IsMatch(text)) return (NextBusinessDayOnOrAfter(new DateOnly(today.Year, today.Month, 1).AddMonths(1)), null);
        if (text.Contains("tonight")) return (today, Evening);
        if (Weekend().IsMatch(text)) return (today.DayOfWeek == DayOfWeek.Saturday ? today : After(today, DayOfWeek.Saturday), null);
        if (text.Contains("day after tomorrow")) return (today.AddDays(2), null);
        if (text.Contains("tomorrow")) return (today.AddDays(1), null);
        if (SameDay().IsMatch(text)) return (today, EndOfDay);
        if (Weekday().Match(text) is { Success: true } match)
        {
            var weekday = Enum.Parse<DayOfWeek>(match.Groups["day"].Value, ignoreCase: true);
            return (match.Groups["next"].Success ? InFollowingWeek(today, weekday) : After(today, weekday), null);
        }
        return (null, null);
    }

    private static TimeSpan? HoursFromNow(string text)
    {
        var match = InHours().Match(text);
        if (!match.Success) return null;
        var count = match.Groups["n"].Length == 0 ? 1 : Count(match.Groups["n"].Value);
        return match.Groups["unit"].Value.StartsWith("min") ? TimeSpan.FromMinutes(count) : TimeSpan.FromHours(count);
    }

    private static int? InDays(string text)
    {
        var match = InDaysOrWeeks().Match(text);
        if (!match.Success) return null;
        var count = Count(match.Groups["n"].Value);
        return match.Groups["unit"].Value.StartsWith("week") ? count * 7 : count;
    }

    /// <summary>"at 3" (a bare 1–7 is afternoon, 8–11 morning, 12 noon), "3pm", "15:00", "10:30", "noon", "after two".</summary>
    private static TimeOnly? ClockTime(string text)
    {
        if (Noon().IsMatch(text)) return new TimeOnly(12, 0);
        foreach (Match match in Clock().Matches(text))
            if (ClockTime(match) is { } time) return time;
        return null;
    }

    private static TimeOnly? ClockTime(Match match)
    {
        var hour = Count(match.Groups["h"].Value);
        var minute = match.Groups["m"].Success ? int.Parse(match.Groups["m"].Value) : 0;
        var meridiem = match.Groups["ap"].Value;
        if (hour is < 0 or > 23 || minute > 59) return null;
        if (meridiem.StartsWith('p') && hour < 12) hour += 12;
        else if (meridiem.StartsWith('a') && hour == 12) hour = 0;
        else if (meridiem.Length == 0 && hour is >= 1 and <= 7) hour += 12;
        if (meridiem.Length == 0 && !match.Groups["at"].Success && !match.Groups["m"].Success) return null;
        return new TimeOnly(hour, minute);
    }

    private static int Count(string word) => word switch
    {
        "a" or "an" or "one" => 1,
        "a couple of" or "couple of" or "two" => 2,
        "a few" or "few" or "three" => 3,
        "four" => 4, "five" => 5, "six" => 6, "seven" => 7, "eight" => 8, "nine" => 9, "ten" => 10, "eleven" => 11, "twelve" => 12,
        _ => int.TryParse(word, out var n) ? n : -1,
    };

    private static DateOnly After(DateOnly today, DayOfWeek weekday)
    {
        var ahead = ((int)weekday - (int)today.DayOfWeek + 7) % 7;
        return today.AddDays(ahead == 0 ? 7 : ahead);
    }

    /// <summary>"next Friday": the Friday of the week (Monday to Sunday) after the call's week, whatever day the call is.</summary>
    private static DateOnly InFollowingWeek(DateOnly today, DayOfWeek weekday) =>
        MondayOfWeek(today).AddDays(7 + ((int)weekday + 6) % 7);

    private static DateOnly MondayOfWeek(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    private static DateOnly FridayOnOrAfter(DateOnly day) => day.DayOfWeek == DayOfWeek.Friday ? day : After(day, DayOfWeek.Friday);

    /// <summary>The month's last business day; when the call is already past it, next month's.</summary>
    private static DateOnly EndOfMonth(DateOnly today)
    {
        var last = LastBusinessDay(today.Year, today.Month);
        return last >= today ? last : LastBusinessDay(today.AddMonths(1).Year, today.AddMonths(1).Month);
    }

    private static DateOnly LastBusinessDay(int year, int month)
    {
        var day = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        while (!IsBusinessDay(day)) day = day.AddDays(-1);
        return day;
    }

    private static DateOnly NextBusinessDay(DateOnly day) => NextBusinessDayOnOrAfter(day.AddDays(1));

    private static DateOnly NextBusinessDayOnOrAfter(DateOnly day)
    {
        while (!IsBusinessDay(day)) day = day.AddDays(1);
        return day;
    }

    private static bool IsBusinessDay(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    private static DateOnly Today(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

    /// <summary>A local time skipped by a spring-forward change is taken an hour later (02:30 → 03:30), as a clock would show it.</summary>
    private static DateTimeOffset ToUtc(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local)) local = local.AddHours(1);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }

    private static TimeZoneInfo Zone(string timeZone)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(timeZone); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException) { return TimeZoneInfo.Utc; }
    }

    private const string Number = @"a couple of|couple of|a few|few|an|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,3}";

    [GeneratedRegex(@"\bin\s+(?:about\s+)?(?<n>" + Number + @")\s+(?<unit>hours?|minutes?|mins?)\b|\bwithin\s+(?:the\s+|an?\s+)?(?<n>)(?<unit>hour)\b")]
    private static partial Regex InHours();

    [GeneratedRegex(@"\bin\s+(?<n>" + Number + @")\s+(?<unit>days?|weeks?)\b")]
    private static partial Regex InDaysOrWeeks();

    [GeneratedRegex(@"\b(?:end of (?:the )?day|end of today|eod|close of business|cob)\b")]
    private static partial Regex EndOfDayWords();

    [GeneratedRegex(@"\b(?:end of (?:the |this )?week|this week)\b")]
    private static partial Regex EndOfWeekWords();

    [GeneratedRegex(@"\bend of (?:the |this )?month\b")]
    private static partial Regex EndOfMonthWords();

    /// <summary>"over the weekend": the coming Saturday (today, when said on a Saturday).</summary>
    [GeneratedRegex(@"\b(?:over|this|at) the weekend\b|\bthis weekend\b")]
    private static partial Regex Weekend();

    [GeneratedRegex(@"\bnext week\b")]
    private static partial Regex NextWeek();

    [GeneratedRegex(@"\bnext month\b")]
    private static partial Regex NextMonth();

    [GeneratedRegex(@"\b(?:today|this (?:morning|afternoon|evening)|later|right now|right away|right after this call|now)\b")]
    private static partial Regex SameDay();

    [GeneratedRegex(@"(?:\b(?<next>next)\s+)?\b(?<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")]
    private static partial Regex Weekday();

    [GeneratedRegex(@"\b(?:noon|midday)\b")]
    private static partial Regex Noon();

    [GeneratedRegex(@"(?:\b(?<at>at|after|around|by)\s+)?\b(?<h>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?::(?<m>\d{2}))?\s*(?<ap>a\.?m\.?|p\.?m\.?)?(?![\w:])")]
    private static partial Regex Clock();
}
