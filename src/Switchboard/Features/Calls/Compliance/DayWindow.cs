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
