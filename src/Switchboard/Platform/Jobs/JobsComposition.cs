using Microsoft.EntityFrameworkCore;
using Switchboard.Platform.Database;

namespace Switchboard.Platform.Jobs;

public static class JobsComposition
{
    /// <summary>The durable job queue (<see cref="JobQueue"/>) and, unless <c>Jobs:Enabled</c> is false, a worker in this instance.</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddOptions<JobsOptions>()
            .BindConfiguration(JobsOptions.Section)
            .Validate(o => o.PollSeconds > 0, "Jobs:PollSeconds must be greater than 0.")
            .Validate(o => o.Concurrency is >= 1 and <= 256, "Jobs:Concurrency must be between 1 and 256.")
            .Validate(o => o.LeaseSeconds >= 1, "Jobs:LeaseSeconds must be at least 1.")
            .Validate(o => o.RetryBaseSeconds > 0, "Jobs:RetryBaseSeconds must be greater than 0.")
            .Validate(o => o.RetryMaxSeconds >= o.RetryBaseSeconds, "Jobs:RetryMaxSeconds must be at least Jobs:RetryBaseSeconds.")
            .ValidateOnStart();
        services.AddScoped<JobQueue>();
        services.AddSingleton<JobWakeUpInterceptor>();
        services.ConfigureDbContext<SwitchboardDbContext>((sp, options) => options.AddInterceptors(sp.GetRequiredService<JobWakeUpInterceptor>()), ServiceLifetime.Singleton);
        services.AddSingleton<JobHandlers>();
        services.AddHostedService<JobWorker>();
        return services;
    }

    /// <summary>Registers a handler (scoped: one instance per job run) for the kind it names.</summary>
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services) where THandler : class, IJobHandler
    {
        services.AddScoped<THandler>();
        services.AddSingleton(new JobHandlerRegistration(typeof(THandler)));
        return services;
    }
}

public sealed class JobsOptions
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
}
