namespace Switchboard.Testing;

/// <summary>Time zones picked by the hour it is there now, for tests that run on the real clock and need a lead inside
/// or outside its calling hours whatever time the suite runs at.</summary>
public static class CallingZones
{
    /// <summary>A fixed-offset IANA zone (Etc/GMT±N, no daylight saving) whose wall clock shows <paramref name="hour"/> at <paramref name="now"/>.</summary>
    public static string WhereItIs(int hour, DateTimeOffset now)
    {
        var offset = ((hour - now.UtcDateTime.Hour) % 24 + 24) % 24;
        if (offset > 12) offset -= 24;
        // The Etc zones' signs are POSIX's, the reverse of ISO's: Etc/GMT-9 is nine hours ahead of UTC.
        return offset switch { 0 => "Etc/GMT", > 0 => $"Etc/GMT-{offset}", _ => $"Etc/GMT+{-offset}" };
    }
}
