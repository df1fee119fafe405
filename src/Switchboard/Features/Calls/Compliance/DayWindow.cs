namespace Switchboard.Features.Calls.Compliance;

/// <summary>Calling hours on one day, in the lead's local time. The end is exclusive: 21:00 means "until 20:59".</summary>
public sealed record DayWindow
{
    /// <param name="end">Exclusive; 00:00 is midnight at the end of the day, so 00:00–00:00 is the whole day and
    /// 08:00–00:00 runs until midnight.</param>
    public DayWindow(TimeOnly start, TimeOnly end)
    {
        if (end == TimeOnly.MinValue) end = TimeOnly.MaxValue;
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

    /// <summary>HH:mm; the end of the day (see the constructor) is written 00:00, as it is given.</summary>
    internal static string Clock(TimeOnly time) => time == TimeOnly.MaxValue ? "00:00" : time.ToString("HH:mm", CultureInfo.InvariantCulture);
}
