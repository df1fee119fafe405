namespace Switchboard.Platform.Jobs;

public sealed class JobsOptions : IValidatedOptions
{
    public const string Section = "Jobs";

    /// <summary>Run a worker in this instance. Instances with it off can still enqueue.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often to look for due jobs when no NOTIFY arrives (scheduled jobs, retries, expired leases).</summary>
    public double PollSeconds { get; set; } = 1;

    /// <summary>Jobs run at once by this instance.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>How long a claim holds before another instance may take the job over; renewed while the handler runs.</summary>
    public double LeaseSeconds { get; set; } = 60;

    public double RetryBaseSeconds { get; set; } = 2;
    public double RetryMaxSeconds { get; set; } = 300;

    /// <summary>Exponential backoff after the given (1-based) failed attempt: base, 2×base, 4×base, … capped at the maximum.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var seconds = RetryBaseSeconds * Math.Pow(2, Math.Clamp(attempts, 1, 30) - 1);
        return TimeSpan.FromSeconds(Math.Min(seconds, RetryMaxSeconds));
    }

    public IEnumerable<string> Problems()
    {
        if (PollSeconds is not (>= 0.01 and <= 600)) yield return "Jobs:PollSeconds must be between 0.01 and 600 (seconds).";
        if (Concurrency is < 1 or > 256) yield return "Jobs:Concurrency must be between 1 and 256.";
        if (LeaseSeconds is not (>= 1 and <= 86_400)) yield return "Jobs:LeaseSeconds must be between 1 and 86400 (seconds).";
        if (RetryBaseSeconds is not (>= 0.01 and <= 3_600)) yield return "Jobs:RetryBaseSeconds must be between 0.01 and 3600 (seconds).";
        if (RetryMaxSeconds is not (>= 0.01 and <= 86_400) || RetryMaxSeconds < RetryBaseSeconds)
            yield return "Jobs:RetryMaxSeconds must be between Jobs:RetryBaseSeconds and 86400 (seconds).";
    }
}
