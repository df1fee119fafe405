namespace Switchboard.Platform.Backups;

/// <summary>
/// Backups (ADR 0064). <see cref="Directory"/> turns the schedule on: a backup every <see cref="Interval"/> (or daily at
/// <see cref="DailyAt"/> UTC) into that folder, keeping the newest <see cref="Keep"/> and none older than <see cref="KeepDays"/>.
/// </summary>
public sealed class BackupOptions : IValidatedOptions
{
    public const string Section = "Backup";

    /// <summary>Where scheduled backups go, one folder each; empty turns scheduled backups off.</summary>
    public string? Directory { get; set; }

    /// <summary>
    /// A connection that reads every row: a superuser or a role with BYPASSRLS (the owner role is under the tables'
    /// forced row-level security and sees no tenant's rows). Empty: the owner (migrations) connection string.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The folder of files the app keeps on disk (recordings/attachments store); empty when there is none.</summary>
    public string? FilesDirectory { get; set; }

    /// <summary>Time between scheduled backups, slots aligned to 00:00 UTC (default a day).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Daily at this UTC time (HH:mm) instead of <see cref="Interval"/>.</summary>
    public string? DailyAt { get; set; }

    /// <summary>Backups kept in <see cref="Directory"/>, newest first (0: no count limit).</summary>
    public int Keep { get; set; } = 7;

    /// <summary>Backups older than this many days are removed (0: no age limit). The newest backup is always kept.</summary>
    public int KeepDays { get; set; }

    /// <summary>Where pg_dump/pg_restore live; empty: the newest /usr/lib/postgresql/*/bin, then PATH.</summary>
    public string? PgBinDirectory { get; set; }

    public bool IsScheduled => !string.IsNullOrWhiteSpace(Directory);

    /// <summary>The schedule as (period, offset from 00:00 UTC).</summary>
    public (TimeSpan Period, TimeSpan Offset) Schedule =>
        TimeOnly.TryParseExact(DailyAt, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? (TimeSpan.FromDays(1), at.ToTimeSpan())
            : (Interval, TimeSpan.Zero);

    public IEnumerable<string> Problems()
    {
        if (Interval < TimeSpan.FromMinutes(1) || Interval > TimeSpan.FromDays(31))
            yield return "Backup:Interval must be between 00:01:00 and 31.00:00:00.";
        if (!string.IsNullOrWhiteSpace(DailyAt) && !TimeOnly.TryParseExact(DailyAt, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            yield return "Backup:DailyAt must be a UTC time as HH:mm, e.g. 02:30.";
        if (Keep is < 0 or > 10_000) yield return "Backup:Keep must be between 0 and 10000 (0: no count limit).";
        if (KeepDays is < 0 or > 36_500) yield return "Backup:KeepDays must be between 0 and 36500 (0: no age limit).";
        if (IsScheduled && Keep == 0 && KeepDays == 0) yield return "Backup:Keep or Backup:KeepDays must limit scheduled backups, or the disk fills.";
        if (IsScheduled && !Path.IsPathRooted(Directory!)) yield return "Backup:Directory must be an absolute path.";
        if (!string.IsNullOrWhiteSpace(FilesDirectory) && !Path.IsPathRooted(FilesDirectory)) yield return "Backup:FilesDirectory must be an absolute path.";
    }
}
