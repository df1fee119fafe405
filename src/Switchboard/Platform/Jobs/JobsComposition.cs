namespace Switchboard.Platform.Jobs;

public static class JobsComposition
{
    /// <summary>The durable job queue (<see cref="JobQueue"/>) and, unless <c>Jobs:Enabled</c> is false, a worker in this instance.</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddValidatedOptions<JobsOptions>(JobsOptions.Section);
        services.ConfigureDbContext<SwitchboardDbContext>((sp, options) => options.AddInterceptors(sp.GetRequiredService<JobWakeUpInterceptor>()), ServiceLifetime.Singleton);
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
